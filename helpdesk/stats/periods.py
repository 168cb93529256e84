"""Periods the figures are asked for: this month, last quarter, a year, or any dates.

A period is a range of local calendar days (Europe/Brussels, settings.TIME_ZONE), both ends
included. In the database it becomes [first day 00:00 local, day after the last 00:00 local), so a
ticket created at 23:59:59 on 31 March counts in March, and the DST changes shift nothing.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def _tz():
    return timezone.get_default_timezone()


def local_midnight(day: date) -> datetime:
    """00:00 of `day` in the site's time zone (midnight exists every day in Europe/Brussels)."""
    return datetime.combine(day, time.min, _tz())


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("A period ends on or after its start.")

    @property
    def start_at(self) -> datetime:
        return local_midnight(self.start)

    @property
    def end_at(self) -> datetime:
        """The first moment after the period (exclusive bound)."""
        return local_midnight(self.end + timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @cached_property
    def months(self) -> list[date]:
        """The first day of every calendar month the period touches."""
        months, current = [], month_start(self.start)
        while current <= self.end:
            months.append(current)
            current = add_months(current, 1)
        return months

    def month_bounds(self) -> list[tuple[str, datetime]]:
        """(key "YYYY-MM", first moment of that month or of the period) for each month."""
        return [
            (f"{m:%Y-%m}", local_midnight(max(m, self.start)))
            for m in self.months  # the first month may start mid-month
        ]

    def day_bounds(self) -> list[tuple[str, datetime]]:
        """(key "YYYY-MM-DD", first moment of that day) for each day of the period."""
        return [
            (f"{day:%Y-%m-%d}", local_midnight(day))
            for day in (self.start + timedelta(days=i) for i in range(self.days))
        ]

    def offset_changes(self) -> list[tuple[datetime, int]]:
        return self._offset_changes

    @cached_property
    def _offset_changes(self) -> list[tuple[datetime, int]]:
        """(UTC instant, UTC offset in seconds from then on) at the start and at every DST change.

        Found by comparing offsets day by day and bisecting to the second, so it works for any
        zone, without reaching into zoneinfo's internals.
        """
        tz = _tz()
        begin = self.start_at.astimezone(UTC)
        finish = self.end_at.astimezone(UTC)

        def offset(at: datetime) -> int:
            return int(at.astimezone(tz).utcoffset().total_seconds())

        changes = [(begin, offset(begin))]
        day = begin
        while day < finish:
            following = min(day + timedelta(days=1), finish)
            if offset(following) != offset(day):
                low, high = day, following  # offset(low) differs from offset(high)
                while high - low > timedelta(seconds=1):
                    middle = low + (high - low) / 2
                    if offset(middle) == offset(low):
                        low = middle
                    else:
                        high = middle
                high = high.replace(microsecond=0)
                changes.append((high, offset(high)))
            day = following
        return changes

    @property
    def is_whole_year(self) -> bool:
        return self.start == date(self.start.year, 1, 1) and self.end == date(
            self.start.year, 12, 31
        )

    @property
    def is_whole_month(self) -> bool:
        return self.start.day == 1 and self.end == add_months(self.start, 1) - timedelta(days=1)

    def label(self) -> str:
        if self.is_whole_year:
            return str(self.start.year)
        if self.is_whole_month:
            return date_format(self.start, "YEAR_MONTH_FORMAT")
        return _("%(start)s to %(end)s") % {
            "start": date_format(self.start, "SHORT_DATE_FORMAT"),
            "end": date_format(self.end, "SHORT_DATE_FORMAT"),
        }

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31))


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


PRESETS = {
    "this_month": gettext_lazy("This month"),
    "last_month": gettext_lazy("Last month"),
    "this_quarter": gettext_lazy("This quarter"),
    "last_quarter": gettext_lazy("Last quarter"),
    "this_year": gettext_lazy("This year"),
    "last_year": gettext_lazy("Last year"),
    "last_12_months": gettext_lazy("Last 12 months"),
}


def preset(name: str, today: date | None = None) -> Period:
    today = today or timezone.localdate()
    if name == "this_month":
        return Period(month_start(today), today)
    if name == "last_month":
        start = add_months(today, -1)
        return Period(start, month_start(today) - timedelta(days=1))
    if name == "this_quarter":
        return Period(_quarter_start(today), today)
    if name == "last_quarter":
        start = add_months(_quarter_start(today), -3)
        return Period(start, _quarter_start(today) - timedelta(days=1))
    if name == "this_year":
        return Period(date(today.year, 1, 1), today)
    if name == "last_year":
        return Period.year(today.year - 1)
    if name == "last_12_months":
        return Period(add_months(today, -11), today)
    raise KeyError(name)
