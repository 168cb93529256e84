"""Writes on tickets. Every change of a ticket goes through one of these functions.

Each one validates the business rule, records a TicketEvent, keeps the statistics' timestamps,
and announces the change after commit (helpdesk.signals). Views, the API, commands and channels
call these; none of them writes a Ticket directly.
"""

from collections.abc import Iterable
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from helpdesk import signals
from helpdesk.answer.services import answer_merge, article_uses_record
from helpdesk.channels.registry import outbound_channel
from helpdesk.models import (
    Channel,
    Contact,
    DeliveryStatus,
    Direction,
    EventKind,
    Language,
    Message,
    Outcome,
    Priority,
    Queue,
    ReferralOrganisation,
    RequesterType,
    Status,
    Ticket,
    TicketEvent,
    Topic,
    User,
)
from helpdesk.selectors.access import can_work_tickets, queue_ids_for, require_ticket_access
from helpdesk.selectors.hours import schedule_for

from . import clock
from .attachments import IncomingFile, attachment_add
from .references import new_access_token, next_reference

SUBJECT_LENGTH = 80


def _event(ticket: Ticket, actor: User | None, kind: str, **data) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket, actor=actor, kind=kind, data=data, created_at=clock.now()
    )


def _on_commit(signal, **kwargs):
    transaction.on_commit(partial(signal.send, sender=Ticket, **kwargs))


# One whole sentence per list: gluing a field name into a sentence ("%(label)s is retired")
# breaks grammar in languages where the adjective agrees with the noun.
_RETIRED = {
    "topic": lambda: _("The topic “%(name)s” is retired and can no longer be chosen."),
    "requester_type": lambda: _(
        "The requester type “%(name)s” is retired and can no longer be chosen."
    ),
    "language": lambda: _("The language “%(name)s” is retired and can no longer be chosen."),
    "outcome": lambda: _("The outcome “%(name)s” is retired and can no longer be chosen."),
    "referral": lambda: _(
        "The referral organisation “%(name)s” is retired and can no longer be chosen."
    ),
}


def _require_active(entries: Iterable, kind: str):
    for entry in entries:
        if entry is not None and not entry.is_active:
            raise ValidationError(_RETIRED[kind]() % {"name": entry})


def _subject_from(body: str) -> str:
    first_line = next((line.strip() for line in body.splitlines() if line.strip()), "")
    if len(first_line) > SUBJECT_LENGTH:
        first_line = first_line[: SUBJECT_LENGTH - 1].rstrip() + "…"
    return first_line


def _add_message(
    *,
    ticket: Ticket,
    direction: str,
    channel: str,
    body: str,
    status: str,
    author: User | None = None,
    sender: Contact | None = None,
    external_id: str = "",
    source=None,
    attachments: Iterable[IncomingFile] = (),
) -> Message:
    message = Message.objects.create(
        ticket=ticket,
        direction=direction,
        channel=channel,
        body=body,
        status=status,
        author=author,
        sender=sender,
        external_id=external_id[:255],
        source=source,
        created_at=clock.now(),
    )
    for incoming in attachments:
        attachment_add(message=message, incoming=incoming)
    _on_commit(
        signals.message_added, ticket_id=ticket.pk, message_id=message.pk, direction=direction
    )
    return message


def _transition(ticket: Ticket, new: str, actor: User | None, now=None, **data) -> list[str]:
    """Move the ticket to status `new`, keeping the timestamps; return the changed fields.

    `data` adds to the event (who, when it was not a staff member: by="requester")."""
    old = ticket.status
    if new == old:
        return []
    now = now or clock.now()
    changed = ["status"]
    ticket.status = new
    if old == Status.CLOSED:
        # Reopened: the resolution is measured to the final close, so the old close is void
        # (it stays in the event trail).
        ticket.reopened_at = now
        ticket.reopen_count += 1
        ticket.closed_at = None
        changed += ["reopened_at", "reopen_count", "closed_at"]
    if old == Status.CLOSED:
        ticket.resolution_open_seconds = None
        changed.append("resolution_open_seconds")
    if new == Status.ANSWERED:
        ticket.answered_at = now
        changed.append("answered_at")
    elif new == Status.CLOSED:
        ticket.closed_at = now
        ticket.resolution_open_seconds = schedule_for(ticket.queue_id).open_seconds(
            ticket.created_at, now
        )
        changed += ["closed_at", "resolution_open_seconds"]
    _event(ticket, actor, EventKind.STATUS, old=old, new=new, **data)
    _on_commit(signals.ticket_status_changed, ticket_id=ticket.pk, old=old, new=new)
    return changed


def _first_response(ticket: Ticket, at) -> list[str]:
    ticket.first_response_at = at
    ticket.first_response_open_seconds = schedule_for(ticket.queue_id).open_seconds(
        ticket.created_at, at
    )
    return ["first_response_at", "first_response_open_seconds"]


def _lock(ticket: Ticket) -> None:
    """Reload the caller's ticket under a row lock, so every change starts from the current state
    (another request may have changed it since it was read) and two writers queue up."""
    ticket.refresh_from_db(from_queryset=Ticket.objects.select_for_update())


def _touch(ticket: Ticket, fields: list[str]) -> None:
    ticket.updated_at = clock.now()
    ticket.save(update_fields=[*dict.fromkeys(fields), "updated_at"])


@transaction.atomic
def ticket_create(
    *,
    queue: Queue,
    channel: str,
    body: str = "",
    subject: str = "",
    contact: Contact | None = None,
    language: Language | None = None,
    requester_type: RequesterType | None = None,
    topics: Iterable[Topic] = (),
    priority: int = Priority.NORMAL,
    actor: User | None = None,
    source=None,
    external_id: str = "",
    attachments: Iterable[IncomingFile] = (),
    related_to: Ticket | None = None,
) -> Ticket:
    """Open a ticket for a question that came in on `channel`, with the question as its first message.

    This is the one way in for every channel: the phone log, email, SMS, WhatsApp, the web form.
    """
    if channel not in Channel.values:
        raise ValidationError(_("Unknown channel “%(channel)s”.") % {"channel": channel})
    if actor is not None and queue.pk not in queue_ids_for(actor):
        raise ValidationError(
            _("You are not a member of the queue “%(queue)s”.") % {"queue": queue}
        )
    if not queue.is_active:
        raise ValidationError(_("The queue “%(queue)s” is closed.") % {"queue": queue})
    topics = list(topics)
    _require_active(topics, "topic")
    _require_active([requester_type], "requester_type")

    now = clock.now()
    ticket = Ticket.objects.create(
        reference=next_reference(queue, now),
        queue=queue,
        contact=contact,
        channel=channel,
        language=language or (contact.preferred_language if contact else None),
        subject=(subject.strip() or _subject_from(body))[:255],
        requester_type=requester_type or (contact.requester_type if contact else None),
        priority=priority,
        related_to=related_to,
        access_token=new_access_token(),
        created_at=now,
        updated_at=now,
    )
    if topics:
        ticket.topics.set(topics)
    _event(ticket, actor, EventKind.CREATED, channel=channel)
    if related_to is not None:
        _event(related_to, actor, EventKind.LINKED, reference=ticket.reference)
    _on_commit(signals.ticket_created, ticket_id=ticket.pk)
    if body.strip() or attachments:
        _add_message(
            ticket=ticket,
            direction=Direction.INBOUND,
            channel=channel,
            body=body,
            status=DeliveryStatus.RECEIVED,
            sender=contact,
            external_id=external_id,
            source=source,
            attachments=attachments,
        )
    return ticket


@transaction.atomic
def message_receive(
    *,
    ticket: Ticket,
    channel: str,
    body: str,
    sender: Contact | None = None,
    external_id: str = "",
    source=None,
    attachments: Iterable[IncomingFile] = (),
    reopen: bool = True,
) -> Message:
    """Add what the requester (or another participant) sent to an existing ticket.

    A ticket that was answered or closed comes back to the inbox: the person has more to ask.
    With `reopen=False` (an automatic reply: "out of office") it is recorded and nothing moves.
    """
    _lock(ticket)
    message = _add_message(
        ticket=ticket,
        direction=Direction.INBOUND,
        channel=channel,
        body=body,
        status=DeliveryStatus.RECEIVED,
        sender=sender,
        external_id=external_id,
        source=source,
        attachments=attachments,
    )
    if sender is not None and sender.pk != ticket.contact_id:
        ticket.participants.add(sender)
    if not reopen:
        return message
    changed = []
    if ticket.status in (Status.WAITING, Status.ANSWERED, Status.CLOSED):
        changed = _transition(ticket, Status.OPEN, None)
    _touch(ticket, changed)
    return message


@transaction.atomic
def ticket_requester_answered(*, ticket: Ticket) -> Ticket:
    """The requester says their question is answered (on their private page).

    The ticket becomes answered, so it leaves the open work; staff close it with an outcome
    (closing needs one, and only staff know which). A closed or merged ticket stays as it is, and
    a new message from the requester reopens the ticket as usual.
    """
    _lock(ticket)
    if ticket.merged_into_id or ticket.status in (Status.ANSWERED, Status.CLOSED):
        return ticket
    _touch(ticket, _transition(ticket, Status.ANSWERED, None, by="requester"))
    return ticket


@transaction.atomic
def ticket_reply(
    *,
    ticket: Ticket,
    author: User,
    body: str,
    channel: str = "",
    status: str = Status.ANSWERED,
    attachments: Iterable[IncomingFile] = (),
    articles: Iterable = (),
) -> Message:
    """Answer the requester.

    With `channel` (email, sms, ...) the answer is sent through that channel's outbound delivery;
    without, it is recorded as given (by phone, at the gate) and nothing is sent. `articles`
    (knowledge-base articles) are linked to the ticket as used in this answer, in the language
    their text is in for this ticket (helpdesk.answer.services.article_uses_record).
    """
    require_ticket_access(author, ticket)
    _lock(ticket)
    attachments = list(attachments)
    if not body.strip() and not attachments:
        raise ValidationError(_("The answer is empty."))
    if status not in (Status.WAITING, Status.ANSWERED, Status.CLOSED):
        raise ValidationError(_("After an answer a ticket waits, is answered, or is closed."))
    delivery = None
    if channel:
        delivery = outbound_channel(channel)
        if delivery is None or not delivery.can_reach(ticket):
            raise ValidationError(
                _("This ticket's requester cannot be reached by %(channel)s.")
                % {"channel": Channel(channel).label if channel in Channel.values else channel}
            )
        if delivery.restriction and (reason := delivery.restriction(ticket)):
            raise ValidationError(reason)
    if status == Status.CLOSED and ticket.outcome_id is None:
        raise ValidationError(_("Choose an outcome before closing the ticket."))

    message = _add_message(
        ticket=ticket,
        direction=Direction.OUTBOUND,
        channel=channel or ticket.channel,
        body=body,
        status=DeliveryStatus.PENDING if delivery else DeliveryStatus.RECORDED,
        author=author,
        attachments=attachments,
    )
    article_uses_record(ticket=ticket, message=message, user=author, articles=articles)
    changed = []
    if ticket.first_response_at is None:
        changed += _first_response(ticket, message.created_at)
    if ticket.assignee_id is None:
        ticket.assignee = author
        changed.append("assignee")
        _event(ticket, author, EventKind.ASSIGNED, old=None, new=author.pk)
    changed += _transition(ticket, status, author, now=message.created_at)
    _touch(ticket, changed)
    if delivery:
        transaction.on_commit(partial(delivery.deliver, message.pk))
    return message


@transaction.atomic
def ticket_add_note(*, ticket: Ticket, author: User | None, body: str) -> Message:
    """An internal note: seen by staff, never by the requester.

    `author=None` is the system writing (a channel noting what it could not keep).
    """
    if author is not None:
        require_ticket_access(author, ticket)
    if not body.strip():
        raise ValidationError(_("The note is empty."))
    message = _add_message(
        ticket=ticket,
        direction=Direction.NOTE,
        channel=ticket.channel,
        body=body,
        status=DeliveryStatus.RECORDED,
        author=author,
    )
    _touch(ticket, [])
    return message


@transaction.atomic
def ticket_change_status(*, ticket: Ticket, actor: User, status: str) -> Ticket:
    require_ticket_access(actor, ticket)
    _lock(ticket)
    if status not in Status.values:
        raise ValidationError(_("Unknown status “%(status)s”.") % {"status": status})
    if status == Status.NEW and ticket.status != Status.NEW:
        raise ValidationError(_("A ticket that was worked on cannot become new again."))
    if status == Status.CLOSED and ticket.outcome_id is None:
        raise ValidationError(_("Choose an outcome before closing the ticket."))
    if ticket.merged_into_id and status != Status.CLOSED:
        raise ValidationError(
            _("A merged ticket stays closed; work on the ticket it was merged into.")
        )
    _touch(ticket, _transition(ticket, status, actor))
    return ticket


def ticket_close(*, ticket: Ticket, actor: User, outcome: Outcome | None = None) -> Ticket:
    with transaction.atomic():
        if outcome is not None and outcome.pk != ticket.outcome_id:
            ticket_classify(ticket=ticket, actor=actor, outcome=outcome)
        return ticket_change_status(ticket=ticket, actor=actor, status=Status.CLOSED)


def ticket_reopen(*, ticket: Ticket, actor: User) -> Ticket:
    return ticket_change_status(ticket=ticket, actor=actor, status=Status.OPEN)


@transaction.atomic
def ticket_assign(*, ticket: Ticket, actor: User, assignee: User | None) -> Ticket:
    """Give the ticket to a member of its queue (or to nobody)."""
    require_ticket_access(actor, ticket)
    _lock(ticket)
    if assignee is not None and not (
        assignee.is_active
        and can_work_tickets(assignee)
        and (assignee.is_superuser or ticket.queue.members.filter(pk=assignee.pk).exists())
    ):
        raise ValidationError(
            _("%(person)s does not work in the queue “%(queue)s”.")
            % {"person": assignee, "queue": ticket.queue}
        )
    if assignee is not None and assignee.pk == ticket.assignee_id:
        return ticket
    if assignee is None and ticket.assignee_id is None:
        return ticket
    _event(
        ticket,
        actor,
        EventKind.ASSIGNED,
        old=ticket.assignee_id,
        new=assignee.pk if assignee else None,
    )
    ticket.assignee = assignee
    changed = ["assignee"]
    if assignee is not None and ticket.status == Status.NEW:
        changed += _transition(ticket, Status.OPEN, actor)
    _touch(ticket, changed)
    _on_commit(signals.ticket_changed, ticket_id=ticket.pk, fields=["assignee"])
    return ticket


_UNSET = object()


@transaction.atomic
def ticket_classify(
    *,
    ticket: Ticket,
    actor: User,
    topics: Iterable[Topic] | object = _UNSET,
    requester_type: RequesterType | object | None = _UNSET,
    language: Language | object | None = _UNSET,
    outcome: Outcome | object | None = _UNSET,
    referral: ReferralOrganisation | object | None = _UNSET,
    priority: int | object = _UNSET,
    policy_signal: bool | object = _UNSET,
    subject: str | object = _UNSET,
) -> Ticket:
    """Change what the ticket is about and how it ended; only the arguments given change.

    Entries already on the ticket may be retired and stay; newly chosen ones must be active.
    """
    require_ticket_access(actor, ticket)
    _lock(ticket)
    changed: list[str] = []

    def change(field, new, as_data=lambda value: value):
        old = getattr(ticket, field)
        if old == new:
            return
        setattr(ticket, field, new)
        changed.append(field)
        _event(ticket, actor, EventKind.CLASSIFIED, field=field, old=as_data(old), new=as_data(new))

    pk = lambda entry: entry.pk if entry is not None else None  # noqa: E731

    if topics is not _UNSET:
        new_topics = list(topics)
        old_ids = sorted(ticket.topics.values_list("pk", flat=True))
        new_ids = sorted(t.pk for t in new_topics)
        if old_ids != new_ids:
            _require_active([t for t in new_topics if t.pk not in old_ids], "topic")
            ticket.topics.set(new_topics)
            changed.append("topics")
            _event(ticket, actor, EventKind.CLASSIFIED, field="topics", old=old_ids, new=new_ids)
    for field, value in (
        ("requester_type", requester_type),
        ("language", language),
        ("outcome", outcome),
        ("referral", referral),
    ):
        if value is _UNSET:
            continue
        if value is not None and getattr(ticket, f"{field}_id") != value.pk:
            _require_active([value], field)
        change(field, value, pk)
    if priority is not _UNSET:
        if priority not in Priority.values:
            raise ValidationError(_("Unknown priority."))
        change("priority", priority)
    if policy_signal is not _UNSET:
        change("policy_signal", bool(policy_signal))
    if subject is not _UNSET:
        change("subject", str(subject).strip()[:255])

    if ticket.outcome is not None and ticket.outcome.needs_referral and ticket.referral is None:
        raise ValidationError(
            _("The outcome “%(outcome)s” needs the organisation the person was referred to.")
            % {"outcome": ticket.outcome}
        )
    if changed:
        _touch(ticket, [f for f in changed if f != "topics"])
        _on_commit(signals.ticket_changed, ticket_id=ticket.pk, fields=changed)
    return ticket


@transaction.atomic
def ticket_move(*, ticket: Ticket, actor: User, queue: Queue) -> Ticket:
    """Hand the ticket to another queue (escalate to the legal helpdesk, for example)."""
    require_ticket_access(actor, ticket)
    _lock(ticket)
    if queue.pk == ticket.queue_id:
        return ticket
    if not queue.is_active:
        raise ValidationError(_("The queue “%(queue)s” is closed.") % {"queue": queue})
    _event(ticket, actor, EventKind.QUEUE, old=ticket.queue_id, new=queue.pk)
    ticket.queue = queue
    changed = ["queue"]
    if ticket.assignee_id and not queue.members.filter(pk=ticket.assignee_id).exists():
        _event(ticket, actor, EventKind.ASSIGNED, old=ticket.assignee_id, new=None)
        ticket.assignee = None
        changed.append("assignee")
    _touch(ticket, changed)
    _on_commit(signals.ticket_changed, ticket_id=ticket.pk, fields=changed)
    return ticket


@transaction.atomic
def ticket_merge(*, source: Ticket, target: Ticket, actor: User) -> Ticket:
    """Fold a duplicate (`source`) into `target`: its messages move, and it closes as merged.

    The statistics count the target only; the source keeps its reference so old links resolve.
    """
    require_ticket_access(actor, source)
    require_ticket_access(actor, target)
    if source.pk == target.pk:
        raise ValidationError(_("A ticket cannot be merged into itself."))
    if source.merged_into_id or target.merged_into_id:
        raise ValidationError(_("One of these tickets was already merged into another."))
    for ticket in sorted((source, target), key=lambda t: t.pk):  # a fixed order: no deadlock
        _lock(ticket)
    if source.merged_into_id or target.merged_into_id:
        raise ValidationError(_("One of these tickets was already merged into another."))

    Message.objects.filter(ticket=source).update(ticket=target)
    answer_merge(source=source, target=target)
    people = [source.contact_id, *source.participants.values_list("pk", flat=True)]
    target.participants.add(*[p for p in people if p and p != target.contact_id])
    target.topics.add(*source.topics.all())
    changed = []
    if source.first_response_at and (
        target.first_response_at is None or source.first_response_at < target.first_response_at
    ):
        changed += _first_response(target, source.first_response_at)
    _event(target, actor, EventKind.MERGED_FROM, reference=source.reference)
    _event(source, actor, EventKind.MERGED_INTO, reference=target.reference)
    source.merged_into = target
    _touch(source, ["merged_into", *_transition(source, Status.CLOSED, actor)])
    if target.status == Status.CLOSED:
        changed += _transition(target, Status.OPEN, actor)
    _touch(target, changed)
    _on_commit(signals.ticket_changed, ticket_id=target.pk, fields=["messages"])
    return target


@transaction.atomic
def ticket_reset_access_token(*, ticket: Ticket, actor: User | None) -> Ticket:
    """Revoke the requester's private link by issuing a new one (the old one stops working)."""
    if actor is not None:
        require_ticket_access(actor, ticket)
    _lock(ticket)
    ticket.access_token = new_access_token()
    _event(ticket, actor, EventKind.TOKEN_REVOKED)
    ticket.save(update_fields=["access_token"])
    return ticket
