"""What the ticket page and the phone page show of calls, recordings and WhatsApp."""

from django.db.models import Prefetch

from helpdesk.models import Ticket, User
from helpdesk.selectors.access import queue_ids_for
from helpdesk.selectors.parts import EVERY_PART, TicketParts

from ..client import is_configured
from ..models import Call, CallState, PhoneNumber, Recording, WhatsAppTemplate
from ..services.outbound import live_call_of
from ..services.sending import whatsapp_can_reach, whatsapp_restriction
from .agents import staff_phone_of

_RECORDINGS = Prefetch("recordings", queryset=Recording.objects.order_by("created_at"))


def calls_of_ticket(ticket: Ticket, *, parts: TicketParts = EVERY_PART) -> list[Call]:
    """The ticket's last twenty calls; none read when `parts` (the ticket page's
    selectors.parts.ticket_parts) says it has none."""
    if "calls" not in parts:
        return []
    calls = ticket.twilio_calls.order_by("-started_at")
    # Most tickets have no call: asking that first, without the joins, costs the ticket page a
    # third of what building the joined query did (bench/peer); a ticket with calls pays one
    # small query more.
    if parts.present is None and not calls.exists():
        return []
    return list(
        calls.select_related(
            "language", "answered_by", "placed_by", "recording_deleted_by"
        ).prefetch_related(_RECORDINGS)[:20]
    )


def ticket_phone_panel(ticket: Ticket, user: User, *, parts: TicketParts = EVERY_PART) -> dict:
    configured = is_configured()
    has_phone = bool(ticket.contact_id and ticket.contact.phone)
    can_call_from = (
        configured
        and has_phone
        and PhoneNumber.objects.filter(
            queue_id=ticket.queue_id, is_active=True, handles_calls=True
        ).exists()
    )
    live = live_call_of(user) if configured else None
    whatsapp = configured and whatsapp_can_reach(ticket)
    restriction = whatsapp_restriction(ticket) if whatsapp else ""
    return {
        "configured": configured,
        "calls": calls_of_ticket(ticket, parts=parts),
        "can_call": can_call_from and not ticket.merged_into_id,
        "staff_phone": staff_phone_of(user) if can_call_from else None,
        "live_call": live,
        "whatsapp_restriction": restriction,
        "has_templates": bool(restriction)
        and WhatsAppTemplate.objects.filter(is_active=True).exists(),
    }


def waiting_calls(user: User) -> list[Call]:
    """Callers waiting now in the user's queues (no numbers shown: language and wait only)."""
    return list(
        Call.objects.filter(state=CallState.QUEUED, queue_id__in=queue_ids_for(user))
        .select_related("queue", "language")
        .order_by("enqueued_at")
    )


def recent_calls(user: User, limit: int = 25) -> list[Call]:
    return list(
        Call.objects.filter(queue_id__in=queue_ids_for(user))
        .select_related("queue", "language", "answered_by", "placed_by", "ticket")
        .prefetch_related(_RECORDINGS)
        .order_by("-started_at")[:limit]
    )
