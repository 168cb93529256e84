"""Opening hours as a schedule you can ask questions of: is it open, and for how long between two
moments. Everything is computed in local time (TIME_ZONE), so DST changes and midnight are handled
by building each day's intervals as aware datetimes of that day.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property

import holidays
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from helpdesk.models import Closure, OpeningHours, Queue


@dataclass
class Schedule:
    weekly: dict[int, list[tuple[time, time]]]
    closure_ranges: list[tuple[date, date]] = field(default_factory=list)
    observes_public_holidays: bool = True

    @property
    def is_always_open(self) -> bool:
        """A queue without a schedule is reachable at any time (and measured in calendar time)."""
        return not any(self.weekly.values())

    @cached_property
    def _holidays(self):
        return holidays.country_holidays(settings.PUBLIC_HOLIDAYS_COUNTRY)

    def is_closed_day(self, day: date) -> bool:
        if self.observes_public_holidays and day in self._holidays:
            return True
        return any(start <= day <= end for start, end in self.closure_ranges)

    def intervals_on(self, day: date) -> list[tuple[datetime, datetime]]:
        """The open intervals of a local calendar day, as aware datetimes."""
        if self.is_always_open:
            tz = timezone.get_current_timezone()
            start = datetime.combine(day, time.min, tz)
            return [(start, datetime.combine(day + timedelta(days=1), time.min, tz))]
        if self.is_closed_day(day):
            return []
        tz = timezone.get_current_timezone()
        return [
            (datetime.combine(day, opens, tz), datetime.combine(day, closes, tz))
            for opens, closes in self.weekly.get(day.weekday(), [])
        ]

    def is_open(self, at: datetime) -> bool:
        local = timezone.localtime(at)
        return any(start <= local < end for start, end in self.intervals_on(local.date()))

    def open_seconds(self, start: datetime, end: datetime) -> int:
        """Seconds between `start` and `end` that fall within opening hours."""
        # Subtracting two datetimes that share a ZoneInfo gives wall-clock time (an hour off
        # across a DST change); in UTC the difference is real elapsed time.
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        if end <= start:
            return 0
        if self.is_always_open:
            return int((end - start).total_seconds())
        total = 0.0
        day = timezone.localtime(start).date()
        last = timezone.localtime(end).date()
        while day <= last:
            for opens, closes in self.intervals_on(day):
                overlap = min(closes.astimezone(UTC), end) - max(opens.astimezone(UTC), start)
                if overlap > timedelta(0):
                    total += overlap.total_seconds()
            day += timedelta(days=1)
        return int(total)

    def next_opening(self, at: datetime, horizon_days: int = 31) -> datetime | None:
        """When it opens next (`at` itself if open now); None if closed for the whole horizon."""
        if self.is_open(at):
            return at
        local = timezone.localtime(at)
        for offset in range(horizon_days + 1):
            for opens, _closes in self.intervals_on(local.date() + timedelta(days=offset)):
                if opens > at:
                    return opens
        return None


def schedule_for(queue: Queue | int) -> Schedule:
    """The schedule of a queue: two queries (weekly rows, closures)."""
    queue_id = queue.pk if isinstance(queue, Queue) else queue
    observes = (
        queue.observes_public_holidays
        if isinstance(queue, Queue)
        else Queue.objects.filter(pk=queue_id)
        .values_list("observes_public_holidays", flat=True)
        .first()
    )
    weekly: dict[int, list[tuple[time, time]]] = {}
    for row in OpeningHours.objects.filter(queue_id=queue_id).order_by("weekday", "opens"):
        weekly.setdefault(row.weekday, []).append((row.opens, row.closes))
    closures = Closure.objects.filter(Q(queue_id=queue_id) | Q(queue__isnull=True))
    return Schedule(
        weekly=weekly,
        closure_ranges=list(closures.values_list("starts_on", "ends_on")),
        observes_public_holidays=bool(observes if observes is not None else True),
    )
