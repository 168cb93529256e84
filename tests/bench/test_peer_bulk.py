"""bench/peer/bulk.py, the peer benchmark's loader: on PostgreSQL it writes with COPY, so these
check it writes what bulk_create would, and that what the database maintains still follows."""

import importlib.util
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db.models import Sum

from helpdesk.models import Contact, Message, Ticket
from helpdesk.stats.models import DayCount, Dimension, TicketChange
from helpdesk.stats.services import day_counts_refresh
from tests.factories import TicketFactory

pytestmark = pytest.mark.django_db

_spec = importlib.util.spec_from_file_location(
    "peer_bulk", Path(__file__).resolve().parents[2] / "bench" / "peer" / "bulk.py"
)
bulk = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bulk)

PAST = datetime(2025, 3, 4, 10, 30, tzinfo=UTC)


def test_it_writes_the_rows_bulk_create_would_with_the_fields_defaults(infolijn):
    ticket = TicketFactory(queue=infolijn)
    bulk.write(
        Message,
        [
            Message(ticket=ticket, direction="in", channel="email", body="Waar slaap ik?",
                    status="received", created_at=PAST),
            Message(ticket=ticket, direction="out", channel="email", body="Bel Fedasil.",
                    status="sent"),
        ],
    )  # fmt: skip

    first, second = Message.objects.filter(ticket=ticket).order_by("created_at")
    assert (first.body, first.created_at, first.external_id, first.author_id) == (
        "Waar slaap ik?", PAST, "", None,
    )  # fmt: skip
    assert second.body == "Bel Fedasil."
    assert second.created_at > PAST  # the field's default, timezone.now


def test_it_keeps_a_given_creation_date_only_when_asked():
    bulk.write(Contact, [Contact(name="Stamped now", created_at=PAST)])
    bulk.write(Contact, [Contact(name="Kept", created_at=PAST)], keep=("created_at",))

    assert Contact.objects.get(name="Stamped now").created_at > PAST  # auto_now_add, as usual
    assert Contact.objects.get(name="Kept").created_at == PAST
    assert Contact._meta.get_field("created_at").auto_now_add  # only for that one write


def test_the_statistics_triggers_mark_its_rows_and_the_refresh_counts_them(infolijn):
    day_counts_refresh(everything=True)
    TicketChange.objects.all().delete()

    bulk.write(
        Ticket,
        [TicketFactory.build(contact=None, queue=infolijn, created_at=PAST) for _ in range(3)],
    )

    assert TicketChange.objects.exists()
    day_counts_refresh()
    counted = DayCount.objects.filter(dimension=Dimension.CHANNEL).aggregate(n=Sum("n"))["n"]
    assert counted == Ticket.objects.count() == 3
