"""What the phone channel holds about a ticket or a person, and how it goes (privacy registry).

Call records keep what the statistics count (language, times, result) and lose the numbers;
recordings are deleted (the file after the commit, Twilio's copy by a task); SMS and WhatsApp
payloads and template variables are cleared.
"""

from django.db.models import Q

from helpdesk.privacy import registry
from helpdesk.services import clock

from .models import Call, CallLeg, InboundMessage, LegKind, OutboundMessage, Recording
from .services.recordings import recording_delete

ERASER = "twilio.calls_and_messages"


def _forget_calls(calls) -> int:
    count = 0
    for recording in Recording.objects.filter(call__in=calls):
        recording_delete(recording=recording)
        count += 1
    CallLeg.objects.filter(call__in=calls, kind=LegKind.REQUESTER).update(to_number="")
    count += calls.update(from_number="", to_number="", numbers_removed_at=clock.now())
    return count


def erase_ticket(ticket) -> int:
    count = _forget_calls(Call.objects.filter(ticket=ticket))
    for recording in Recording.objects.filter(message__ticket=ticket):
        recording_delete(recording=recording)
        count += 1
    count += InboundMessage.objects.filter(message__ticket=ticket).update(payload={})
    count += OutboundMessage.objects.filter(message__ticket=ticket).update(template_variables={})
    return count


def erase_contact(contact) -> int:
    if not contact.phone:
        return 0
    calls = Call.objects.filter(Q(from_number=contact.phone) | Q(to_number=contact.phone))
    count = _forget_calls(calls)
    count += InboundMessage.objects.filter(payload__from=contact.phone).update(payload={})
    return count


def register() -> None:
    registry.register_eraser(ERASER, ticket=erase_ticket, contact=erase_contact)
