from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from helpdesk.models import Language, Queue, Topic

from .models import StartpuntSession
from .periods import PRESETS, Period, preset
from .sections import Scope

CUSTOM = "custom"
MAX_DAYS = 366 * 10


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StatsFilterForm(forms.Form):
    """The period and queue of the statistics page, from the URL (so a view can be bookmarked)."""

    period = forms.ChoiceField(
        label=_("Period"),
        choices=[*PRESETS.items(), (CUSTOM, _("Custom dates"))],
        required=False,
    )
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    queue = forms.ModelChoiceField(
        label=_("Queue"),
        queryset=Queue.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All queues"),
    )

    def clean(self):
        data = super().clean()
        name = data.get("period") or (CUSTOM if data.get("start") else "this_year")
        if name == CUSTOM:
            start, end = data.get("start"), data.get("end") or timezone.localdate()
            if not start:
                raise ValidationError({"start": _("Give the first day of the period.")})
            if end < start:
                raise ValidationError({"end": _("The period ends before it starts.")})
            if (end - start).days > MAX_DAYS:
                raise ValidationError(_("Choose a period of at most ten years."))
            data["period_obj"] = Period(start, end)
        else:
            data["period_obj"] = preset(name)
        data["period"] = name
        return data

    def scope(self) -> Scope:
        if self.is_valid():
            return Scope(self.cleaned_data["period_obj"], self.cleaned_data.get("queue"))
        return Scope(preset("this_year"))


class AnnualReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    queue = StatsFilterForm.base_fields["queue"]

    def scope(self) -> Scope:
        year = timezone.localdate().year
        queue = None
        if self.is_valid():
            year = self.cleaned_data.get("year") or year
            queue = self.cleaned_data.get("queue")
        return Scope(Period.year(year), queue)


class StartpuntSessionForm(forms.ModelForm):
    """A morning in a few taps: big number fields and checkboxes, no free text, no names."""

    class Meta:
        model = StartpuntSession
        fields = [
            "date",
            "volunteers_present",
            "people_informed",
            "languages",
            "flyers_handed_out",
            "topics",
        ]
        widgets = {
            "date": DateInput(),
            "volunteers_present": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "people_informed": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "flyers_handed_out": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "languages": forms.CheckboxSelectMultiple,
            "topics": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "people_informed": _("How many people you spoke with (a count, no names)."),
            "topics": _("What came up often or stood out."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.pk
        languages = Language.objects.filter(is_active=True)
        topics = Topic.objects.filter(is_active=True, is_question=True)
        if current:  # entries retired since stay on the session they were logged on
            languages = languages | Language.objects.filter(startpunt_sessions=current)
            topics = topics | Topic.objects.filter(startpunt_sessions=current)
        self.fields["languages"].queryset = languages.distinct()
        self.fields["topics"].queryset = topics.distinct()
        self.fields["volunteers_present"].min_value = 1
        if not current:
            self.initial.setdefault("date", timezone.localdate())

    def clean_date(self):
        day = self.cleaned_data["date"]
        today = timezone.localdate()
        if day > today:
            raise ValidationError(_("A morning can only be logged once it has happened."))
        if day < today - timedelta(days=366):
            raise ValidationError(_("That is more than a year ago; ask a coordinator."))
        clash = StartpuntSession.objects.filter(date=day).exclude(pk=self.instance.pk).first()
        if clash is not None:
            raise ValidationError(
                _(
                    "The morning of %(date)s was already logged. Change that one instead "
                    "(or ask a coordinator)."
                )
                % {"date": date_format(day, "DATE_FORMAT")}
            )
        return day
