"""The administrator's view of the email channel: mailboxes to set up, and received mail that
could not become a ticket, with its reason, the raw message to download and "process again".

Raw mail is personal data of requesters: only administrators (who hold every permission) see
these pages; the roles give nobody else the email channel's permissions.
"""

from django.contrib import admin, messages
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .inbound import inbound_retry
from .models import InboundEmail, InboundStatus, Mailbox, OutboundEmail


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    list_display = [
        "address",
        "queue",
        "host",
        "is_active",
        "password_set",
        "last_polled_at",
        "problem",
    ]
    list_filter = ["is_active", "queue"]
    readonly_fields = ["last_polled_at", "last_error", "last_error_at"]
    fieldsets = [
        (None, {"fields": ["queue", "address", "is_active"]}),
        (
            _("IMAP server"),
            {"fields": ["host", "port", "security", "username", "password_variable"]},
        ),
        (_("Folders"), {"fields": ["folder", "processed_folder"]}),
        (_("Last poll"), {"fields": ["last_polled_at", "last_error", "last_error_at"]}),
    ]

    @admin.display(boolean=True, description=_("password available"))
    def password_set(self, obj):
        return obj.password_is_set

    @admin.display(description=_("last error"))
    def problem(self, obj):
        return obj.last_error[:120]


@admin.action(description=_("Process again"))
def process_again(modeladmin, request, queryset):
    count = 0
    for inbound in queryset.filter(status__in=[InboundStatus.FAILED, InboundStatus.REJECTED]):
        inbound_retry(inbound)
        count += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count)
        % {"count": count},
        messages.SUCCESS,
    )


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin):
    list_display = [
        "received_at",
        "status",
        "outcome",
        "from_address",
        "subject",
        "origin",
        "ticket_link",
    ]
    list_filter = ["status", "outcome", "origin", "queue", "is_automatic"]
    search_fields = ["msgid", "subject", "from_address"]
    date_hierarchy = "received_at"
    actions = [process_again]
    list_select_related = ["ticket"]
    fields = [
        "status", "outcome", "reason", "ticket_link", "received_at", "processed_at", "attempts",
        "origin", "origin_detail", "mailbox", "imap_uid", "queue", "msgid", "from_address",
        "subject", "is_automatic", "size", "download", "raw_purged_at",
    ]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # mail arrives; it is not typed in

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("ticket"))
    def ticket_link(self, obj):
        if obj.ticket_id is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("helpdesk:ticket", args=[obj.ticket.reference]),
            obj.ticket.reference,
        )

    @admin.display(description=_("raw message"))
    def download(self, obj):
        if obj.raw_purged_at:
            return _("removed")
        url = reverse("admin:email_channel_inboundemail_raw", args=[obj.pk])
        return format_html('<a href="{}" download>{}</a>', url, _("Download .eml"))

    def get_urls(self):
        return [
            path(
                "<int:pk>/raw/",
                self.admin_site.admin_view(self.raw_view),
                name="email_channel_inboundemail_raw",
            ),
            *super().get_urls(),
        ]

    def raw_view(self, request, pk):
        inbound = self.get_object(request, str(pk))
        if inbound is None or not self.has_view_permission(request, inbound):
            return HttpResponse(status=404)
        response = HttpResponse(bytes(inbound.raw), content_type="message/rfc822")
        response["Content-Disposition"] = f'attachment; filename="message-{inbound.pk}.eml"'
        return response


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "state", "recipient", "ticket", "attempts", "error"]
    list_filter = ["kind", "state"]
    search_fields = ["msgid", "recipient"]
    list_select_related = ["ticket"]
    readonly_fields = [
        "ticket", "message", "kind", "recipient", "msgid", "language", "state", "attempts",
        "error", "created_at", "claimed_at", "sent_at",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
