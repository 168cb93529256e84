from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from helpdesk.privacy.models import AuditAction
from helpdesk.privacy.selectors import AuditFilters

REASON_HELP = _(
    "How and when the person asked, and how you checked it was them (for example: “email of "
    "3 March, identity confirmed by phone”). No personal details: this record outlives the data."
)


def reason_field():
    return forms.CharField(
        label=_("Why"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REASON_HELP,
    )


class ContactSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a person"),
        max_length=200,
        required=False,
        help_text=_("Email address, phone number, name, or their number (#123)."),
    )


class RectifyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.CharField(label=_("Email address"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=30, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    reason = reason_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "rectify_%s")
        super().__init__(*args, **kwargs)


class ExportForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Written in"),
        choices=[("", _("The person's own language")), *list(settings.LANGUAGES)],
        required=False,
    )
    include_notes = forms.BooleanField(
        label=_("Include internal notes"),
        required=False,
        initial=True,
        help_text=_(
            "They are data about the person too. Leave them out only where the law allows it "
            "(for example to protect someone else), and say so in the reason."
        ),
    )
    reason = reason_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "export_%s")
        super().__init__(*args, **kwargs)


class EraseForm(forms.Form):
    reason = reason_field()
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "erase_%s")
        super().__init__(*args, **kwargs)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "dir": "ltr",
            }
        ),
        help_text=_("The six digits your authenticator app shows, or one of your backup codes."),
    )


ACTION_GROUPS = [
    ("auth.", _("All logins and security")),
    ("ticket.", _("All ticket access and changes")),
    ("contact.", _("All rights requests and people")),
]


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Who (user name)"), max_length=150, required=False)
    action = forms.ChoiceField(
        label=_("What"),
        required=False,
        choices=[("", _("Everything")), *ACTION_GROUPS, *AuditAction.choices],
    )
    target = forms.CharField(
        label=_("Ticket, person or user"),
        max_length=150,
        required=False,
        help_text=_("A reference (IL-2026-000123), a person's number (#123) or a user name."),
    )
    ip = forms.GenericIPAddressField(label=_("IP address"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filters(self) -> AuditFilters:
        if not self.is_valid():
            return AuditFilters()
        return AuditFilters(**self.cleaned_data)
