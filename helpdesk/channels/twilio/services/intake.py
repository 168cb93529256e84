"""Turning what arrived by phone, SMS or WhatsApp into a message on a ticket: the requester's open
ticket in that queue if it was active lately, else a new one (helpdesk.services.tickets)."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError

from helpdesk.models import Contact, Language, Message, Queue, Status, Ticket
from helpdesk.services import clock
from helpdesk.services.contacts import contact_find_or_create, normalise_phone
from helpdesk.services.tickets import message_receive, ticket_create

# Numbers Twilio sends for callers who withhold theirs (and words some carriers use).
WITHHELD = {"+266696687", "+86282452253", "+7378742833", "+2562533", "+8656696"}
WITHHELD_WORDS = {"anonymous", "restricted", "unknown", "private", "unavailable", "blocked"}


def caller_number(raw: str) -> str:
    """The caller's number in E.164, or "" when withheld or not a phone number (short codes,
    alphanumeric senders)."""
    raw = (raw or "").removeprefix("whatsapp:").strip()
    if not raw or raw in WITHHELD or raw.lower() in WITHHELD_WORDS:
        return ""
    try:
        return normalise_phone(raw)
    except ValidationError:
        return ""


def contact_for(number: str, *, language: Language | None = None) -> Contact | None:
    if not number:
        return None
    return contact_find_or_create(phone=number, preferred_language=language)


def joinable_ticket(contact: Contact | None, queue: Queue) -> Ticket | None:
    """The requester's latest ticket in this queue that is still being worked on (or was just
    answered) and was active within TWILIO_MESSAGE_THREAD_DAYS."""
    if contact is None:
        return None
    since = clock.now() - timedelta(days=settings.TWILIO_MESSAGE_THREAD_DAYS)
    return (
        Ticket.objects.filter(
            contact=contact,
            queue=queue,
            merged_into__isnull=True,
            status__in=[*Ticket.OPEN_STATUSES, Status.ANSWERED],
            updated_at__gte=since,
        )
        .order_by("-updated_at")
        .first()
    )


def intake(
    *,
    queue: Queue,
    channel: str,
    contact: Contact | None,
    body: str,
    subject: str = "",
    language: Language | None = None,
    external_id: str = "",
    source=None,
    attachments=(),
) -> tuple[Ticket, Message]:
    """Add to the requester's open ticket, or open a new one. Call inside a transaction."""
    ticket = joinable_ticket(contact, queue)
    if ticket is not None:
        message = message_receive(
            ticket=ticket,
            channel=channel,
            body=body,
            sender=contact,
            external_id=external_id,
            source=source,
            attachments=attachments,
        )
        return ticket, message
    ticket = ticket_create(
        queue=queue,
        channel=channel,
        body=body,
        subject=subject,
        contact=contact,
        language=language,
        external_id=external_id,
        source=source,
        attachments=attachments,
    )
    return ticket, ticket.messages.order_by("id").first()


def duration_text(seconds: int | None) -> str:
    seconds = int(seconds or 0)
    return f"{seconds // 60}:{seconds % 60:02d}"
