"""Settings → Webhook endpoints (with their deliveries and attempts), and API tokens (read only:
they are created and revoked on /api/tokens/, where the secret is shown once)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ApiToken, WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from .services.webhooks import webhook_delivery_retry, webhook_endpoint_resume
from .webhooks.transport import RefusedAddress, check_url


class WebhookEndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "events", "queues", "is_active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            check_url(url)
        except (RefusedAddress, ValueError) as error:
            raise ValidationError(
                _("This address cannot be called: %(reason)s."), params={"reason": error}
            ) from None
        return url


@admin.action(description=_("Resume (send what was held)"))
def resume(modeladmin, request, queryset):
    sent = sum(webhook_endpoint_resume(endpoint=endpoint) for endpoint in queryset)
    messages.success(
        request,
        ngettext(
            "Resumed; %(count)d held delivery is sent again.",
            "Resumed; %(count)d held deliveries are sent again.",
            sent,
        )
        % {"count": sent},
    )


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ("__str__", "url", "events", "is_active", "state", "consecutive_failures")
    list_filter = ("is_active",)
    readonly_fields = ("secret", "state", "consecutive_failures", "created_at", "deliveries_link")
    fields = (
        "url",
        "description",
        "events",
        "queues",
        "is_active",
        "state",
        "consecutive_failures",
        "secret",
        "deliveries_link",
        "created_at",
    )
    actions = [resume]

    @admin.display(description=_("state"))
    def state(self, endpoint):
        if endpoint.pk is None:
            return "-"
        if endpoint.is_paused:
            return format_html(
                "<strong>{}</strong>",
                _("Paused since %(when)s")
                % {"when": endpoint.paused_at.strftime("%Y-%m-%d %H:%M")},
            )
        return _("Sending") if endpoint.is_active else _("Switched off")

    @admin.display(description=_("deliveries"))
    def deliveries_link(self, endpoint):
        if endpoint.pk is None:
            return "-"
        url = (
            reverse("admin:api_webhookdelivery_changelist") + f"?endpoint__id__exact={endpoint.pk}"
        )
        return format_html('<a href="{}">{}</a>', url, _("Deliveries of this endpoint"))


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ("number", "at", "status_code", "ok", "error", "response_excerpt", "duration_ms")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.action(description=_("Send again now"))
def send_again(modeladmin, request, queryset):
    for delivery in queryset:
        webhook_delivery_retry(delivery=delivery)
    messages.success(request, _("The deliveries are sent again."))


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "event", "endpoint", "status", "attempts", "next_attempt_at")
    list_filter = ("status", "event", "endpoint")
    fields = (
        "endpoint",
        "event",
        "uuid",
        "status",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "created_at",
        "payload",
    )
    readonly_fields = fields
    inlines = [WebhookAttemptInline]
    actions = [send_again]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "prefix",
        "name",
        "user",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    fields = list_display
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        messages.info(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _(
                    "Tokens are created and revoked on their own page, where a new one is shown once."
                ),
                reverse("api:tokens"),
                _("API tokens"),
            ),
        )
        return super().changelist_view(request, extra_context)
