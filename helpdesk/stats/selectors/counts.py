"""The counts of a period's tickets: from the daily rollup where it is current, from the tickets
themselves for the days that changed since it was written. Exact either way.

One definition of every count, `day_rows()`: it groups tickets by local day, queue and one
dimension. The refresh (services.day_counts_refresh) stores its rows as DayCount; the statistics
read the stored rows of the period's clean days and run the same `day_rows()` over the days that
database triggers marked as changed (TicketChange). A page therefore costs a few thousand rollup
rows plus the tickets of the changed days (usually today's), instead of every ticket of the period.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from helpdesk.models import Ticket, TicketTopic

from ..db import FRACTIONS, Distribution, LocalDay, LocalHour, seconds_between
from ..models import DayCount, DayDurations, Dimension, RollupDay, TicketChange
from ..periods import Period, local_midnight

HOUR = timedelta(hours=1)
# Stored per (day, queue, dimension, code): n, answered, closed, reopened, policy.
Row = tuple[date, int, str, str, int, int, int, int, int]
FOREIGN_KEYS = {
    Dimension.REQUESTER_TYPE: "requester_type_id",
    Dimension.LANGUAGE: "language_id",
    Dimension.OUTCOME: "outcome_id",
    Dimension.REFERRAL: "referral_id",
}


def runs(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) runs."""
    result: list[list[date]] = []
    for day in sorted(set(days)):
        if result and day - result[-1][1] == timedelta(days=1):
            result[-1][1] = day
        else:
            result.append([day, day])
    return [(first, last) for first, last in result]


def _created_in(days: list[date], prefix: str = "") -> Q:
    """The tickets created on `days` (local), as a few ranges; nothing (but still a query) if none."""
    if not days:
        moment = timezone.now()
        return Q(**{f"{prefix}created_at__gte": moment, f"{prefix}created_at__lt": moment})
    condition = Q()
    for first, last in runs(days):
        condition |= Q(
            **{
                f"{prefix}created_at__gte": local_midnight(first),
                f"{prefix}created_at__lt": local_midnight(last + timedelta(days=1)),
            }
        )
    return condition


def day_rows(days: list[date], *, topics: dict, queue=None) -> list[Row]:
    """Every count of the tickets created on `days`, by local day, queue and dimension.

    The tickets counted are those of the statistics' definitions (helpdesk.stats.selectors
    .tickets): merged duplicates left out, a ticket under each of its topics, "not a question"
    when all its topics are non-questions. `topics` is the topic list by id (flags as now).
    Runs the same nine grouped queries whatever `days` holds.
    """
    span = (
        Period(min(days), max(days)) if days else Period(timezone.localdate(), timezone.localdate())
    )

    def day(field_name):
        return LocalDay(field_name, period=span)

    tickets = Ticket.objects.filter(_created_in(days), merged_into__isnull=True).order_by()
    through = TicketTopic.objects.filter(
        _created_in(days, "ticket__"), ticket__merged_into__isnull=True
    ).order_by()
    if queue is not None:
        tickets = tickets.filter(queue=queue)
        through = through.filter(ticket__queue=queue)
    tickets = tickets.annotate(d=day("created_at"))
    through = through.annotate(d=day("ticket__created_at"), q=F("ticket__queue_id"))

    rows: list[Row] = []
    for d, q, channel, n, answered, closed, reopened, policy in (
        tickets.values("d", "queue_id", "channel")
        .annotate(
            n=Count("id"),
            answered=Count("id", filter=Q(first_response_at__isnull=False)),
            closed=Count("id", filter=Q(closed_at__isnull=False)),
            reopened=Count("id", filter=Q(reopen_count__gt=0)),
            policy=Count("id", filter=Q(policy_signal=True)),
        )
        .values_list("d", "queue_id", "channel", "n", "answered", "closed", "reopened", "policy")
    ):
        rows.append((d, q, Dimension.CHANNEL, channel, n, answered, closed, reopened, policy))
    for d, q, hour, n in (
        tickets.annotate(h=LocalHour("created_at", period=span))
        .values("d", "queue_id", "h")
        .annotate(n=Count("id"))
        .values_list("d", "queue_id", "h", "n")
    ):
        rows.append((d, q, Dimension.HOUR, str(hour), n, 0, 0, 0, 0))
    for dimension, column in FOREIGN_KEYS.items():
        for d, q, key, n in (
            tickets.values("d", "queue_id", column)
            .annotate(n=Count("id"))
            .values_list("d", "queue_id", column, "n")
        ):
            rows.append((d, q, dimension, _code(key), n, 0, 0, 0, 0))
    for d, q, topic, n in (
        through.values("d", "q", "topic_id")
        .annotate(n=Count("ticket_id"))
        .values_list("d", "q", "topic_id", "n")
    ):
        rows.append((d, q, Dimension.TOPIC, str(topic), n, 0, 0, 0, 0))
    for d, q, topic, n in (
        through.filter(ticket__policy_signal=True)
        .values("d", "q", "topic_id")
        .annotate(n=Count("ticket_id"))
        .values_list("d", "q", "topic_id", "n")
    ):
        rows.append((d, q, Dimension.POLICY_TOPIC, str(topic), n, 0, 0, 0, 0))
    rows += _not_questions(through, topics)
    return [(date.fromisoformat(d), *rest) for d, *rest in rows]


def _not_questions(through, topics: dict) -> list[Row]:
    """Tickets whose topics are all non-questions, by day, queue and channel (all, answered).

    Starts from the few ticket-topic rows with a non-question topic (the index on topic) and
    probes each one's other topics through the (ticket, topic) index. The topic ids are given as
    lists so the planner sees how few rows qualify.
    """
    questions = [pk for pk, t in topics.items() if t.is_question]
    not_questions = [pk for pk, t in topics.items() if not t.is_question]
    question_topic = TicketTopic.objects.filter(
        ticket_id=OuterRef("ticket_id"), topic_id__in=questions
    )
    return [
        (d, q, Dimension.NOT_QUESTION, channel, n, answered, 0, 0, 0)
        for d, q, channel, n, answered in (
            through.filter(topic_id__in=not_questions)
            .filter(~Exists(question_topic))
            .values("d", "q", "ticket__channel")
            .annotate(
                n=Count("ticket_id", distinct=True),
                answered=Count(
                    "ticket_id", distinct=True, filter=Q(ticket__first_response_at__isnull=False)
                ),
            )
            .values_list("d", "q", "ticket__channel", "n", "answered")
        )
    ]


def _code(key) -> str:
    return "" if key is None else str(key)


ALL = "all"


def changed_days(period: Period) -> set[date] | str:
    """The days of `period` whose tickets changed since the rollup counted them (or ALL)."""
    marks = (
        TicketChange.objects.filter(
            Q(hour__isnull=True) | Q(hour__gt=period.start_at - HOUR, hour__lt=period.end_at)
        )
        .values_list("hour", flat=True)
        .distinct()
    )
    days: set[date] = set()
    for hour in marks:
        if hour is None:
            return ALL
        # A mark covers an hour of creation times: both ends (a local midnight may fall inside).
        days.add(timezone.localdate(hour))
        days.add(timezone.localdate(hour + HOUR - timedelta(microseconds=1)))
    return {day for day in days if period.start <= day <= period.end}


@dataclass
class Counts:
    """What the ticket figures add up, before labels and percentiles."""

    months: list[str]
    totals: Counter = field(default_factory=Counter)
    by_month: dict = field(init=False)
    by_month_channel: dict = field(init=False)
    policy_by_month: dict = field(init=False)
    channels: Counter = field(default_factory=Counter)
    answered_channels: Counter = field(default_factory=Counter)
    queues: Counter = field(default_factory=Counter)
    hour_of_week: Counter = field(default_factory=Counter)
    dimensions: dict = field(default_factory=lambda: defaultdict(Counter))
    topics: Counter = field(default_factory=Counter)
    not_questions: Counter = field(default_factory=Counter)
    not_questions_answered: Counter = field(default_factory=Counter)
    policy_topics: Counter = field(default_factory=Counter)

    def __post_init__(self):
        self.by_month = dict.fromkeys(self.months, 0)
        self.by_month_channel = {key: {} for key in self.months}
        self.policy_by_month = dict.fromkeys(self.months, 0)

    def add(self, month, weekday, queue_id, dimension, code, n, answered, closed, reopened, policy):
        if dimension == Dimension.CHANNEL:
            self.totals.update(
                n=n, answered=answered, closed=closed, reopened=reopened, policy=policy
            )
            self.by_month[month] = self.by_month.get(month, 0) + n
            cell = self.by_month_channel.setdefault(month, {})
            cell[code] = cell.get(code, 0) + n
            self.policy_by_month[month] = self.policy_by_month.get(month, 0) + policy
            self.channels[code] += n
            self.answered_channels[code] += answered
            self.queues[queue_id] += n
        elif dimension == Dimension.HOUR:
            self.hour_of_week[weekday * 24 + int(code)] += n
        elif dimension in FOREIGN_KEYS:
            self.dimensions[dimension][code or None] += n
        elif dimension == Dimension.TOPIC:
            self.topics[code] += n
        elif dimension == Dimension.POLICY_TOPIC:
            self.policy_topics[code] += n
        elif dimension == Dimension.NOT_QUESTION:
            self.not_questions[code] += n
            self.not_questions_answered[code] += answered


def rollup_version(period: Period) -> int:
    """The highest version of the period's recounted days (see models.RollupDay)."""
    return (
        RollupDay.objects.filter(day__gte=period.start, day__lte=period.end).aggregate(
            v=Max("version")
        )["v"]
        or 0
    )


def period_counts(period: Period, *, topics: dict, changed, queue=None) -> Counts:
    """The counts of the tickets created in `period` (and `queue`), given its `changed_days()`:
    the same queries always, the rollup of the clean days and `day_rows()` of the changed ones."""
    counts = Counts([f"{m:%Y-%m}" for m in period.months])
    every_day = [period.start + timedelta(days=i) for i in range(period.days)]
    live = every_day if changed == ALL else sorted(changed)

    stored = DayCount.objects.filter(day__gte=period.start, day__lte=period.end)
    if queue is not None:
        stored = stored.filter(queue=queue)
    if changed == ALL:
        stored = stored.filter(day__lt=period.start)  # nothing stored is current: none of it
    elif live:
        stored = stored.exclude(_days_in(live))
    # Months matter only for channels, weekdays only for hours: group the rest without them.
    for row in (
        stored.annotate(
            m=Case(When(dimension=Dimension.CHANNEL, then=F("month")), default=Value("")),
            w=Case(
                When(dimension=Dimension.HOUR, then=F("weekday")),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .values("m", "w", "queue_id", "dimension", "code")
        .annotate(
            sn=Sum("n"),
            sa=Sum("answered"),
            sc=Sum("closed"),
            sr=Sum("reopened"),
            sp=Sum("policy"),
        )
        .order_by()
        .values_list("m", "w", "queue_id", "dimension", "code", "sn", "sa", "sc", "sr", "sp")
    ):
        counts.add(*row)
    for day, *rest in day_rows(live, topics=topics, queue=queue):
        counts.add(f"{day:%Y-%m}", day.weekday(), *rest)
    return counts


def _days_in(days: list[date]) -> Q:
    condition = Q()
    for first, last in runs(days):
        condition |= Q(day__gte=first, day__lte=last)
    return condition


def duration_metrics() -> dict:
    """The four durations the figures give percentiles of, in whole seconds (NULL: not yet)."""
    return {
        "first_response": seconds_between("created_at", "first_response_at"),
        "resolution": seconds_between("created_at", "closed_at"),
        "first_response_open": F("first_response_open_seconds"),
        "resolution_open": F("resolution_open_seconds"),
    }


def day_durations(days: list[date]) -> dict[tuple[date, int], dict[str, list[int]]]:
    """Every duration of the tickets created on `days`, by local day and queue (the refresh's)."""
    if not days:
        return {}
    span = Period(min(days), max(days))
    metrics = duration_metrics()
    rows = (
        Ticket.objects.filter(_created_in(days), merged_into__isnull=True)
        .order_by()
        .annotate(
            d=LocalDay("created_at", period=span), **{f"m_{k}": v for k, v in metrics.items()}
        )
        .values_list("d", "queue_id", *[f"m_{k}" for k in metrics])
    )
    result: dict = {}
    for d, queue_id, *values in rows.iterator(chunk_size=10000):
        lists = result.setdefault((date.fromisoformat(d), queue_id), {k: [] for k in metrics})
        for name, value in zip(metrics, values, strict=True):
            if value is not None:
                lists[name].append(int(value))
    return result


def period_distributions(period: Period, *, changed, queue=None) -> dict[str, Distribution]:
    """PostgreSQL: exact percentiles from the stored durations of the clean days and the tickets
    of the changed ones, in one query (percentile_cont over both, as over the tickets alone)."""
    from django.db import connection

    stored_where = ["day >= %s", "day <= %s"]
    stored_params: list = [period.start, period.end]
    tickets = Ticket.objects.filter(_created_in(sorted(changed)), merged_into__isnull=True)
    if queue is not None:
        stored_where.append("queue_id = %s")
        stored_params.append(queue.pk)
        tickets = tickets.filter(queue=queue)
    for first, last in runs(changed):
        stored_where.append("NOT (day >= %s AND day <= %s)")
        stored_params += [first, last]
    fractions = ", ".join(repr(float(f)) for f in FRACTIONS)
    selects, params = [], []
    for name, expression in duration_metrics().items():
        live_sql, live_params = (
            tickets.order_by()
            .annotate(_v=expression)
            .filter(_v__isnull=False)
            .values_list("_v")
            .query.sql_with_params()
        )
        # Only our own column names and Django-compiled SQL (with its params) go in here.
        selects.append(
            f"SELECT %s, COUNT(v), PERCENTILE_CONT(ARRAY[{fractions}]) WITHIN GROUP (ORDER BY v)"  # noqa: S608
            f' FROM (SELECT unnest("{name}") AS v FROM {DayDurations._meta.db_table}'
            f" WHERE {' AND '.join(stored_where)} UNION ALL ({live_sql})) AS t"
        )
        params += [name, *stored_params, *live_params]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        rows = cursor.fetchall()
    return {
        name: Distribution(
            count, dict(zip(FRACTIONS, values or [None] * len(FRACTIONS), strict=True))
        )
        for name, count, values in rows
    }
