"""Writes of the statistics app: Startpunt mornings and the export log."""

from collections.abc import Iterable

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
