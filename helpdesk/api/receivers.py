"""The one hook from the helpdesk's services to the webhooks: their after-commit signals.

A failure here is logged and never reaches the person whose ticket was saved (it is committed).
"""

import logging

from helpdesk.api.models import WebhookEvent
from helpdesk.api.services.webhooks import webhooks_emit

log = logging.getLogger(__name__)


def _emit(**kwargs):
    try:
        webhooks_emit(**kwargs)
    except Exception:
        log.exception("Could not record webhook event %s", kwargs.get("event"))


def on_ticket_created(sender, ticket_id, **kwargs):
    _emit(event=WebhookEvent.TICKET_CREATED, ticket_id=ticket_id)


def on_ticket_status_changed(sender, ticket_id, old, new, **kwargs):
    _emit(
        event=WebhookEvent.TICKET_STATUS_CHANGED,
        ticket_id=ticket_id,
        extra={"status": {"old": old, "new": new}},
    )


def on_message_added(sender, ticket_id, message_id, direction, **kwargs):
    _emit(
        event=WebhookEvent.MESSAGE_ADDED,
        ticket_id=ticket_id,
        extra={"message": {"id": message_id, "direction": direction}},
    )
