from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from helpdesk.services.contacts import normalise_phone

from .models import Interpreter, WhatsAppTemplate


class StaffPhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("The phone you answer calls on"),
        max_length=30,
        required=False,
        help_text=_("Your mobile or desk phone, for example 0470 12 34 56."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "dir": "ltr"}),
    )

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])


class InterpreterForm(forms.Form):
    interpreter = forms.ModelChoiceField(
        label=_("Interpreter"), queryset=Interpreter.objects.none(), required=False
    )
    phone = forms.CharField(
        label=_("or their number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "dir": "ltr"}),
    )

    def __init__(self, *args, language=None, **kwargs):
        kwargs.setdefault("auto_id", "interpreter_%s")
        super().__init__(*args, **kwargs)
        interpreters = Interpreter.objects.filter(is_active=True)
        if language is not None:
            # Those who speak the caller's language first.
            speaks = Interpreter.objects.filter(languages=language).values("pk")
            interpreters = interpreters.annotate(
                speaks=Case(
                    When(pk__in=speaks, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            ).order_by("speaks", "name")
        self.fields["interpreter"].queryset = interpreters

    def clean(self):
        data = super().clean()
        if data.get("phone"):
            data["number"] = normalise_phone(data["phone"])
        elif data.get("interpreter"):
            data["number"] = data["interpreter"].phone
        else:
            raise forms.ValidationError(_("Choose an interpreter or enter a number."))
        return data


class WhatsAppTemplateForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Approved template"), queryset=WhatsAppTemplate.objects.none()
    )

    def __init__(self, *args, ticket=None, **kwargs):
        kwargs.setdefault("auto_id", "wa_%s")
        super().__init__(*args, **kwargs)
        templates = WhatsAppTemplate.objects.filter(is_active=True).select_related("language")
        if ticket is not None and ticket.language_id:
            templates = templates.annotate(
                mine=Case(
                    When(language_id=ticket.language_id, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            ).order_by("mine", "name")
        self.fields["template"].queryset = templates
