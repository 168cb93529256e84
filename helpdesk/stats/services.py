"""Writes of the statistics app: Startpunt mornings and the export log."""

from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction

from helpdesk.models import Language, Topic, User

from .models import ExportRecord, StartpuntSession
from .sections import Scope


@transaction.atomic
def startpunt_session_save(
    *,
    actor: User,
    date,
    volunteers_present: int,
    people_informed: int,
    flyers_handed_out: int = 0,
    languages: Iterable[Language] = (),
    topics: Iterable[Topic] = (),
    session: StartpuntSession | None = None,
) -> StartpuntSession:
    """Log a Startpunt morning, or correct one (its logger may, and coordinators)."""
    if session is None:
        if not actor.has_perm("stats.add_startpuntsession"):
            raise PermissionDenied
        session = StartpuntSession(logged_by=actor)
    elif not can_change_session(actor, session):
        raise PermissionDenied
    session.date = date
    session.volunteers_present = volunteers_present
    session.people_informed = people_informed
    session.flyers_handed_out = flyers_handed_out or 0
    session.full_clean(exclude=["languages", "topics", "logged_by"])
    session.save()
    session.languages.set(languages)
    session.topics.set(topics)
    return session


def can_change_session(user: User, session: StartpuntSession) -> bool:
    return user.has_perm("stats.change_startpuntsession") or (
        session.logged_by_id == user.pk and user.has_perm("stats.add_startpuntsession")
    )


def export_record(
    *, user: User, kind: str, format: str, scope: Scope, filters: dict, row_count: int | None
) -> ExportRecord:
    """Write down an export before a byte of it leaves (the privacy promise: every export logged)."""
    return ExportRecord.objects.create(
        user=user,
        kind=kind,
        format=format,
        period_start=scope.period.start,
        period_end=scope.period.end,
        queue=scope.queue,
        filters=filters,
        row_count=row_count,
    )


# The rollup ----------------------------------------------------------------------------------

REFRESH_SPAN_DAYS = 31  # days recounted per group of queries (a month's tickets at most)


def day_counts_refresh(*, everything: bool = False) -> int:
    """Recount the days whose tickets changed (TicketChange marks) into DayCount; return how many.

    Idempotent and safe to run from several workers: one refresh at a time (an advisory lock on
    PostgreSQL, the write lock on SQLite), and only the marks it read are removed, so a change
    committed meanwhile keeps its mark for the next run. `everything` recounts every day.
    """
    from django.db import connection
    from django.db.models import Max, Min
    from django.utils import timezone

    from helpdesk.models import Ticket

    from .models import DayCount, DayDurations, RollupDay, TicketChange
    from .selectors.counts import HOUR, day_durations, day_rows, runs

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext('stats.day_counts'))")
        marks = list(TicketChange.objects.values_list("pk", "hour"))
        if not marks and not everything:
            return 0
        if everything or any(hour is None for _pk, hour in marks):
            span = Ticket.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
            DayCount.objects.all().delete()
            DayDurations.objects.all().delete()
            # Every day ever recounted gets a new version too, even if its tickets are gone.
            days = set(RollupDay.objects.values_list("day", flat=True))
            days |= {timezone.localdate(hour) for _pk, hour in marks if hour is not None}
            if span["first"] is not None:
                day, last = timezone.localdate(span["first"]), timezone.localdate(span["last"])
                while day <= last:
                    days.add(day)
                    day += timedelta(days=1)
        else:
            days = {timezone.localdate(hour) for _pk, hour in marks} | {
                timezone.localdate(hour + HOUR - timedelta(microseconds=1)) for _pk, hour in marks
            }
        topics = {t.pk: t for t in Topic.objects.all()}
        # Under the lock, so every refresh has a higher version than all before it.
        version = (RollupDay.objects.aggregate(v=Max("version"))["v"] or 0) + 1
        for first, last in runs(days):
            while first <= last:
                chunk_last = min(last, first + timedelta(days=REFRESH_SPAN_DAYS - 1))
                chunk = [first + timedelta(days=i) for i in range((chunk_last - first).days + 1)]
                DayCount.objects.filter(day__gte=first, day__lte=chunk_last).delete()
                RollupDay.objects.filter(day__gte=first, day__lte=chunk_last).delete()
                DayDurations.objects.filter(day__gte=first, day__lte=chunk_last).delete()
                DayDurations.objects.bulk_create(
                    (
                        DayDurations(day=day, queue_id=queue_id, **lists)
                        for (day, queue_id), lists in day_durations(chunk).items()
                    ),
                    batch_size=200,
                )
                RollupDay.objects.bulk_create(RollupDay(day=day, version=version) for day in chunk)
                DayCount.objects.bulk_create(
                    (
                        DayCount(
                            day=day,
                            month=f"{day:%Y-%m}",
                            weekday=day.weekday(),
                            queue_id=queue_id,
                            dimension=dimension,
                            code=code,
                            n=n,
                            answered=answered,
                            closed=closed,
                            reopened=reopened,
                            policy=policy,
                        )
                        for day, queue_id, dimension, code, n, answered, closed, reopened, policy in (
                            day_rows(chunk, topics=topics)
                        )
                    ),
                    batch_size=2000,
                )
                first = chunk_last + timedelta(days=1)
        ids = [pk for pk, _hour in marks]
        for start in range(0, len(ids), 5000):
            TicketChange.objects.filter(pk__in=ids[start : start + 5000]).delete()
    return len(days)
