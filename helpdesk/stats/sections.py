"""The statistics page is a list of sections; any app can contribute one.

Tickets, backlog, Startpunt and policy signals are sections of this app. The phone channel and
the knowledge base add theirs the same way, from their AppConfig.ready():

    from helpdesk.stats import sections

    sections.register(sections.Section(
        key="phone",
        title=_("Phone"),
        compute=phone_figures,          # (scope) -> figures: aggregated in the database
        template="twilio/stats_phone.html",  # rendered with {{ section }}, {{ figures }}, {{ scope }}
        tables=phone_tables,            # (figures, scope) -> [Table]: page, CSV and XLSX exports
        headlines=phone_headlines,      # (figures, scope) -> [str]: the annual report's sentences
        summary=phone_summary,          # (figures, scope) -> dict: the summary API's "sections"
        order=40,
    ))

`compute` must aggregate in the database (Count, Sum, the expressions in helpdesk.stats.db:
`scope.local_month(field)`, `scope.hour_of_week(field)`) and run a fixed number of queries
whatever the data size: the page's query count is asserted. A heat map of the week is drawn with
`helpdesk.stats.charts.heatmap(counts)` and `{% include "stats/charts/heatmap.html" %}`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Expression

from .db import HourOfWeek, LocalMonth, tuned_for_aggregates
from .periods import Period


@dataclass(frozen=True)
class Scope:
    """What the figures are asked for: a period and, optionally, one queue."""

    period: Period
    queue: Any = None  # helpdesk.models.Queue or None for every queue
    # Results shared by the sections of one computation (the policy section reuses the ticket
    # figures' pass instead of scanning the period again).
    memo: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def start(self):
        return self.period.start_at

    @property
    def end(self):
        return self.period.end_at

    def created_in(self, field_name: str = "created_at") -> dict:
        """Filter keyword arguments: `field_name` falls within the period."""
        return {f"{field_name}__gte": self.start, f"{field_name}__lt": self.end}

    def local_month(self, field_name: str) -> Expression:
        return LocalMonth(field_name, period=self.period)

    def hour_of_week(self, field_name: str) -> Expression:
        return HourOfWeek(field_name, period=self.period)

    def month_keys(self) -> list[str]:
        return [f"{m:%Y-%m}" for m in self.period.months]


@dataclass
class Table:
    """A table of figures: shown beside its chart, exported as CSV and as an XLSX sheet.

    `columns` are headings; each row starts with its label. `codes` (optional, one per row) are
    the stable codes exports carry next to the translated labels.
    """

    key: str
    title: str
    columns: list[str]
    rows: list[list]
    codes: list[str] | None = None
    note: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: Any
    compute: Callable[[Scope], Any]
    template: str
    tables: Callable[[Any, Scope], list[Table]] | None = None
    headlines: Callable[[Any, Scope], list[str]] | None = None
    summary: Callable[[Any, Scope], dict] | None = None
    order: int = 100
    # False for sections that belong to no queue (Startpunt): left out when a queue is chosen.
    queue_scoped: bool = True
    permission: str = "helpdesk.view_statistics"


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> Section:
    """Add (or replace, by key) a section of the statistics page."""
    _SECTIONS[section.key] = section
    return section


def unregister(key: str) -> None:
    _SECTIONS.pop(key, None)


def registered(*, user=None, scope: Scope | None = None) -> list[Section]:
    """The sections to show, in order: those the user may see and that fit the scope."""
    chosen: Iterable[Section] = sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))
    if user is not None:
        chosen = [s for s in chosen if user.has_perm(s.permission)]
    if scope is not None and scope.queue is not None:
        chosen = [s for s in chosen if s.queue_scoped]
    return list(chosen)


def get(key: str) -> Section:
    return _SECTIONS[key]


@dataclass
class Computed:
    section: Section
    figures: Any
    scope: Scope

    @property
    def tables(self) -> list[Table]:
        return self.section.tables(self.figures, self.scope) if self.section.tables else []

    @property
    def headlines(self) -> list[str]:
        return self.section.headlines(self.figures, self.scope) if self.section.headlines else []

    @property
    def summary(self) -> dict | None:
        return self.section.summary(self.figures, self.scope) if self.section.summary else None


def compute_all(scope: Scope, *, user=None, keys: Iterable[str] | None = None) -> list[Computed]:
    scope = replace(scope, memo={})  # one computation, one memo
    chosen = registered(user=user, scope=scope)
    if keys is not None:
        wanted = set(keys)
        chosen = [s for s in chosen if s.key in wanted]
    # One snapshot and in-memory sorts for the whole page (PostgreSQL; nothing on SQLite).
    with tuned_for_aggregates():
        return [Computed(section, section.compute(scope), scope) for section in chosen]
