"""The API's writes on tickets: each calls the helpdesk services the ticket page calls, in the
order the page does, in one transaction (a refused step leaves nothing half done)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from helpdesk.models import Ticket
from helpdesk.services import tickets as services
from helpdesk.services.contacts import contact_find_or_create

CLASSIFY_FIELDS = (
    "topics",
    "requester_type",
    "language",
    "outcome",
    "referral",
    "priority",
    "policy_signal",
    "subject",
)


@transaction.atomic
def api_ticket_create(*, actor, queue, channel, contact_data=None, **fields) -> Ticket:
    contact = None
    if contact_data:
        try:
            contact = contact_find_or_create(
                **contact_data,
                requester_type=fields.get("requester_type"),
                preferred_language=fields.get("language"),
            )
        except ValidationError as error:
            raise ValidationError({"contact": error.messages}) from None
    return services.ticket_create(
        queue=queue, channel=channel, contact=contact, actor=actor, **fields
    )


@transaction.atomic
def api_ticket_update(*, ticket: Ticket, actor, changes: dict) -> Ticket:
    """Classify first (closing needs the outcome), then status, assignee, and the queue last
    (after a move the actor may no longer see the ticket)."""
    classify = {key: changes[key] for key in CLASSIFY_FIELDS if key in changes}
    if classify:
        services.ticket_classify(ticket=ticket, actor=actor, **classify)
    if "status" in changes:
        services.ticket_change_status(ticket=ticket, actor=actor, status=changes["status"])
    if "assignee" in changes:
        services.ticket_assign(ticket=ticket, actor=actor, assignee=changes["assignee"])
    if "queue" in changes:
        services.ticket_move(ticket=ticket, actor=actor, queue=changes["queue"])
    ticket.refresh_from_db()
    return ticket
