"""The public question form and the private page's reply form.

They validate and normalise; the views hand the result to the services. What people type is kept
as text (markup included: it is escaped wherever it is shown), within lengths the models hold.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from helpdesk.forms import MultipleFileField
from helpdesk.services.contacts import normalise_email, normalise_phone

from . import selectors


class LanguageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # Each language in itself first, so a reader finds their own: "دری (Dari)".
        native, name = obj.native_name, str(obj.name)
        return f"{native} ({name})" if native and native != name else (native or name)


TOO_MANY_FILES = ngettext_lazy(
    "Send at most %(count)s file with one message.",
    "Send at most %(count)s files with one message.",
    "count",
)


def file_limit_attrs() -> dict:
    """The limits for the browser's own check (webform.js) as soon as files are chosen."""
    return {
        "data-max-bytes": settings.ATTACHMENT_MAX_BYTES,
        "data-max-files": settings.WEBFORM_MAX_FILES,
        # The script puts the file's name in place of {name}.
        "data-too-large": _("“{name}” is larger than %(limit)s.")
        % {"limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)},
        "data-too-many": TOO_MANY_FILES % {"count": settings.WEBFORM_MAX_FILES},
    }


class FilesField(MultipleFileField):
    """Several files, each within the attachment limits, at most WEBFORM_MAX_FILES of them.

    The limits are shown before upload (the help text) and checked in the browser as soon as
    files are chosen (file_limit_attrs); the server checks them again here.
    """

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(uploads) > settings.WEBFORM_MAX_FILES:
            raise ValidationError(
                TOO_MANY_FILES, code="too_many_files", params={"count": settings.WEBFORM_MAX_FILES}
            )
        return super().clean(data, initial)


class QuestionForm(forms.Form):
    requester_type = forms.ModelChoiceField(
        label=_("You are"),
        queryset=selectors.requester_types(),
        empty_label=_("Choose…"),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        required=False,
        max_length=200,
        help_text=_("If you ask for someone else: the organisation you work for."),
        widget=forms.TextInput(attrs={"autocomplete": "organization", "dir": "auto"}),
    )
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=200,
        help_text=_("Optional."),
        widget=forms.TextInput(attrs={"autocomplete": "name", "dir": "auto"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=30,
        help_text=_("With the country code if it is not a Belgian number, e.g. +33 6 12 34 56 78."),
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "dir": "ltr", "inputmode": "tel"}
        ),
    )
    language = LanguageChoiceField(
        label=_("Language for the answer"),
        queryset=selectors.answer_languages(),
        empty_label=None,
    )
    queue = forms.ModelChoiceField(
        label=_("Who should answer"),
        queryset=selectors.public_queues(),
        empty_label=None,
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=selectors.question_topics(),
        required=False,
        empty_label=_("I don't know"),
    )
    question = forms.CharField(
        label=_("Your question"),
        max_length=settings.WEBFORM_QUESTION_MAX_LENGTH,
        help_text=_(
            "Write what we need to answer. You do not need to tell us the person's story, "
            "religion, politics, sexuality or health unless the answer depends on it."
        ),
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
    )
    attachments = FilesField(label=_("Documents (optional)"))
    consent = forms.BooleanField(
        label=_(
            "I have read how my data is used (above) and agree that it is stored to answer my "
            "question."
        ),
        error_messages={"required": _("We can only answer if you agree to the privacy notice.")},
    )
    # The honeypot (defences.HONEYPOT_FIELD): hidden from people by the stylesheet, filled in by
    # bots. The view checks it before anything else and never sends its value back.
    website_address = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Querysets are evaluated per form, so a topic retired a minute ago is no longer offered.
        self.fields["requester_type"].queryset = selectors.requester_types()
        self.fields["language"].queryset = selectors.answer_languages()
        self.fields["queue"].queryset = selectors.public_queues()
        self.fields["topic"].queryset = selectors.question_topics()
        self.fields["attachments"].widget.attrs.update(file_limit_attrs())
        if self.fields["queue"].queryset.count() <= 1:
            self.fields["queue"].widget = forms.HiddenInput()

    @property
    def queue_is_hidden(self):
        return self.fields["queue"].widget.is_hidden

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        reachable = data.get("email") or data.get("phone")
        if not (reachable or self.has_error("email") or self.has_error("phone")):
            message = _("Give an email address or a phone number, so that we can answer you.")
            self.add_error("email", message)
        return data


class PrivateReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        required=False,
        max_length=settings.WEBFORM_QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
    )
    attachments = FilesField(label=_("Add a document"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].widget.attrs.update(file_limit_attrs())

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("body") and not data.get("attachments"):
            self.add_error("body", _("Write a message or add a document."))
        return data
