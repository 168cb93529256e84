from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from helpdesk.models import Channel, Closure, OpeningHours, Queue
from helpdesk.selectors.hours import Schedule, schedule_for
from helpdesk.services import clock
from helpdesk.services.tickets import ticket_close, ticket_create, ticket_reply

BRUSSELS = ZoneInfo("Europe/Brussels")
pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=BRUSSELS)


@pytest.fixture
def split_shifts():
    """Monday to Friday 9:30-12:30 and 13:30-16:30 (the seed schedule of the info line)."""
    weekly = {day: [(time(9, 30), time(12, 30)), (time(13, 30), time(16, 30))] for day in range(5)}
    return Schedule(weekly=weekly)


def test_it_is_open_within_a_shift_and_closed_over_lunch(split_shifts):
    assert split_shifts.is_open(at(2026, 3, 2, 9, 30))  # a Monday
    assert not split_shifts.is_open(at(2026, 3, 2, 12, 45))
    assert split_shifts.is_open(at(2026, 3, 2, 16, 29))
    assert not split_shifts.is_open(at(2026, 3, 2, 16, 30))
    assert not split_shifts.is_open(at(2026, 3, 7, 10, 0))  # Saturday


def test_it_is_closed_on_belgian_public_holidays(split_shifts):
    assert not split_shifts.is_open(at(2026, 7, 21, 10, 0))  # national day, a Tuesday
    assert not split_shifts.is_open(at(2026, 4, 6, 10, 0))  # Easter Monday
    split_shifts.observes_public_holidays = False
    assert split_shifts.is_open(at(2026, 7, 21, 10, 0))


def test_open_seconds_skip_nights_lunches_and_weekends(split_shifts):
    # Friday 16:00 to Monday 10:00: 30 minutes on Friday, 30 on Monday.
    assert split_shifts.open_seconds(at(2026, 3, 6, 16, 0), at(2026, 3, 9, 10, 0)) == 3600
    # Across lunch: 12:00-14:00 is one hour open.
    assert split_shifts.open_seconds(at(2026, 3, 2, 12, 0), at(2026, 3, 2, 14, 0)) == 3600


def test_open_seconds_are_right_across_the_dst_changes(split_shifts):
    # Clocks go forward on Sunday 29 March 2026 and back on Sunday 25 October 2026: a question
    # left on Friday evening and answered on Monday at 10:00 waited 30 minutes of opening hours.
    assert split_shifts.open_seconds(at(2026, 3, 27, 18, 0), at(2026, 3, 30, 10, 0)) == 1800
    assert split_shifts.open_seconds(at(2026, 10, 23, 18, 0), at(2026, 10, 26, 10, 0)) == 1800


def test_a_queue_without_a_schedule_is_always_open():
    always = Schedule(weekly={})
    assert always.is_open(at(2026, 12, 25, 3, 0))
    assert always.open_seconds(at(2026, 3, 28, 12, 0), at(2026, 3, 29, 12, 0)) == 23 * 3600


def test_closures_close_one_queue_or_all(infolijn, education):
    Closure.objects.create(queue=infolijn, starts_on=date(2026, 12, 24), ends_on=date(2026, 12, 24))
    Closure.objects.create(queue=None, starts_on=date(2026, 12, 28), ends_on=date(2026, 12, 31))
    assert not schedule_for(infolijn).is_open(at(2026, 12, 24, 10, 0))
    assert schedule_for(education).is_open(at(2026, 12, 24, 10, 0))
    assert not schedule_for(education).is_open(at(2026, 12, 29, 10, 0))


def test_next_opening_after_a_holiday_weekend(split_shifts):
    # Saturday 4 April 2026, Easter Monday the 6th: it opens on Tuesday at 9:30.
    assert split_shifts.next_opening(at(2026, 4, 4, 10, 0)) == at(2026, 4, 7, 9, 30)


def test_tickets_record_response_and_resolution_in_opening_hours(infolijn, ines, outcome):
    assert OpeningHours.objects.filter(queue=infolijn).count() == 10  # seeded by migration
    with clock.travel_to(at(2026, 3, 6, 16, 0)):  # Friday, 30 minutes before closing
        ticket = ticket_create(queue=infolijn, channel=Channel.EMAIL, body="question")
    with clock.travel_to(at(2026, 3, 9, 10, 0)):  # Monday morning
        ticket_reply(ticket=ticket, author=ines, body="answer")
    with clock.travel_to(at(2026, 3, 9, 14, 0)):
        ticket_close(ticket=ticket, actor=ines, outcome=outcome)
    ticket.refresh_from_db()
    assert ticket.first_response_open_seconds == 3600
    assert ticket.resolution_open_seconds == 3600 + 2.5 * 3600 + 1800


def test_the_legal_helpdesk_keeps_its_own_hours():
    legal = Queue.objects.get(slug="legal-helpdesk")
    assert not schedule_for(legal).is_open(at(2026, 3, 6, 11, 0))  # Friday: closed
    assert schedule_for(legal).is_open(at(2026, 3, 5, 11, 0))
