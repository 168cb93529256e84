"""How an outbound message's delivery is recorded, and how a person asks to try again.

Channels (email, SMS, WhatsApp) report what happened to a message they were given through
`message_delivery_update`; a failure is written on the ticket (status_detail and an event), so
staff see it where they work. `message_retry_delivery` hands a failed message back to its
channel's `deliver`, the same way `ticket_reply` did the first time.
"""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from helpdesk import signals
from helpdesk.channels.registry import outbound_channel
from helpdesk.models import DeliveryStatus, Direction, EventKind, Message, Ticket, TicketEvent, User
from helpdesk.selectors.access import require_ticket_access

from . import clock

# Statuses from which a message can still move; "sent" may still become delivered or failed
# (a bounce or a carrier's report arrives later).
_FINAL = {DeliveryStatus.DELIVERED}


def _event(ticket: Ticket, actor: User | None, **data) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket, actor=actor, kind=EventKind.DELIVERY, data=data, created_at=clock.now()
    )


@transaction.atomic
def message_delivery_update(
    *, message: Message, status: str, detail: str = "", external_id: str | None = None
) -> Message:
    """Record what the channel knows about an outbound message (queued, sent, delivered, failed).

    A failure is also an event on the ticket, with the reason, so it shows in the timeline.
    """
    if message.direction != Direction.OUTBOUND:
        raise ValidationError(_("Only answers are delivered."))
    if status not in DeliveryStatus.values:
        raise ValidationError(_("Unknown delivery status “%(status)s”.") % {"status": status})
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.status in _FINAL and status != DeliveryStatus.FAILED:
        return message
    fields = []
    if message.status != status:
        message.status = status
        fields.append("status")
    if message.status_detail != detail[:255]:
        message.status_detail = detail[:255]
        fields.append("status_detail")
    if external_id is not None and message.external_id != external_id[:255]:
        message.external_id = external_id[:255]
        fields.append("external_id")
    if status in (DeliveryStatus.SENT, DeliveryStatus.DELIVERED) and message.sent_at is None:
        message.sent_at = clock.now()
        fields.append("sent_at")
    if fields:
        message.save(update_fields=fields)
    if "status" in fields and status == DeliveryStatus.FAILED:
        _event(message.ticket, None, message=message.pk, status="failed", detail=detail[:255])
        transaction.on_commit(
            partial(
                signals.ticket_changed.send,
                sender=Ticket,
                ticket_id=message.ticket_id,
                fields=["delivery"],
            )
        )
    return message


@transaction.atomic
def message_retry_delivery(*, message: Message, actor: User) -> Message:
    """Send a failed answer again through the channel it was meant for."""
    require_ticket_access(actor, message.ticket)
    message = Message.objects.select_for_update().select_related("ticket").get(pk=message.pk)
    if message.direction != Direction.OUTBOUND or message.status != DeliveryStatus.FAILED:
        raise ValidationError(_("Only an answer whose delivery failed can be sent again."))
    channel = outbound_channel(message.channel)
    if channel is None or not channel.can_reach(message.ticket):
        raise ValidationError(_("This ticket's requester cannot be reached this way any more."))
    if channel.restriction and (reason := channel.restriction(message.ticket)):
        raise ValidationError(reason)
    message.status = DeliveryStatus.PENDING
    message.status_detail = ""
    message.save(update_fields=["status", "status_detail"])
    _event(message.ticket, actor, message=message.pk, status="retry")
    transaction.on_commit(partial(channel.deliver, message.pk))
    return message


@transaction.atomic
def ticket_record_delivery(
    *, ticket: Ticket, mail: str, status: str, detail: str = ""
) -> TicketEvent:
    """Note on the ticket what happened to a mail that is not part of the conversation (the
    acknowledgement): sent, skipped (and why), failed or bounced."""
    # No address in the data: events outlive the contact's personal data.
    return _event(ticket, None, mail=mail, status=status, detail=detail[:255])
