"""Database expressions the statistics need, giving the same answers on PostgreSQL and SQLite.

- Durations are whole seconds (fractions of a second dropped from each timestamp), so the
  per-ticket export and the aggregated figures can agree to the second on both backends.
- Local time (months, hour of the week) is Europe/Brussels. PostgreSQL converts with
  AT TIME ZONE. SQLite has no time zones, and Django's Trunc/Extract there call a Python function
  per row; instead we hand SQLite the period's month boundaries and DST changes (computed in
  Python with zoneinfo) as a CASE expression, which is exact and stays inside the database.
- Percentiles: PostgreSQL's percentile_cont; SQLite has none, so we rank the values with window
  functions and fetch the two rows around each percentile, then interpolate exactly as
  percentile_cont does (PostgreSQL's orderedsetaggs.c), so both give the same number.
"""

import itertools
import math
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import (
    Aggregate,
    BigIntegerField,
    CharField,
    Expression,
    F,
    FloatField,
    Func,
    IntegerField,
    QuerySet,
)

from .periods import Period


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


@contextmanager
def tuned_for_aggregates():
    """On PostgreSQL, run the statistics' queries in one read-only transaction that
    - sees one snapshot (REPEATABLE READ), so the figures of a page add up even while tickets
      come in (when we open the transaction ourselves);
    - sorts and hashes in memory (work_mem, settings.STATS_WORK_MEM) instead of spilling the
      percentiles' sorts to disk;
    - skips JIT compilation, which costs more than it saves on queries of a fraction of a second.
    SQLite needs none of it (and a transaction there would take the write lock).
    """
    if not is_postgresql():
        yield
        return
    from django.conf import settings

    outermost = not connection.in_atomic_block
    with transaction.atomic():
        with connection.cursor() as cursor:
            if outermost:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute(
                "SELECT set_config('work_mem', %s, true), set_config('jit', 'off', true)",
                [getattr(settings, "STATS_WORK_MEM", "64MB")],
            )
        yield


class EpochSeconds(Func):
    """Whole seconds since 1970 of a datetime (the fraction of a second dropped)."""

    output_field = BigIntegerField()

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="CAST(strftime('%%%%s', %(expressions)s) AS INTEGER)"
        )

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            # date_part gives a double, much cheaper per row than EXTRACT's numeric.
            template="CAST(FLOOR(date_part('epoch', %(expressions)s)) AS BIGINT)",
        )


def seconds_between(start: str, end: str) -> Expression:
    """Whole seconds from `start` to `end` (two datetime fields); NULL when either is."""
    return EpochSeconds(F(end)) - EpochSeconds(F(start))


class _LocalTime(Func):
    """Local time over a period, as plain comparisons and arithmetic on both backends.

    The period's month boundaries and DST changes are computed in Python (zoneinfo) and handed
    to the database as a CASE over the UTC timestamps: exact, the same SQL on PostgreSQL and
    SQLite, and far cheaper per row than converting every timestamp (measured: PostgreSQL's
    AT TIME ZONE with TO_CHAR/EXTRACT was the costliest part of the month and hour grouping).
    """

    def __init__(self, expression, period: Period, **extra):
        self.period = period
        super().__init__(expression, **extra)

    def _case(self, field_sql, field_params, connection, bounds, last):
        """CASE WHEN field < bound1 THEN value1 ... ELSE last END, and its params."""
        parts, params = [], []
        for bound, value in bounds:
            parts.append(f"WHEN {field_sql} < %s THEN %s")
            params += [*field_params, connection.ops.adapt_datetimefield_value(bound), value]
        if not parts:
            return "%s", [last]
        return f"CASE {' '.join(parts)} ELSE %s END", [*params, last]

    def _local_hours(self, compiler, connection):
        """Local hours since 1 January 1970 00:00, the offset in force at each row applied."""
        field = self.source_expressions[0]
        epoch_sql, epoch_params = compiler.compile(EpochSeconds(field))
        field_sql, field_params = compiler.compile(field)
        changes = self.period.offset_changes()
        bounds = [
            (until, offset) for (until, _o), (_u, offset) in zip(changes[1:], changes, strict=False)
        ]
        offset_sql, offset_params = self._case(
            field_sql, field_params, connection, bounds, changes[-1][1]
        )
        return f"(({epoch_sql} + {offset_sql}) / 3600)", [*epoch_params, *offset_params]


class LocalMonth(_LocalTime):
    """The local calendar month ("2026-03") of a datetime within a period."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra):
        field_sql, field_params = compiler.compile(self.source_expressions[0])
        months = self.period.month_bounds()
        # A row before the next month's first moment belongs to this month.
        bounds = [(next_start, key) for (key, _s), (_k, next_start) in itertools.pairwise(months)]
        return self._case(field_sql, field_params, connection, bounds, months[-1][0])


class HourOfWeek(_LocalTime):
    """Hour of the local week: 0 is Monday 00:00–00:59, 167 is Sunday 23:00–23:59.

    (seconds since 1970 + the UTC offset in force) // 3600 counts local hours since Thursday
    1 January 1970 00:00; Thursday is hour 72 of a week that starts on Monday.
    """

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        hours_sql, params = self._local_hours(compiler, connection)
        return f"(({hours_sql} + 72) %% 168)", params


class LocalDay(_LocalTime):
    """The local calendar day ("2026-03-29") of a datetime within a period (the rollup's key).

    A year has 365 boundaries: a balanced tree of CASEs finds the day in nine comparisons
    instead of a list that would compare every row with half of them.
    """

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra):
        field_sql, field_params = compiler.compile(self.source_expressions[0])
        days = self.period.day_bounds()
        keys = [key for key, _start in days]
        bounds = [connection.ops.adapt_datetimefield_value(start) for _key, start in days[1:]]

        def tree(low, high):  # keys[low..high], separated by bounds[low..high-1]
            if low == high:
                return "%s", [keys[low]]
            middle = (low + high) // 2
            left_sql, left_params = tree(low, middle)
            right_sql, right_params = tree(middle + 1, high)
            sql = f"CASE WHEN {field_sql} < %s THEN {left_sql} ELSE {right_sql} END"
            return sql, [*field_params, bounds[middle], *left_params, *right_params]

        return tree(0, len(keys) - 1)


class LocalHour(_LocalTime):
    """The local hour of the day (0-23) of a datetime within a period, DST included."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        hours_sql, params = self._local_hours(compiler, connection)
        return f"(({hours_sql}) %% 24)", params


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)."""

    function = "PERCENTILE_CONT"
    output_field = FloatField()
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float, **extra):
        if not 0 <= fraction <= 1:
            raise ValueError("A percentile is a fraction between 0 and 1.")
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


FRACTIONS = (0.5, 0.9)


def interpolate(values: dict[int, float], count: int, fraction: float) -> float | None:
    """percentile_cont over `count` sorted values, given the 1-based ranks it needs."""
    if not count:
        return None
    position = fraction * (count - 1)
    first, second = math.floor(position), math.ceil(position)
    low = float(values[first + 1])
    if first == second:
        return low
    high = float(values[second + 1])
    return low + ((position - first) * (high - low))


@dataclass
class Distribution:
    count: int
    percentiles: dict[float, float | None]

    @property
    def median(self):
        return self.percentiles.get(0.5)

    @property
    def p90(self):
        return self.percentiles.get(0.9)


def percentile_aggregates(metrics: dict[str, Expression]) -> dict[str, Aggregate]:
    """On PostgreSQL: aggregates to fold into one .aggregate() with everything else."""
    return {
        f"{name}__p{fraction}": PercentileCont(expression, fraction)
        for name, expression in metrics.items()
        for fraction in FRACTIONS
    }


def distributions_from_aggregates(result: dict, counts: dict[str, int]) -> dict[str, Distribution]:
    names = {key.split("__p")[0] for key in result if "__p" in key}
    return {
        name: Distribution(
            count=counts[name],
            percentiles={f: result[f"{name}__p{f}"] for f in FRACTIONS},
        )
        for name in names
    }


def distribution_by_rank(queryset: QuerySet, expression: Expression) -> Distribution:
    """Percentiles of `expression` over `queryset` (NULLs left out) by ranking, in one query."""
    inner = (
        queryset.order_by()
        .annotate(_v=expression)
        .filter(_v__isnull=False)
        .values_list("_v", flat=True)
    )
    inner_sql, params = inner.query.sql_with_params()
    wanted = " OR ".join(
        f"rn = CAST((n - 1) * {fraction!r} AS INTEGER) + {k}"
        for fraction in FRACTIONS
        for k in (1, 2)
    )
    # Only Django-compiled SQL (with its params) and our own numeric literals go in here.
    sql = (
        "SELECT v, rn, n FROM ("  # noqa: S608
        ' SELECT t."_v" AS v, ROW_NUMBER() OVER (ORDER BY t."_v") AS rn, COUNT(*) OVER () AS n'
        f" FROM ({inner_sql}) AS t"
        f") AS ranked WHERE {wanted}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return Distribution(0, dict.fromkeys(FRACTIONS))
    count = rows[0][2]
    values = {rank: value for value, rank, _n in rows}
    return Distribution(count, {f: interpolate(values, count, f) for f in FRACTIONS})
