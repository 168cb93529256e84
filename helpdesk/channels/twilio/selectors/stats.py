"""The phone figures of the annual report, aggregated in the database.

    phone_figures(*, start, end, queue=None) -> PhoneFigures

Counts calls that started in [start, end) (aware datetimes), for one queue or all:

- calls: incoming calls (every call that reached a number, including those that hung up in the
  language menu);
- answered: connected with a staff member; answered_within_60s: of those, answered within 60
  seconds of joining the queue (the wait after the language menu);
- abandoned: hung up while waiting in the queue;
- voicemails: left a voicemail;
- callbacks: calls that ended in a call-back request (hung up in the queue with a visible number,
  or pressed 2 at the voicemail prompt);
- callbacks_made / callbacks_reached: calls staff placed from tickets, and those answered.

`by_language` has the same counts per language code (None: no language chosen); `by_hour` per
(ISO weekday 1-7, hour 0-23) in the site's time zone (Europe/Brussels), so DST is respected.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q

from helpdesk.models import Queue

from ..models import Call, CallDirection, CallResult

ANSWER_TARGET_SECONDS = 60
FIGURES = (
    "calls",
    "answered",
    "answered_within_60s",
    "abandoned",
    "voicemails",
    "callbacks",
    "callbacks_made",
    "callbacks_reached",
)


@dataclass
class PhoneFigures:
    start: datetime
    end: datetime
    queue: Queue | None
    totals: dict[str, int]
    by_language: dict[str | None, dict[str, int]] = field(default_factory=dict)
    by_hour: dict[tuple[int, int], dict[str, int]] = field(default_factory=dict)

    @property
    def answered_within_60s_share(self) -> float | None:
        """The share of answered calls answered within 60 seconds (None without answers)."""
        answered = self.totals["answered"]
        return self.totals["answered_within_60s"] / answered if answered else None


def _figures(direction, result, callback, count, within) -> dict[str, int]:
    """What one group of calls (same direction, result, call-back flag) adds to each figure."""
    if direction == CallDirection.OUTBOUND:
        return {
            "callbacks_made": count,
            "callbacks_reached": count if result == CallResult.ANSWERED else 0,
        }
    answered = result == CallResult.ANSWERED
    return {
        "calls": count,
        "answered": count if answered else 0,
        "answered_within_60s": within if answered else 0,
        "abandoned": count if result == CallResult.ABANDONED else 0,
        "voicemails": count if result == CallResult.VOICEMAIL else 0,
        "callbacks": count if callback else 0,
    }


def phone_figures(*, start: datetime, end: datetime, queue: Queue | None = None) -> PhoneFigures:
    """One query, one pass over the period: the calls grouped by language, hour of the week and
    outcome (a few thousand groups at most, whatever the number of calls), summed up here."""
    calls = Call.objects.filter(started_at__gte=start, started_at__lt=end)
    if queue is not None:
        calls = calls.filter(queue=queue)
    groups = (
        calls.order_by()
        .values("language_id", "started_hour_of_week", "direction", "result", "callback_requested")
        .annotate(
            count=Count("pk"),
            within=Count("pk", filter=Q(queue_seconds__lte=ANSWER_TARGET_SECONDS)),
        )
    )
    totals = dict.fromkeys(FIGURES, 0)
    by_language: dict = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    by_hour: dict = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    for group in groups:
        hour = group["started_hour_of_week"]
        slot = (hour // 24 + 1, hour % 24)  # (ISO weekday, hour)
        added = _figures(
            group["direction"],
            group["result"],
            group["callback_requested"],
            group["count"],
            group["within"],
        )
        for name, value in added.items():
            totals[name] += value
            by_language[group["language_id"]][name] += value
            by_hour[slot][name] += value
    return PhoneFigures(start, end, queue, totals, dict(by_language), dict(by_hour))
