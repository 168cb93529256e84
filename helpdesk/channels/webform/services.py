"""Writes of the web form: a question in, a reply from the private page, and the counts it keeps.

Tickets and contacts are written only through the core services (ticket_create, message_receive,
contact_find_or_create); the acknowledgement mail hangs off helpdesk.signals.ticket_created.
"""

import uuid
from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from helpdesk.models import Channel, Language, Message, Queue, RequesterType, Ticket, Topic
from helpdesk.services import clock
from helpdesk.services.attachments import IncomingFile
from helpdesk.services.contacts import contact_find_or_create
from helpdesk.services.tickets import message_receive, ticket_create, ticket_requester_answered

from .models import BlockedSubmission, BlockReason, SentForm, SuggestionOpen, SuggestionVisit

# One visit opening more articles than this is not a person reading: stop recording.
MAX_OPENS_PER_VISIT = 20


class AlreadySent(Exception):
    """This form page already sent its question; `ticket_id` is the ticket it made."""

    def __init__(self, ticket_id: int | None):
        super().__init__(ticket_id)
        self.ticket_id = ticket_id


def _claim(form_id: uuid.UUID) -> SentForm:
    """Claim `form_id` for this transaction, or raise AlreadySent.

    On PostgreSQL a twin transaction inserting the same id waits on the unique index until this
    one ends: it then fails (this one committed) or goes on (this one rolled back). SQLite runs
    one writing transaction at a time, so the twin finds the committed row.
    """
    try:
        with transaction.atomic():
            return SentForm.objects.create(form_id=form_id, sent_at=clock.now())
    except IntegrityError:
        ticket_id = (
            SentForm.objects.filter(form_id=form_id).values_list("ticket_id", flat=True).first()
        )
        raise AlreadySent(ticket_id) from None


@transaction.atomic
def question_submit(
    *,
    queue: Queue,
    body: str,
    email: str = "",
    phone: str = "",
    name: str = "",
    organisation: str = "",
    requester_type: RequesterType | None = None,
    language: Language | None = None,
    topic: Topic | None = None,
    attachments: Iterable[IncomingFile] = (),
    form_ids: Iterable[uuid.UUID] = (),
    sent_form_id: uuid.UUID | None = None,
) -> Ticket:
    """Open a web-form ticket for a question, answered in `language`.

    `sent_form_id` (the id of the form page that sends it) makes the page send one question:
    sent again, even at the same moment to another web process, it raises AlreadySent with the
    first ticket's id and stores nothing.

    The ticket's language is the one the person chose for the answer (the acknowledgement and
    the private page use it), and so is the contact's preferred language. The visit's opened
    knowledge-base suggestions (`form_ids`: this page, and earlier ones in the same browser tab)
    are marked as followed by a question.
    """
    claim = _claim(sent_form_id) if sent_form_id is not None else None
    contact = contact_find_or_create(
        email=email,
        phone=phone,
        name=name,
        organisation=organisation,
        requester_type=requester_type,
        preferred_language=language,
    )
    ticket = ticket_create(
        queue=queue,
        channel=Channel.WEBFORM,
        body=body,
        contact=contact,
        language=language,
        requester_type=requester_type,
        topics=[topic] if topic else [],
        attachments=attachments,
    )
    if form_ids := list(form_ids):
        SuggestionVisit.objects.filter(form_id__in=form_ids).update(submitted=True)
    if claim is not None:
        SentForm.objects.filter(pk=claim.pk).update(ticket=ticket)
    return ticket


def sent_forms_forget(*, before) -> int:
    """Forget the claims of form pages sent before `before` (their tokens no longer work)."""
    deleted, _per_model = SentForm.objects.filter(sent_at__lt=before).delete()
    return deleted


def private_reply(
    *, ticket: Ticket, body: str, attachments: Iterable[IncomingFile] = ()
) -> Message:
    """What the requester adds on their private page (a reply, a file, or both)."""
    return message_receive(
        ticket=ticket,
        channel=Channel.WEBFORM,
        body=body,
        sender=ticket.contact,
        attachments=attachments,
    )


def private_mark_answered(*, ticket: Ticket) -> Ticket:
    return ticket_requester_answered(ticket=ticket)


def suggestion_open_record(
    *, form_id: uuid.UUID, day: date, language: str, article_slug: str, article_language: str
) -> bool:
    """Note that a visit opened a suggested article (once per article); False if not recorded.

    A visit that already sent its question stays marked as sent, whatever it opens afterwards.
    """
    visit, _created = SuggestionVisit.objects.get_or_create(
        form_id=form_id, defaults={"day": day, "language": language}
    )
    if visit.opens.count() >= MAX_OPENS_PER_VISIT:
        return False
    _open, created = SuggestionOpen.objects.get_or_create(
        visit=visit, article_slug=article_slug, article_language=article_language
    )
    return created


def count_blocked(reason: BlockReason) -> None:
    """Add one to today's count for `reason` (a row per day and reason, no personal data)."""
    day = timezone.localdate(clock.now())
    with transaction.atomic():
        if BlockedSubmission.objects.filter(day=day, reason=reason).update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                BlockedSubmission.objects.create(day=day, reason=reason, count=1)
        except IntegrityError:  # another request created today's row a moment ago
            BlockedSubmission.objects.filter(day=day, reason=reason).update(count=F("count") + 1)
