"""Bulk ticket generation with realistic distributions, for benchmarks and load tests.

Writes rows directly (bulk_create), not through the services: a million tickets through the
services would take hours. The timestamps the services would have recorded are filled in the same
way (first response, answered, final close, reopen count, merged duplicates) and the opening-hours
durations are computed from each queue's real schedule, so the statistics see what they would see
in production. Nothing personal is generated: subjects are generic, contacts are left empty.
"""

import bisect
import math
import random
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from helpdesk.models import (
    Channel,
    Language,
    Outcome,
    Queue,
    ReferenceCounter,
    ReferralOrganisation,
    RequesterType,
    Status,
    Ticket,
    TicketTopic,
    Topic,
)
from helpdesk.selectors.hours import Schedule, schedule_for

CHANNELS = {
    Channel.PHONE: 44,
    Channel.EMAIL: 20,
    Channel.WEBFORM: 12,
    Channel.WHATSAPP: 7,
    Channel.VOICEMAIL: 6,
    Channel.SMS: 4,
    Channel.WALK_IN: 4,
    Channel.CALLBACK: 3,
}
LIVE = {Channel.PHONE, Channel.WALK_IN, Channel.CALLBACK}  # answered while the person is there
QUEUES = {"infolijn": 80, "legal-helpdesk": 15, "education": 5}
REQUESTERS = {
    "asylum-seeker": 34,
    "social-worker": 20,
    "lawyer": 10,
    "volunteer": 10,
    "teacher": 8,
    "family-member": 7,
    "health-worker": 4,
    "municipality": 3,
    "student-journalist": 2,
    "other": 2,
    None: 5,
}
LANGUAGES = {
    "nl": 35, "fr": 15, "en": 10, "ar": 12, "prs": 6, "fa": 4, "ps": 3, "ti": 4, "ku": 2,
    "tr": 2, "so": 1.5, "am": 1, "ru": 1.5, "uk": 3, "ka": 0.5, "ln": 0.5, "sw": 0.5, "rn": 0.5,
    "es": 0.5, None: 3,
}  # fmt: skip
TOPICS = {
    "reception": 18, "asylum-procedure": 12, "registration": 10, "dublin": 9,
    "family-reunification": 9, "lawyer-legal-aid": 7, "appeal": 6, "work-training": 5,
    "education": 5, "health": 4, "housing": 4, "social-welfare": 3, "unaccompanied-minors": 3,
    "temporary-protection": 3, "status-documents": 3, "detention": 2, "irregular-stay": 2,
    "protection-risks": 2, "subsequent-application": 1, "statelessness": 0.5, "other": 2,
    "silent": 2, "hang-up": 1.5, "wrong-number": 1, "abusive": 0.3, "thanks": 1,
}  # fmt: skip
OUTCOMES = {
    "information-given": 62,
    "referred": 18,
    "callback-scheduled": 6,
    "escalated": 6,
    "out-of-scope": 5,
}
# Hour of the day (local) when questions arrive: live channels in office hours, written ones all day.
LIVE_HOURS = {9: 14, 10: 20, 11: 18, 12: 6, 13: 10, 14: 16, 15: 12, 16: 4}
WRITTEN_HOURS = dict(
    enumerate([1, 1, 0.5, 0.5, 0.5, 1, 2, 4, 7, 9, 9, 8, 7, 7, 8, 8, 7, 6, 6, 6, 6, 5, 3, 2])
)
WEEKDAY = [1.0, 1.0, 0.95, 0.95, 0.85, 0.25, 0.15]  # Monday .. Sunday
SUBJECTS = [
    "Vraag over opvang",
    "Question sur la procédure d'asile",
    "Question about family reunification",
    "Dublin: termijnen en beroep",
    "Inschrijving OKAN voor een nieuwe leerling",
    "Demande de rendez-vous avec un avocat pro deo",
    "Werk tijdens de procedure",
    "Question about the interview at the CGRS",
]


class _Picker:
    """Weighted choice with a precomputed cumulative table (fast for a million draws)."""

    def __init__(self, rng: random.Random, weights: dict):
        self.rng = rng
        self.keys = list(weights)
        self.cumulative = []
        total = 0.0
        for key in self.keys:
            total += weights[key]
            self.cumulative.append(total)
        self.total = total

    def __call__(self):
        return self.keys[bisect.bisect(self.cumulative, self.rng.random() * self.total)]


class OpenClock:
    """Opening-hours seconds between two moments in O(1), from per-day running totals.

    Gives exactly what Schedule.open_seconds gives for whole-second moments (tested), but a
    million times faster than walking the days for every ticket.
    """

    def __init__(self, schedule: Schedule, first: date, last: date):
        self.first = first
        self.days: list[list[tuple[float, float]]] = []
        self.before: list[float] = []
        running = 0.0
        day = first
        while day <= last:
            intervals = [
                (start.astimezone(UTC).timestamp(), end.astimezone(UTC).timestamp())
                for start, end in schedule.intervals_on(day)
            ]
            self.days.append(intervals)
            self.before.append(running)
            running += sum(end - start for start, end in intervals)
            day += timedelta(days=1)
        self.before.append(running)

    def _until(self, at: datetime) -> float:
        index = (timezone.localtime(at).date() - self.first).days
        if index < 0:
            return 0.0
        if index >= len(self.days):
            return self.before[-1]
        moment = at.timestamp()
        within = sum(
            max(0.0, min(end, moment) - start) for start, end in self.days[index] if moment > start
        )
        return self.before[index] + within

    def seconds(self, start: datetime, end: datetime) -> int:
        if end <= start:
            return 0
        return int(self._until(end) - self._until(start))


@dataclass
class Plan:
    tickets: int
    start: date
    end: date
    seed: int = 2026
    batch: int = 5000


def generate(plan: Plan, progress=None) -> int:
    """Write `plan.tickets` tickets created between plan.start and plan.end; return how many."""
    rng = random.Random(plan.seed)
    tz = timezone.get_default_timezone()
    now = timezone.now()
    queues = {q.slug: q for q in Queue.objects.filter(slug__in=QUEUES)}
    topics = {t.code: t.pk for t in Topic.objects.all()}
    non_questions = {t.code for t in Topic.objects.filter(is_question=False)}
    requesters = {r.code: r.pk for r in RequesterType.objects.all()}
    languages = {lang.code for lang in Language.objects.all()}
    outcomes = {o.code: o.pk for o in Outcome.objects.all()}
    no_action = outcomes.get("no-action")
    referrals = list(ReferralOrganisation.objects.values_list("pk", flat=True))
    clocks = {
        slug: OpenClock(schedule_for(queue), plan.start, plan.end + timedelta(days=400))
        for slug, queue in queues.items()
    }

    pick_channel = _Picker(rng, CHANNELS)
    pick_queue = _Picker(rng, {k: v for k, v in QUEUES.items() if k in queues})
    pick_requester = _Picker(
        rng, {k: v for k, v in REQUESTERS.items() if k is None or k in requesters}
    )
    pick_language = _Picker(
        rng, {k: v for k, v in LANGUAGES.items() if k is None or k in languages}
    )
    pick_topic = _Picker(rng, {k: v for k, v in TOPICS.items() if k in topics})
    pick_outcome = _Picker(rng, {k: v for k, v in OUTCOMES.items() if k in outcomes})
    pick_live_hour = _Picker(rng, LIVE_HOURS)
    pick_written_hour = _Picker(rng, WRITTEN_HOURS)

    # Days weighted by weekday and a steady growth (a third more at the end than at the start).
    days = []
    day = plan.start
    while day <= plan.end:
        days.append(day)
        day += timedelta(days=1)
    weights = [
        WEEKDAY[d.weekday()] * (1 + 0.33 * i / max(1, len(days) - 1)) for i, d in enumerate(days)
    ]
    pick_day = _Picker(rng, dict(zip(days, weights, strict=True)))

    moments = []
    for _ in range(plan.tickets):
        channel = pick_channel()
        hour = pick_live_hour() if channel in LIVE else pick_written_hour()
        local = datetime.combine(pick_day(), datetime.min.time()).replace(
            hour=hour, minute=rng.randrange(60), second=rng.randrange(60)
        )
        at = local.replace(tzinfo=tz)
        if at > now:
            continue
        moments.append((at.astimezone(UTC), channel))
    moments.sort(key=lambda m: m[0])

    numbers: dict[tuple[str, int], int] = {}
    for counter in ReferenceCounter.objects.all():
        numbers[(counter.prefix, counter.year)] = counter.last_number
    recent_by_queue: dict[str, list[int]] = {}
    written = 0
    for offset in range(0, len(moments), plan.batch):
        chunk = moments[offset : offset + plan.batch]
        tickets, topic_rows, merges = [], [], []
        for at, channel in chunk:
            slug = pick_queue()
            queue = queues[slug]
            year = timezone.localtime(at).year
            key = (queue.reference_prefix, year)
            numbers[key] = numbers.get(key, 0) + 1
            topic_codes = _topics(rng, pick_topic)
            only_non_questions = bool(topic_codes) and all(c in non_questions for c in topic_codes)
            ticket = Ticket(
                reference=f"{queue.reference_prefix}-{year}-{numbers[key]:06d}",
                queue=queue,
                channel=channel,
                language_id=pick_language(),
                requester_type_id=requesters.get(pick_requester()),
                subject=rng.choice(SUBJECTS),
                access_token=secrets.token_urlsafe(32),
                created_at=at,
                priority=2,
            )
            _lifecycle(rng, ticket, now, clocks[slug], live=channel in LIVE)
            if ticket.closed_at is not None:
                if only_non_questions and no_action:
                    ticket.outcome_id = no_action
                else:
                    code = pick_outcome()
                    ticket.outcome_id = outcomes[code]
                    if code == "referred" and referrals:
                        ticket.referral_id = rng.choice(referrals)
            ticket.policy_signal = rng.random() < 0.01
            tickets.append(ticket)
            topic_rows.append(topic_codes)
            # One ticket in a hundred is a duplicate, merged into an earlier one of its queue.
            if rng.random() < 0.01 and recent_by_queue.get(slug):
                merges.append((len(tickets) - 1, rng.choice(recent_by_queue[slug][-200:])))
        with transaction.atomic():
            Ticket.objects.bulk_create(tickets)
            for index, target in merges:
                duplicate = tickets[index]
                duplicate.merged_into_id = target
                duplicate.status = Status.CLOSED
                duplicate.closed_at = duplicate.closed_at or duplicate.created_at
            if merges:
                Ticket.objects.bulk_update(
                    [tickets[i] for i, _t in merges], ["merged_into", "status", "closed_at"]
                )
            TicketTopic.objects.bulk_create(
                TicketTopic(ticket_id=ticket.pk, topic_id=topics[code])
                for ticket, codes in zip(tickets, topic_rows, strict=True)
                for code in codes
            )
        for ticket in tickets:
            recent_by_queue.setdefault(ticket.queue.slug, []).append(ticket.pk)
        for slug in recent_by_queue:
            recent_by_queue[slug] = recent_by_queue[slug][-200:]
        written += len(tickets)
        if progress:
            progress(len(tickets))
    _save_counters(numbers)
    return written


def _topics(rng: random.Random, pick_topic) -> list[str]:
    draw = rng.random()
    count = 0 if draw < 0.05 else 1 if draw < 0.8 else 2
    return list(dict.fromkeys(pick_topic() for _ in range(count)))


def _lifecycle(rng: random.Random, ticket: Ticket, now: datetime, clock: OpenClock, *, live: bool):
    """First response, close, reopen: the timestamps the services record, drawn realistically."""
    created = ticket.created_at
    if live:
        first = created + timedelta(seconds=rng.randrange(60, 900))
    else:
        # Written questions: a few hours, with a long tail (log-normal, median about 5 hours).
        first = created + timedelta(seconds=int(3600 * math.exp(rng.gauss(math.log(5), 1.3))))
    if rng.random() < 0.02 or first > now:
        first = None  # never answered (or not yet)
    ticket.status = Status.NEW
    ticket.updated_at = created
    if first is None:
        return
    ticket.first_response_at = first
    ticket.first_response_open_seconds = clock.seconds(created, first)
    ticket.status = Status.ANSWERED
    ticket.answered_at = first
    ticket.updated_at = first
    if live and rng.random() < 0.8:
        closed = first
    else:
        closed = first + timedelta(seconds=int(86400 * math.exp(rng.gauss(0, 1.2))))
    if rng.random() < 0.04:  # the person came back: reopened, then closed again later
        ticket.reopen_count = rng.choice([1, 1, 1, 2])
        ticket.reopened_at = closed + timedelta(days=rng.randint(1, 10))
        closed = ticket.reopened_at + timedelta(seconds=int(86400 * math.exp(rng.gauss(0, 1))))
        if ticket.reopened_at > now:
            ticket.reopen_count = 0
            ticket.reopened_at = None
    if closed > now or rng.random() < 0.01:
        ticket.status = Status.WAITING if rng.random() < 0.3 else Status.OPEN
        return
    ticket.status = Status.CLOSED
    ticket.closed_at = closed
    ticket.updated_at = closed
    ticket.resolution_open_seconds = clock.seconds(created, closed)


def _save_counters(numbers: dict[tuple[str, int], int]) -> None:
    """Keep the reference counters ahead of what was generated, so the services go on from there."""
    for (prefix, year), last in numbers.items():
        counter, _created = ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
        highest = Ticket.objects.filter(reference__startswith=f"{prefix}-{year}-").aggregate(
            m=Max("reference")
        )["m"]
        counter.last_number = max(last, int(highest.rsplit("-", 1)[1]) if highest else 0)
        counter.save(update_fields=["last_number"])
