"""The email channel's hooks into the core: the outbound channel, the acknowledgement of new
tickets, and mail arriving through a provider's inbound webhook (django-anymail)."""

import logging

from config.tasks import enqueue_on_commit

log = logging.getLogger(__name__)


def can_reach(ticket) -> bool:
    return bool(ticket.contact_id and ticket.contact.email)


def deliver(message_id: int) -> None:
    from .tasks import send_reply

    send_reply.enqueue(message_id)


def on_ticket_created(sender, ticket_id, **kwargs):
    """Acknowledge new email and web-form tickets of people with an address (in a task)."""
    from helpdesk.models import Channel, Ticket

    from .models import InboundEmail, Origin
    from .tasks import acknowledge

    wanted = Ticket.objects.filter(
        pk=ticket_id, channel__in=[Channel.EMAIL, Channel.WEBFORM], contact__email__gt=""
    ).exclude(pk__in=InboundEmail.objects.filter(origin=Origin.IMPORT).values("ticket_id"))
    if wanted.exists():  # a phone call or an imported archive never is: no task for them
        enqueue_on_commit(acknowledge, ticket_id)


def on_anymail_inbound(sender, event, esp_name, **kwargs):
    """Store what the provider posted, through the same path as the poller.

    An exception here answers the provider with an error, and it sends the mail again later:
    the response is a success only once the raw message is committed.
    """
    from .inbound import inbound_store, queue_for
    from .models import Origin

    message = event.message
    recipients = []
    if getattr(message, "envelope_recipient", None):
        recipients.append(message.envelope_recipient)
    recipients += [address.addr_spec for address in (message.to or [])]
    recipients += [address.addr_spec for address in (message.cc or [])]
    inbound, created = inbound_store(
        message.as_bytes(),
        origin=Origin.WEBHOOK,
        queue=queue_for(recipients),
        origin_detail=esp_name,
    )
    log.info("Inbound mail from %s webhook stored as %s (new: %s)", esp_name, inbound.pk, created)
