"""Setting up the phone line: numbers and their language menus, recorded prompts, voices,
WhatsApp templates, interpreters and staff phones. Call records and incoming messages are
read-only (administrators only: they hold callers' numbers)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from helpdesk.services.contacts import normalise_phone

from .models import (
    Call,
    InboundMessage,
    InboundStatus,
    Interpreter,
    MenuOption,
    PhoneNumber,
    PromptKind,
    StaffPhone,
    TextToSpeechVoice,
    VoicePrompt,
    WhatsAppTemplate,
)
from .models.messaging import TemplateVariable
from .speech import prompt_gaps


class PhoneFieldForm(forms.ModelForm):
    """Numbers are stored as Twilio sends them (E.164), whatever way they were typed."""

    phone_fields = ("phone",)

    def clean(self):
        data = super().clean()
        for field in self.phone_fields:
            if data.get(field):
                try:
                    data[field] = normalise_phone(data[field])
                except ValidationError as error:
                    self.add_error(field, error)
        return data


class PhoneNumberForm(PhoneFieldForm):
    phone_fields = ("number",)

    class Meta:
        model = PhoneNumber
        fields = (
            "number",
            "label",
            "queue",
            "handles_calls",
            "handles_sms",
            "handles_whatsapp",
            "default_language",
            "greeting",
            "max_wait_seconds",
            "is_active",
        )


class MenuOptionInline(admin.TabularInline):
    model = MenuOption
    extra = 0
    autocomplete_fields = ("language",)


@admin.register(PhoneNumber)
class PhoneNumberAdmin(admin.ModelAdmin):
    form = PhoneNumberForm
    inlines = [MenuOptionInline]
    list_display = (
        "number",
        "label",
        "queue",
        "handles_calls",
        "handles_sms",
        "handles_whatsapp",
        "is_active",
    )
    list_filter = ("queue", "is_active")
    readonly_fields = ("missing_prompts",)
    fields = (
        "number",
        "label",
        "queue",
        ("handles_calls", "handles_sms", "handles_whatsapp"),
        "default_language",
        "greeting",
        "max_wait_seconds",
        "is_active",
        "missing_prompts",
    )

    @admin.display(description=_("Prompts callers would not hear in their language"))
    def missing_prompts(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        gaps = prompt_gaps(obj)
        if not gaps:
            return _(
                "None: every language of the menu has a recording or a voice for every prompt."
            )
        labels = dict(PromptKind.choices) | {
            "menu": _("Menu choice"),
            "position": _("Position in the queue"),
        }
        return format_html_join(
            "", "<div>{}: {}</div>", ((language, labels.get(kind, kind)) for language, kind in gaps)
        )


@admin.register(VoicePrompt)
class VoicePromptAdmin(admin.ModelAdmin):
    list_display = ("kind", "language", "recording", "updated_at")
    list_filter = ("kind", "language")


@admin.register(TextToSpeechVoice)
class TextToSpeechVoiceAdmin(admin.ModelAdmin):
    list_display = ("language", "tts_language", "voice")


class WhatsAppTemplateForm(forms.ModelForm):
    class Meta:
        model = WhatsAppTemplate
        fields = ("name", "content_sid", "language", "body", "variables", "is_active")

    def clean_variables(self):
        variables = self.cleaned_data["variables"] or {}
        if not isinstance(variables, dict) or any(
            not str(key).isdigit() or value not in TemplateVariable.values
            for key, value in variables.items()
        ):
            raise ValidationError(
                _("Use numbers as keys and one of %(kinds)s as values."),
                params={"kinds": ", ".join(TemplateVariable.values)},
            )
        return variables


@admin.register(WhatsAppTemplate)
class WhatsAppTemplateAdmin(admin.ModelAdmin):
    form = WhatsAppTemplateForm
    list_display = ("name", "language", "content_sid", "is_active")
    list_filter = ("language", "is_active")


class InterpreterForm(PhoneFieldForm):
    class Meta:
        model = Interpreter
        fields = ("name", "phone", "organisation", "languages", "is_active")


@admin.register(Interpreter)
class InterpreterAdmin(admin.ModelAdmin):
    form = InterpreterForm
    list_display = ("name", "organisation", "phone", "is_active")
    filter_horizontal = ("languages",)
    search_fields = ("name", "organisation")


class StaffPhoneForm(PhoneFieldForm):
    class Meta:
        model = StaffPhone
        fields = ("user", "phone", "available_on")


@admin.register(StaffPhone)
class StaffPhoneAdmin(admin.ModelAdmin):
    form = StaffPhoneForm
    list_display = ("user", "phone", "available_on")
    autocomplete_fields = ("user",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Call)
class CallAdmin(ReadOnlyAdmin):
    list_display = (
        "started_at",
        "direction",
        "queue",
        "language",
        "result",
        "queue_seconds",
        "answered_by",
    )
    list_filter = ("direction", "result", "queue", "language")
    date_hierarchy = "started_at"


@admin.action(description=_("Process again"))
def process_again(modeladmin, request, queryset):
    from .tasks import inbound_process

    count = 0
    for inbound in queryset.exclude(status=InboundStatus.DONE):
        inbound_process.enqueue(inbound.pk)
        count += 1
    modeladmin.message_user(
        request, _("%(count)d message(s) queued.") % {"count": count}, messages.SUCCESS
    )


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "channel", "status", "error", "attempts")
    list_filter = ("status", "channel")
    actions = [process_again]
