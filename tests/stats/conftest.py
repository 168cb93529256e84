from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from helpdesk.models import Channel, Language, Outcome, RequesterType, Topic
from helpdesk.services import clock
from helpdesk.services.tickets import (
    ticket_classify,
    ticket_close,
    ticket_create,
    ticket_reply,
)

BXL = ZoneInfo("Europe/Brussels")


def at(*args) -> datetime:
    """A moment in Brussels time."""
    return datetime(*args, tzinfo=BXL)


@pytest.fixture
def make_ticket(infolijn, ines):
    """Create a ticket through the services at a chosen moment, optionally answered and closed."""

    def make(
        created,
        *,
        channel=Channel.EMAIL,
        queue=None,
        topics=("reception",),
        requester="social-worker",
        language="ar",
        answered=None,
        closed=None,
        outcome="information-given",
        policy_signal=False,
    ):
        with clock.travel_to(created):
            ticket = ticket_create(
                queue=queue or infolijn,
                channel=channel,
                body="A question",
                topics=Topic.objects.filter(code__in=topics),
                requester_type=RequesterType.objects.get(code=requester) if requester else None,
                language=Language.objects.get(code=language) if language else None,
            )
        if policy_signal:
            ticket_classify(ticket=ticket, actor=ines, policy_signal=True)
        if answered:
            with clock.travel_to(answered):
                ticket_reply(ticket=ticket, author=ines, body="An answer")
        if closed:
            with clock.travel_to(closed):
                ticket_close(ticket=ticket, actor=ines, outcome=Outcome.objects.get(code=outcome))
        ticket.refresh_from_db()
        return ticket

    return make
