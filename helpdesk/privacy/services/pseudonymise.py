"""Removing the personal data of a ticket or a person while the statistics stay as they were.

What is removed and what is kept is declared in helpdesk.privacy.inventory; this module does it.
Both functions are idempotent (a second run finds nothing to do) and run in one transaction each,
so a crash leaves a ticket either untouched or done; stored files are deleted after the commit.
"""

from django.db import transaction
from django.utils import timezone

from helpdesk.models import Attachment, Contact, Message, Ticket, TicketEvent
from helpdesk.privacy import registry
from helpdesk.privacy.audit import AuditAction, audit_record
from helpdesk.privacy.inventory import scrub_event_data


def _delete_attachments(messages) -> int:
    attachments = list(Attachment.objects.filter(message__in=messages).only("pk", "file"))
    for attachment in attachments:
        registry.delete_file_on_commit(attachment.file.name, attachment.file.storage)
    Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
    return len(attachments)


def _silence_messages(messages) -> None:
    messages.update(
        body="",
        body_folded_at=None,
        status_detail="",
        external_id="",
        sender=None,
        source_type=None,
        source_id=None,
    )


def contact_in_use(contact_id: int) -> bool:
    """Whether any ticket still names the person (as requester, participant or sender)."""
    # Three indexed lookups: an OR across the participants join would scan every ticket.
    return (
        Ticket.objects.filter(contact_id=contact_id).exists()
        or Ticket.participants.through.objects.filter(contact_id=contact_id).exists()
        or Message.objects.filter(sender_id=contact_id).exists()
    )


@transaction.atomic
def ticket_pseudonymise(
    *, ticket_id: int, actor=None, reason: str = "retention", now=None, leave_contact=None
) -> dict | None:
    """Remove the ticket's personal data; keep its codes and timestamps. None if already done.

    The ticket loses its subject, its link to the requester and other participants, its private
    link, the words of every message and every attachment; what the channels hold for it goes
    through their registered erasers. People left with no ticket lose their data too (except
    `leave_contact`, whom the caller deals with itself).
    """
    ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
    if ticket is None or ticket.pseudonymised_at is not None:
        return None
    now = now or timezone.now()
    counts: dict[str, int] = {}
    # The channels first: they still see the sources, external ids and the requester.
    for eraser in registry.erasers():
        if eraser.ticket is not None:
            counts[eraser.name] = eraser.ticket(ticket) or 0

    messages = Message.objects.filter(ticket=ticket)
    people = {ticket.contact_id, *ticket.participants.values_list("pk", flat=True)}
    people |= set(messages.exclude(sender=None).values_list("sender_id", flat=True))
    people -= {None, leave_contact}
    counts["attachments"] = _delete_attachments(messages)
    counts["messages"] = messages.count()
    _silence_messages(messages)
    for event in TicketEvent.objects.filter(ticket=ticket).only("pk", "kind", "data"):
        scrubbed = scrub_event_data(event.kind, event.data)
        if scrubbed != event.data:
            TicketEvent.objects.filter(pk=event.pk).update(data=scrubbed)

    ticket.participants.clear()
    ticket.subject = ""
    ticket.contact = None
    ticket.access_token = None
    ticket.pseudonymised_at = now
    # updated_at stays: it is the last activity, not the last housekeeping.
    ticket.save(update_fields=["subject", "contact", "access_token", "pseudonymised_at"])
    audit_record(
        actor=actor,
        action=AuditAction.TICKET_PSEUDONYMISE,
        target=ticket,
        details={"reason": reason, **counts},
    )
    counts["contacts"] = 0
    for contact_id in sorted(people):
        if not contact_in_use(contact_id) and contact_pseudonymise(
            contact_id=contact_id, actor=actor, reason=reason, now=now
        ):
            counts["contacts"] += 1
    return counts


@transaction.atomic
def contact_pseudonymise(
    *, contact_id: int, actor=None, reason: str = "retention", now=None, force: bool = False
) -> bool:
    """Remove a person's name, address, number and organisation; keep the row's codes.

    Done when no ticket names them any more (retention), or at once on their request (`force`,
    after their tickets were dealt with). The channels' contact erasers run every time `force` is
    given, even for a person already pseudonymised: an erasure request must reach everything.
    """
    contact = Contact.objects.select_for_update().filter(pk=contact_id).first()
    if contact is None or (contact.pseudonymised_at is not None and not force):
        return False
    counts: dict[str, int] = {}
    for eraser in registry.erasers():
        if eraser.contact is not None:
            counts[eraser.name] = eraser.contact(contact) or 0
    Contact.objects.filter(pk=contact.pk).update(
        name="",
        email="",
        phone="",
        organisation="",
        pseudonymised_at=contact.pseudonymised_at or now or timezone.now(),
        updated_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action=AuditAction.CONTACT_PSEUDONYMISE,
        target=contact,
        details={"reason": reason, **counts},
    )
    return True


@transaction.atomic
def contact_withdraw_from_ticket(*, contact: Contact, ticket: Ticket) -> dict:
    """Remove a person's words and presence from someone else's ticket; the ticket stays.

    For erasure: a social worker or family member who wrote on another person's question.
    """
    messages = Message.objects.filter(ticket=ticket, sender=contact)
    counts = {"attachments": _delete_attachments(messages), "messages": messages.count()}
    _silence_messages(messages)
    ticket.participants.remove(contact)
    return counts
