"""The figures count what happened when it happened (issue 8, "Correctness")."""

import pytest

from helpdesk.models import Channel, Outcome, Topic
from helpdesk.services import clock
from helpdesk.services.tickets import (
    message_receive,
    ticket_close,
    ticket_merge,
    ticket_reply,
)
from helpdesk.stats.periods import Period
from helpdesk.stats.sections import Scope
from helpdesk.stats.selectors.tickets import ticket_figures

from .conftest import at

pytestmark = pytest.mark.django_db
YEAR_2026 = Scope(Period.year(2026))


def test_a_ticket_reopened_and_closed_twice_has_one_first_response_and_resolves_at_the_final_close(
    make_ticket, ines, outcome
):
    ticket = make_ticket(at(2026, 2, 2, 10), answered=at(2026, 2, 2, 11), closed=at(2026, 2, 2, 12))
    with clock.travel_to(at(2026, 2, 5, 9)):
        message_receive(ticket=ticket, channel=Channel.EMAIL, body="One more thing")
    with clock.travel_to(at(2026, 2, 5, 10)):
        ticket_reply(ticket=ticket, author=ines, body="Second answer")
    with clock.travel_to(at(2026, 2, 6, 10)):
        ticket_close(ticket=ticket, actor=ines, outcome=outcome)

    figures = ticket_figures(YEAR_2026)

    assert figures.total == 1
    assert figures.reopened == 1
    assert figures.first_response.as_dict()["count"] == 1
    assert (
        figures.first_response.as_dict()["median_hours"] == 1.0
    )  # the first answer, not the second
    assert figures.resolution.as_dict()["count"] == 1
    assert (
        figures.resolution.as_dict()["median_hours"] == 4 * 24.0
    )  # to 6 February, the final close


def test_merged_tickets_count_once(make_ticket, ines):
    first = make_ticket(at(2026, 3, 2, 10))
    duplicate = make_ticket(at(2026, 3, 2, 10, 5), channel=Channel.SMS)
    ticket_merge(source=duplicate, target=first, actor=ines)

    figures = ticket_figures(YEAR_2026)

    assert figures.total == 1
    assert figures.codes(figures.channels) == {"email": 1}


def test_retired_topics_still_count_under_their_old_names(make_ticket):
    make_ticket(at(2025, 6, 2, 10), topics=["temporary-protection"])
    Topic.objects.get(code="temporary-protection").retire()

    figures = ticket_figures(Scope(Period.year(2025)))

    (row,) = figures.topics
    assert (row.code, row.count, row.retired) == ("temporary-protection", 1, True)
    assert row.label == "Tijdelijke bescherming (Oekraïne)"


def test_a_change_of_the_topic_list_never_changes_last_years_figures(make_ticket, ines):
    make_ticket(at(2025, 3, 3, 10), topics=["reception"], answered=at(2025, 3, 3, 11))
    make_ticket(at(2025, 11, 3, 10), topics=["reception", "dublin"])
    make_ticket(at(2025, 12, 1, 10), topics=["silent"])
    before = ticket_figures(Scope(Period.year(2025)))

    # A new year's list: reception retired and split, a new topic, "silent" renamed on screen.
    Topic.objects.get(code="reception").retire()
    Topic.objects.create(code="reception-no-place", name="Geen opvangplaats")
    Topic.objects.create(code="reception-transfer", name="Transfer")
    Topic.objects.filter(code="silent").update(position=1)
    make_ticket(at(2026, 1, 5, 10), topics=["reception-no-place"])

    after = ticket_figures(Scope(Period.year(2025)))
    assert (
        after.codes(after.topics)
        == before.codes(before.topics)
        == {
            "reception": 2,
            "dublin": 1,
            "silent": 1,
        }
    )
    assert (after.total, after.questions, after.answered) == (3, 2, 1)


def test_contacts_that_are_not_questions_are_counted_apart(make_ticket):
    make_ticket(at(2026, 4, 1, 10), topics=["silent"], answered=at(2026, 4, 1, 10, 1))
    make_ticket(at(2026, 4, 1, 11), topics=["thanks", "reception"], answered=at(2026, 4, 1, 12))
    make_ticket(at(2026, 4, 1, 12), topics=[])

    figures = ticket_figures(YEAR_2026)

    assert (figures.total, figures.questions, figures.non_questions) == (3, 2, 1)
    assert figures.answered == 1  # the silent call's "answer" is not a question answered


def test_a_queue_sees_only_its_own_tickets(make_ticket, legal_queue):
    make_ticket(at(2026, 5, 4, 10))
    make_ticket(at(2026, 5, 4, 11), queue=legal_queue)

    figures = ticket_figures(Scope(Period.year(2026), legal_queue))

    assert figures.total == 1
    assert figures.codes(figures.queues) == {"legal-helpdesk": 1}


def test_tickets_count_in_the_local_day_and_month_they_came_in(make_ticket):
    make_ticket(at(2026, 3, 31, 23, 59, 59))  # 21:59:59 UTC: still March in Brussels
    make_ticket(at(2026, 4, 1, 0, 0, 0))  # 22:00 UTC on 31 March: April in Brussels
    make_ticket(at(2025, 12, 31, 23, 30))  # last year

    figures = ticket_figures(YEAR_2026)

    assert figures.total == 2
    assert figures.by_month["2026-03"] == figures.by_month["2026-04"] == 1
    march = ticket_figures(Scope(Period(*_month(2026, 3))))
    assert march.total == 1


def _month(year, month):
    from datetime import date, timedelta

    from helpdesk.stats.periods import add_months

    start = date(year, month, 1)
    return start, add_months(start, 1) - timedelta(days=1)


def test_the_hour_of_the_week_is_local_across_both_dst_changes(make_ticket):
    from zoneinfo import ZoneInfo

    utc = ZoneInfo("UTC")
    from datetime import datetime

    # Spring: 29 March 2026, 01:59:59 CET is followed by 03:00 CEST.
    make_ticket(at(2026, 3, 29, 1, 59, 59))  # Sunday 01h
    make_ticket(at(2026, 3, 29, 3, 0, 0))  # Sunday 03h
    # Autumn: 25 October 2026, 02:30 happens twice (CEST, then CET).
    make_ticket(datetime(2026, 10, 25, 0, 30, tzinfo=utc))  # 02:30 CEST, Sunday 02h
    make_ticket(datetime(2026, 10, 25, 1, 30, tzinfo=utc))  # 02:30 CET, Sunday 02h
    make_ticket(at(2026, 10, 26, 0, 0))  # Monday 00h

    figures = ticket_figures(YEAR_2026)

    sunday = 6 * 24
    assert figures.hour_of_week == {sunday + 1: 1, sunday + 3: 1, sunday + 2: 2, 0: 1}


def test_response_times_in_opening_hours_come_from_the_queue_schedule(make_ticket):
    # Friday 16:00, answered Monday 10:30: the Infolijn is open 9:30-12:30 and 13:30-16:30.
    make_ticket(at(2026, 6, 5, 16, 0), answered=at(2026, 6, 8, 10, 30))

    fr = ticket_figures(YEAR_2026).first_response.as_dict()

    assert fr["median_hours"] == 66.5
    assert fr["median_opening_hours"] == 1.5


@pytest.mark.parametrize("outcome_code", ["referred"])
def test_referrals_are_counted_by_organisation(make_ticket, ines, outcome_code):
    from helpdesk.models import ReferralOrganisation
    from helpdesk.services.tickets import ticket_classify

    ticket = make_ticket(at(2026, 7, 1, 10))
    ticket_classify(
        ticket=ticket,
        actor=ines,
        outcome=Outcome.objects.get(code=outcome_code),
        referral=ReferralOrganisation.objects.get(code="caw"),
    )

    figures = ticket_figures(YEAR_2026)

    assert figures.codes(figures.referrals) == {"caw": 1}
    assert figures.codes(figures.outcomes) == {"referred": 1}
