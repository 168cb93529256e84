import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from helpdesk.models import ReferenceCounter, Ticket, TicketTopic
from helpdesk.selectors.hours import schedule_for
from helpdesk.services.tickets import ticket_create
from helpdesk.stats.generator import OpenClock

pytestmark = pytest.mark.django_db
UTC = ZoneInfo("UTC")


def test_the_fast_opening_hours_clock_agrees_with_the_schedule(infolijn):
    schedule = schedule_for(infolijn)
    clock = OpenClock(schedule, date(2025, 1, 1), date(2026, 12, 31))
    rng = random.Random(3)
    base = datetime(2025, 1, 1, tzinfo=UTC)
    for _ in range(300):
        start = base + timedelta(seconds=rng.randrange(0, 600 * 86400))
        end = start + timedelta(seconds=rng.randrange(0, 20 * 86400))
        assert clock.seconds(start, end) == schedule.open_seconds(start, end), (start, end)


def test_it_writes_tickets_in_bulk_and_the_services_go_on_after_them(infolijn, ines):
    call_command(
        "generate_tickets", tickets=300, start=date(2025, 1, 1), end=date(2025, 3, 31), verbosity=0
    )

    assert 280 < Ticket.objects.count() <= 300
    assert TicketTopic.objects.exists()
    assert Ticket.objects.filter(merged_into__isnull=False).count() < 15
    assert not Ticket.objects.filter(
        closed_at__isnull=False, resolution_open_seconds__isnull=True
    ).exists()
    counter = ReferenceCounter.objects.get(prefix="IL", year=2025)
    assert counter.last_number == Ticket.objects.filter(reference__startswith="IL-2025-").count()
    ticket = ticket_create(queue=infolijn, channel="email", body="After the bulk")
    assert ticket.reference.startswith("IL-")
