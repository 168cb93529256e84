"""What the email channel holds about a ticket or a person, and how it goes (privacy registry).

The raw message, its copied subject and sender, and the address of every mail we sent are
personal data. The rows stay (with their Message-ID and dedupe key), so a re-import of an old
archive still finds every message already there and doubles nothing.
"""

from django.db.models import Q
from django.utils import timezone

from helpdesk.privacy import registry

from .models import InboundEmail, OutboundEmail

ERASER = "email.messages"


def _forget_inbound(inbound) -> int:
    return inbound.update(
        raw=b"", raw_purged_at=timezone.now(), subject="", from_address="", reason=""
    )


def erase_ticket(ticket) -> int:
    inbound = InboundEmail.objects.filter(Q(ticket=ticket) | Q(message__ticket=ticket))
    count = _forget_inbound(inbound)
    count += OutboundEmail.objects.filter(ticket=ticket).update(recipient="", error="")
    return count


def erase_contact(contact) -> int:
    if not contact.email:
        return 0
    count = _forget_inbound(InboundEmail.objects.filter(from_address__iexact=contact.email))
    count += OutboundEmail.objects.filter(recipient__iexact=contact.email).update(
        recipient="", error=""
    )
    return count


def register() -> None:
    registry.register_eraser(ERASER, ticket=erase_ticket, contact=erase_contact)
