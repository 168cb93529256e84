"""The ticket figures of a period: every number is aggregated in the database.

Definitions (also on the page and in the README):
- A ticket counts in the period in which it was created (local time), once: tickets merged
  into another are left out (the ticket they were merged into counts).
- A contact is every such ticket. A question is a contact that is not only a non-question
  (topics marked "not a question": silent call, hang-up, wrong number, abusive, thanks); a ticket
  without a topic yet counts as a question.
- A question is answered when it has a first response (an answer sent, or recorded as given by
  phone or at the gate), whenever that came.
- First-response time: from creation to the first answer; resolution time: from creation to the
  final close (a reopened ticket is measured to its last close; open tickets are not measured).
  Both in calendar hours and in opening hours of the ticket's queue, as median and 90th
  percentile.
- A ticket counts under each of its topics (the topic rows add up to more than the contacts), and
  under the codes it carries, retired or not: codes never change, so last year's figures stay.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, QuerySet

from helpdesk.models import (
    Channel,
    Language,
    Outcome,
    Queue,
    ReferralOrganisation,
    RequesterType,
    Ticket,
    Topic,
)

from ..db import (
    Distribution,
    distribution_by_rank,
    distributions_from_aggregates,
    is_postgresql,
    percentile_aggregates,
    tuned_for_aggregates,
)
from ..models import Dimension
from ..sections import Scope
from .counts import (
    ALL,
    changed_days,
    duration_metrics,
    period_counts,
    period_distributions,
    rollup_version,
)

NONE = "none"  # the code under which tickets without a value are counted


def counted_tickets(scope: Scope) -> QuerySet[Ticket]:
    """The tickets a period counts: created in it, merged-away duplicates left out."""
    tickets = Ticket.objects.filter(**scope.created_in(), merged_into__isnull=True)
    if scope.queue is not None:
        tickets = tickets.filter(queue=scope.queue)
    return tickets.order_by()


@dataclass
class Row:
    code: str
    label: str
    count: int
    retired: bool = False


@dataclass
class Durations:
    calendar: Distribution
    opening_hours: Distribution

    @staticmethod
    def hours(seconds):
        return None if seconds is None else round(seconds / 3600, 2)

    def as_dict(self) -> dict:
        return {
            "count": self.calendar.count,
            "median_hours": self.hours(self.calendar.median),
            "p90_hours": self.hours(self.calendar.p90),
            "median_opening_hours": self.hours(self.opening_hours.median),
            "p90_opening_hours": self.hours(self.opening_hours.p90),
        }


@dataclass
class TicketFigures:
    total: int
    questions: int
    answered: int
    closed: int
    reopened: int
    policy_signals: int
    by_month: dict[str, int]
    by_month_channel: dict[str, dict[str, int]]
    channels: list[Row]
    queues: list[Row]
    requester_types: list[Row]
    languages: list[Row]
    topics: list[Row]
    outcomes: list[Row]
    referrals: list[Row]
    answered_by_channel: list[Row]
    first_response: Durations
    resolution: Durations
    hour_of_week: dict[int, int] = field(default_factory=dict)
    policy_by_month: dict[str, int] = field(default_factory=dict)
    policy_topics: list[Row] = field(default_factory=list)

    @property
    def non_questions(self) -> int:
        return self.total - self.questions

    def codes(self, rows: list[Row]) -> dict[str, int]:
        return {row.code: row.count for row in rows}


def _rows(counts: dict, entries: dict, *, code=lambda e: e.code, keep_all=False) -> list[Row]:
    """Rows for the counted keys (ids), labelled from `entries`, biggest first."""
    rows = []
    for key, count in counts.items():
        if key is None:
            rows.append(Row(NONE, _not_recorded(), count))
            continue
        entry = entries.get(key)
        if entry is None:  # cannot happen with PROTECT; never hide a count if it does
            rows.append(Row(str(key), str(key), count))
            continue
        retired = not getattr(entry, "is_active", True)
        rows.append(Row(code(entry), str(entry), count, retired))
    rows.sort(key=lambda r: (r.code == NONE, -r.count, r.label))
    return rows


def _not_recorded():
    from django.utils.translation import gettext

    return gettext("Not recorded")


def ticket_figures(scope: Scope) -> TicketFigures:
    """Every ticket figure of the scope, in a fixed number of queries whatever the data size.

    The counts come from the daily rollup, with the days changed since it was written counted
    from the tickets (selectors.counts.period_counts); the four duration distributions are
    exact percentiles over the period's tickets (one query on PostgreSQL; SQLite ranks each
    distribution in its own query). Marginals are summed here from a few thousand rows.
    """
    with tuned_for_aggregates():
        return _ticket_figures(scope, counted_tickets(scope))


def shared_ticket_figures(scope: Scope) -> TicketFigures:
    """The ticket figures, computed once per page (sections.compute_all gives a fresh memo)."""
    if "tickets" not in scope.memo:
        scope.memo["tickets"] = ticket_figures(scope)
    return scope.memo["tickets"]


def _ticket_figures(scope: Scope, tickets: QuerySet) -> TicketFigures:
    lists = _lists()
    changed = changed_days(scope.period)
    counts = period_counts(scope.period, topics=lists["topics"], changed=changed, queue=scope.queue)
    distributions = _cached_distributions(scope, tickets, changed)
    totals = counts.totals
    answered_channels = counts.answered_channels.copy()
    answered_channels.subtract(counts.not_questions_answered)
    referrals = counts.dimensions[Dimension.REFERRAL].copy()
    referrals.pop(None, None)  # most are not referred: count only those that are

    channel_labels = dict(Channel.choices)

    def coded(counted):
        return {code: _Coded(code, channel_labels.get(code, code)) for code in counted}

    def nonzero(counter):
        return {key: n for key, n in counter.items() if n}

    channels = nonzero(counts.channels)
    answered_channels = nonzero(answered_channels)
    return TicketFigures(
        total=totals["n"],
        questions=totals["n"] - sum(counts.not_questions.values()),
        answered=totals["answered"] - sum(counts.not_questions_answered.values()),
        closed=totals["closed"],
        reopened=totals["reopened"],
        policy_signals=totals["policy"],
        by_month=counts.by_month,
        by_month_channel=counts.by_month_channel,
        channels=_rows(channels, coded(channels)),
        queues=_rows(nonzero(counts.queues), lists["queues"], code=lambda q: q.slug),
        requester_types=_rows(
            nonzero(counts.dimensions[Dimension.REQUESTER_TYPE]), lists["requester_types"]
        ),
        languages=_rows(nonzero(counts.dimensions[Dimension.LANGUAGE]), lists["languages"]),
        topics=_rows(nonzero(counts.topics), lists["topics"]),
        outcomes=_rows(nonzero(counts.dimensions[Dimension.OUTCOME]), lists["outcomes"]),
        referrals=_rows(nonzero(referrals), lists["referrals"]),
        answered_by_channel=_rows(answered_channels, coded(answered_channels)),
        first_response=Durations(
            distributions["first_response"], distributions["first_response_open"]
        ),
        resolution=Durations(distributions["resolution"], distributions["resolution_open"]),
        hour_of_week=nonzero(counts.hour_of_week),
        policy_by_month=counts.policy_by_month,
        policy_topics=_rows(nonzero(counts.policy_topics), lists["topics"]),
    )


def _cached_distributions(scope: Scope, tickets: QuerySet, changed) -> dict[str, Distribution]:
    """The exact percentiles, from the cache when no day of the period changed since.

    Percentiles cannot be added up from daily rows: they sort the period's durations (most of a
    page's cost over a year). When every day of the period is rolled up, the result is cached
    under the period's rollup version (models.RollupDay), which grows whenever one of its days
    is recounted: a cached value is never stale. Periods with changed days (today's, usually)
    are computed every time.
    """
    version = rollup_version(scope.period)  # asked always: the same queries either way
    if changed:  # a set of days, or ALL
        return _distributions(scope, tickets, changed)
    queue = scope.queue.pk if scope.queue else "all"
    key = f"stats:percentiles:{scope.period.start}:{scope.period.end}:{queue}:{settings.TIME_ZONE}"
    cached = cache.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    distributions = _distributions(scope, tickets, changed)
    cache.set(
        key, (version, distributions), getattr(settings, "STATS_PERCENTILE_CACHE_SECONDS", 86400)
    )
    return distributions


def _distributions(scope: Scope, tickets: QuerySet, changed) -> dict[str, Distribution]:
    if is_postgresql() and changed != ALL:
        return period_distributions(scope.period, changed=changed, queue=scope.queue)
    metrics = duration_metrics()
    if is_postgresql():
        counts = {f"{name}__n": Count(expression) for name, expression in metrics.items()}
        result = tickets.aggregate(**counts, **percentile_aggregates(metrics))
        return distributions_from_aggregates(result, {n: result[f"{n}__n"] for n in metrics})
    return {name: distribution_by_rank(tickets, expr) for name, expr in metrics.items()}


@dataclass
class _Coded:
    code: str
    name: str
    is_active: bool = True

    def __str__(self):
        return str(self.name)


def _lists() -> dict[str, dict]:
    """The coded lists by id (as text, like the rollup's codes), retired entries included."""
    return {
        "queues": {q.pk: q for q in Queue.objects.all()},
        "requester_types": {str(e.pk): e for e in RequesterType.objects.all()},
        "languages": {str(e.pk): e for e in Language.objects.all()},
        "outcomes": {str(e.pk): e for e in Outcome.objects.all()},
        "referrals": {str(e.pk): e for e in ReferralOrganisation.objects.all()},
        "topics": {str(e.pk): e for e in Topic.objects.all()},
    }
