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

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from helpdesk.models import (
    Channel,
    Language,
    Outcome,
    Queue,
    ReferralOrganisation,
    RequesterType,
    Ticket,
    TicketTopic,
    Topic,
)

from ..db import (
    Distribution,
    distribution_by_rank,
    distributions_from_aggregates,
    is_postgresql,
    percentile_aggregates,
    seconds_between,
    tuned_for_aggregates,
)
from ..sections import Scope

NONE = "none"  # the code under which tickets without a value are counted


def counted_tickets(scope: Scope) -> QuerySet[Ticket]:
    """The tickets a period counts: created in it, merged-away duplicates left out."""
    tickets = Ticket.objects.filter(**scope.created_in(), merged_into__isnull=True)
    if scope.queue is not None:
        tickets = tickets.filter(queue=scope.queue)
    return tickets.order_by()


DURATIONS = {
    # name: (calendar seconds expression, stored opening-hours seconds field)
    "first_response": (
        seconds_between("created_at", "first_response_at"),
        "first_response_open_seconds",
    ),
    "resolution": (seconds_between("created_at", "closed_at"), "resolution_open_seconds"),
}


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
    """Every ticket figure of the scope in five aggregate queries (plus the small lists).

    Few passes over the period's tickets, each grouping by several columns at once (the number
    of groups is bounded by the codes, not by the tickets), then the marginals are summed here:
    1. month x channel x hour of the week, with answered/closed/reopened/policy counts;
    2. queue x requester type x language x outcome x referral;
    3. the four duration distributions (one query with percentile_cont on PostgreSQL; SQLite
       ranks each distribution in its own query);
    4. topics (and how many tickets have one), through the ticket-topic table;
    5. the tickets that are not questions, by channel.
    """
    with tuned_for_aggregates():
        return _ticket_figures(scope, counted_tickets(scope))


def shared_ticket_figures(scope: Scope) -> TicketFigures:
    """The ticket figures, computed once per page (sections.compute_all gives a fresh memo)."""
    if "tickets" not in scope.memo:
        scope.memo["tickets"] = ticket_figures(scope)
    return scope.memo["tickets"]


def _ticket_figures(scope: Scope, tickets: QuerySet) -> TicketFigures:
    by_month = dict.fromkeys(scope.month_keys(), 0)
    by_month_channel: dict[str, dict[str, int]] = {key: {} for key in by_month}
    policy_by_month = dict.fromkeys(by_month, 0)
    channel_counts: Counter = Counter()
    answered_channels: Counter = Counter()
    hour_of_week: Counter = Counter()
    totals = Counter()
    rows = (
        tickets.annotate(
            month=scope.local_month("created_at"), how=scope.hour_of_week("created_at")
        )
        .values("month", "channel", "how")
        .annotate(
            n=Count("id"),
            answered=Count("id", filter=Q(first_response_at__isnull=False)),
            closed=Count("id", filter=Q(closed_at__isnull=False)),
            reopened=Count("id", filter=Q(reopen_count__gt=0)),
            policy=Count("id", filter=Q(policy_signal=True)),
        )
        .values_list("month", "channel", "how", "n", "answered", "closed", "reopened", "policy")
    )
    for month, channel, how, n, answered, closed, reopened, policy in rows:
        by_month[month] = by_month.get(month, 0) + n
        cell = by_month_channel.setdefault(month, {})
        cell[channel] = cell.get(channel, 0) + n
        channel_counts[channel] += n
        answered_channels[channel] += answered
        hour_of_week[how] += n
        policy_by_month[month] = policy_by_month.get(month, 0) + policy
        totals.update(n=n, answered=answered, closed=closed, reopened=reopened, policy=policy)

    dimensions = {f: Counter() for f in DIMENSIONS}
    for row in tickets.values(*DIMENSIONS).annotate(n=Count("id")).values_list(*DIMENSIONS, "n"):
        for field_name, key in zip(DIMENSIONS, row[:-1], strict=True):
            dimensions[field_name][key] += row[-1]
    dimensions["referral_id"].pop(None, None)  # most are not referred: count only those that are

    distributions = _distributions(tickets)

    topic_counts = dict(
        TicketTopic.objects.filter(ticket__in=tickets)
        .values("topic_id")
        .annotate(n=Count("ticket_id"))
        .values_list("topic_id", "n")
    )
    lists = _lists()
    not_questions, not_questions_answered = _not_questions(scope, lists["topics"])
    answered_channels.subtract(not_questions_answered)

    channel_labels = dict(Channel.choices)

    def coded(counts):
        return {code: _Coded(code, channel_labels.get(code, code)) for code in counts}

    answered_channels = {c: n for c, n in answered_channels.items() if n}
    return TicketFigures(
        total=totals["n"],
        questions=totals["n"] - sum(not_questions.values()),
        answered=totals["answered"] - sum(not_questions_answered.values()),
        closed=totals["closed"],
        reopened=totals["reopened"],
        policy_signals=totals["policy"],
        by_month=by_month,
        by_month_channel=by_month_channel,
        channels=_rows(channel_counts, coded(channel_counts)),
        queues=_rows(dimensions["queue_id"], lists["queues"], code=lambda q: q.slug),
        requester_types=_rows(dimensions["requester_type_id"], lists["requester_types"]),
        languages=_rows(dimensions["language_id"], lists["languages"]),
        topics=_rows(topic_counts, lists["topics"]),
        outcomes=_rows(dimensions["outcome_id"], lists["outcomes"]),
        referrals=_rows(dimensions["referral_id"], lists["referrals"]),
        answered_by_channel=_rows(answered_channels, coded(answered_channels)),
        first_response=Durations(
            distributions["first_response"], distributions["first_response_open"]
        ),
        resolution=Durations(distributions["resolution"], distributions["resolution_open"]),
        hour_of_week={how: n for how, n in hour_of_week.items() if n},
        policy_by_month=policy_by_month,
    )


def _not_questions(scope: Scope, topics: dict) -> tuple[Counter, Counter]:
    """Tickets whose topics are all non-questions, by channel (all, and those answered).

    Starts from the few ticket-topic rows with a non-question topic (the index on topic), not
    from every ticket of the period, and probes each one's other topics through the
    (ticket, topic) index. The topic ids are given as lists so the planner sees how few rows
    qualify (joined to the topic table, PostgreSQL hashed every ticket-topic row instead).
    """
    questions = [pk for pk, t in topics.items() if t.is_question]
    not_questions = [pk for pk, t in topics.items() if not t.is_question]
    question_topic = TicketTopic.objects.filter(
        ticket_id=OuterRef("ticket_id"), topic_id__in=questions
    )
    rows = (
        TicketTopic.objects.filter(
            topic_id__in=not_questions, **scope.created_in("ticket__created_at")
        )
        .filter(ticket__merged_into__isnull=True)
        .filter(**({"ticket__queue": scope.queue} if scope.queue is not None else {}))
        .filter(~Exists(question_topic))
        .values("ticket__channel")
        .annotate(
            n=Count("ticket_id", distinct=True),
            answered=Count(
                "ticket_id", distinct=True, filter=Q(ticket__first_response_at__isnull=False)
            ),
        )
        .values_list("ticket__channel", "n", "answered")
    )
    total, answered = Counter(), Counter()
    for channel, n, was_answered in rows:
        total[channel] += n
        answered[channel] += was_answered
    return total, answered


DIMENSIONS = ["queue_id", "requester_type_id", "language_id", "outcome_id", "referral_id"]


def _distributions(tickets: QuerySet) -> dict[str, Distribution]:
    metrics = {}
    for name, (calendar, open_field) in DURATIONS.items():
        metrics[name] = calendar
        metrics[f"{name}_open"] = F(open_field)
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
    """The coded lists by id, retired entries included (they still count)."""
    return {
        "queues": {q.pk: q for q in Queue.objects.all()},
        "requester_types": {e.pk: e for e in RequesterType.objects.all()},
        "languages": {e.pk: e for e in Language.objects.all()},
        "outcomes": {e.pk: e for e in Outcome.objects.all()},
        "referrals": {e.pk: e for e in ReferralOrganisation.objects.all()},
        "topics": {e.pk: e for e in Topic.objects.all()},
    }
