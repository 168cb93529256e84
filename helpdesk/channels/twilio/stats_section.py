"""The phone section of the statistics page, the exports and the annual report.

Figures come from `selectors.stats.phone_figures` (one grouped query over the period's calls);
this module only shapes them for the page: shares by language, the week's heat map, the tables.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helpdesk.models import Language
from helpdesk.stats import sections
from helpdesk.stats.formatting import number, percent
from helpdesk.stats.sections import Scope, Table
from helpdesk.stats.selectors.tickets import Row

from .selectors.stats import PhoneFigures, phone_figures


@dataclass
class PhoneSection:
    figures: PhoneFigures
    languages: list[Row]  # incoming calls per chosen language, most first
    heat: dict[int, int]  # incoming calls per hour of the week (0 = Monday 00h)

    @property
    def totals(self) -> dict[str, int]:
        return self.figures.totals


def compute(scope: Scope) -> PhoneSection:
    figures = phone_figures(start=scope.start, end=scope.end, queue=scope.queue)
    names = dict(Language.objects.values_list("code", "name"))  # translated by modeltranslation
    languages = sorted(
        (
            Row(code or "", names.get(code, code) if code else _("None chosen"), counts["calls"])
            for code, counts in figures.by_language.items()
            if counts["calls"]
        ),
        key=lambda row: (-row.count, row.label),
    )
    heat = {
        (weekday - 1) * 24 + hour: counts["calls"]
        for (weekday, hour), counts in figures.by_hour.items()
        if counts["calls"]
    }
    return PhoneSection(figures, languages, heat)


LABELS = {
    "calls": gettext_lazy("Incoming calls"),
    "answered": gettext_lazy("Answered"),
    "answered_within_60s": gettext_lazy("Answered within 60 seconds"),
    "abandoned": gettext_lazy("Hung up while waiting"),
    "voicemails": gettext_lazy("Voicemails"),
    "callbacks": gettext_lazy("Call-back requests"),
    "callbacks_made": gettext_lazy("Call-backs made"),
    "callbacks_reached": gettext_lazy("Call-backs that reached the person"),
}


def tables(s: PhoneSection, scope: Scope) -> list[Table]:
    calls = s.totals["calls"]
    return [
        Table(
            key="phone",
            title=_("Phone"),
            columns=[_("Figure"), _("Number")],
            rows=[[str(LABELS[key]), value] for key, value in s.totals.items()],
            codes=list(s.totals),
        ),
        Table(
            key="phone_languages",
            title=_("Incoming calls by language"),
            columns=[_("Language"), _("Number"), _("Share (%)")],
            rows=[
                [r.label, r.count, round(100 * r.count / calls, 1) if calls else None]
                for r in s.languages
            ],
            codes=[r.code for r in s.languages],
        ),
        Table(
            key="phone_hours",
            title=_("Incoming calls by hour of the week"),
            columns=[_("Hour of the week (0 = Monday 00:00)"), _("Number")],
            rows=[[hour, count] for hour, count in sorted(s.heat.items())],
            codes=[str(hour) for hour in sorted(s.heat)],
        ),
    ]


def headlines(s: PhoneSection, scope: Scope) -> list[str]:
    t = s.totals
    if not t["calls"]:
        return []
    return [
        _(
            "We took %(calls)s calls and answered %(answered)s (%(share)s), %(within)s of them "
            "within a minute; %(voicemails)s callers left a voicemail."
        )
        % {
            "calls": number(t["calls"]),
            "answered": number(t["answered"]),
            "share": percent(t["answered"], t["calls"]),
            "within": number(t["answered_within_60s"]),
            "voicemails": number(t["voicemails"]),
        }
    ]


def summary(s: PhoneSection, scope: Scope) -> dict:
    return {**s.totals, "by_language": {r.code: r.count for r in s.languages}}


def register() -> None:
    sections.register(
        sections.Section(
            key="phone",
            title=gettext_lazy("Phone"),
            compute=compute,
            template="twilio_channel/stats_phone.html",
            tables=tables,
            headlines=headlines,
            summary=summary,
            order=40,
        )
    )
