"""The daily rollup (DayCount) never changes a figure: whatever changed after it was written is
counted from the tickets until the refresh catches up, and the refresh gives the same numbers."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpdesk.models import Channel, Topic
from helpdesk.services.clock import travel_to
from helpdesk.services.tickets import (
    message_receive,
    ticket_assign,
    ticket_classify,
    ticket_close,
    ticket_merge,
    ticket_reply,
)
from helpdesk.stats.models import DayCount, Dimension, RollupDay, TicketChange
from helpdesk.stats.periods import Period
from helpdesk.stats.sections import Scope
from helpdesk.stats.selectors.counts import ALL, changed_days
from helpdesk.stats.selectors.tickets import ticket_figures
from helpdesk.stats.services import day_counts_refresh

from .conftest import BXL, at

pytestmark = pytest.mark.django_db
YEAR = Scope(Period.year(2026))


def rolled_up():
    """Refresh, and check the period is now read from the rollup alone."""
    day_counts_refresh()
    assert not TicketChange.objects.exists()
    assert changed_days(YEAR.period) == set()


def test_the_figures_are_the_same_from_the_rollup_as_from_the_tickets(make_ticket):
    make_ticket(at(2026, 3, 2, 10), answered=at(2026, 3, 2, 12), closed=at(2026, 3, 3, 9))
    make_ticket(at(2026, 3, 2, 23, 59, 59), channel=Channel.PHONE, topics=["silent"])
    make_ticket(at(2026, 4, 1, 0, 0), topics=["dublin", "reception"], policy_signal=True)
    assert changed_days(YEAR.period) == ALL  # nothing rolled up yet (the migration's mark)
    live = ticket_figures(YEAR)

    rolled_up()
    stored = ticket_figures(YEAR)

    assert DayCount.objects.filter(dimension=Dimension.CHANNEL).count() == 3
    assert stored == live
    assert stored.total == 3
    assert stored.questions == 2
    assert stored.policy_signals == 1
    assert stored.by_month["2026-03"] == 2
    assert stored.by_month["2026-04"] == 1


def test_a_ticket_answered_today_counts_at_once_though_its_day_was_rolled_up(make_ticket, ines):
    ticket = make_ticket(at(2026, 5, 4, 9))
    rolled_up()
    assert ticket_figures(YEAR).answered == 0

    with travel_to(at(2026, 5, 4, 11)):
        ticket_reply(ticket=ticket, author=ines, body="An answer")

    assert changed_days(YEAR.period) == {date(2026, 5, 4)}
    figures = ticket_figures(YEAR)
    assert figures.answered == 1
    assert figures.first_response.as_dict()["median_hours"] == 2.0
    rolled_up()
    assert ticket_figures(YEAR) == figures


def test_a_reopened_ticket_is_recounted_and_measured_to_its_last_close(make_ticket, ines):
    ticket = make_ticket(at(2026, 6, 1, 10), answered=at(2026, 6, 1, 11), closed=at(2026, 6, 1, 12))
    rolled_up()
    assert ticket_figures(YEAR).reopened == 0

    with travel_to(at(2026, 6, 3, 10)):
        message_receive(ticket=ticket, channel=ticket.channel, body="It happened again")
    with travel_to(at(2026, 6, 4, 10)):
        ticket_close(ticket=ticket, actor=ines)

    figures = ticket_figures(YEAR)
    assert figures.reopened == 1
    assert figures.closed == 1
    assert figures.total == 1
    assert figures.resolution.as_dict()["median_hours"] == 72.0  # to the last close
    assert figures.first_response.as_dict()["count"] == 1  # one first response
    rolled_up()
    assert ticket_figures(YEAR) == figures


def test_a_merged_duplicate_leaves_the_rolled_up_figures(make_ticket, ines):
    original = make_ticket(at(2026, 7, 1, 10), topics=["reception"])
    duplicate = make_ticket(at(2026, 7, 2, 10), topics=["dublin"], channel=Channel.SMS)
    rolled_up()
    assert ticket_figures(YEAR).total == 2

    ticket_merge(source=duplicate, target=original, actor=ines)

    figures = ticket_figures(YEAR)
    assert figures.total == 1
    assert figures.codes(figures.channels) == {Channel.EMAIL: 1}
    # The target now carries both topics; the duplicate counts nowhere.
    assert figures.codes(figures.topics) == {"reception": 1, "dublin": 1}
    rolled_up()
    assert ticket_figures(YEAR) == figures


def test_a_retired_topic_still_counts_under_its_name_in_the_rollup(make_ticket):
    make_ticket(at(2026, 2, 10, 10), topics=["dublin"])
    rolled_up()
    dublin = Topic.objects.get(code="dublin")
    dublin.is_active = False
    dublin.save()

    assert not TicketChange.objects.exists()  # retiring changes no count: nothing to redo
    row = next(r for r in ticket_figures(YEAR).topics if r.code == "dublin")
    assert (row.count, row.retired) == (1, True)


def test_changing_what_counts_as_a_question_recounts_every_day(make_ticket):
    make_ticket(at(2025, 11, 3, 10), topics=["thanks"])
    make_ticket(at(2026, 2, 3, 10), topics=["thanks"])
    rolled_up()
    assert ticket_figures(YEAR).questions == 0

    Topic.objects.filter(code="thanks").update(is_question=True)

    assert changed_days(YEAR.period) == ALL
    assert ticket_figures(YEAR).questions == 1
    rolled_up()
    assert ticket_figures(YEAR).questions == 1
    assert ticket_figures(Scope(Period.year(2025))).questions == 1


def test_the_rollup_puts_the_autumn_dst_hours_on_the_right_day_and_hour(make_ticket):
    # 25 October 2026: 02:30 happens twice in Brussels (CEST, then CET); 00:30 on 1 November.
    make_ticket(datetime(2026, 10, 25, 2, 30, tzinfo=BXL, fold=0))
    make_ticket(datetime(2026, 10, 25, 2, 30, tzinfo=BXL, fold=1))
    make_ticket(at(2026, 10, 31, 23, 59, 59))
    make_ticket(at(2026, 11, 1, 0, 30))
    live = ticket_figures(YEAR)
    rolled_up()
    figures = ticket_figures(YEAR)

    assert figures == live
    sunday = 6 * 24
    assert figures.hour_of_week[sunday + 2] == 2
    assert figures.by_month["2026-10"] == 3
    assert figures.by_month["2026-11"] == 1
    october = ticket_figures(Scope(Period(date(2026, 10, 1), date(2026, 10, 31))))
    assert october.total == 3


def test_changes_the_figures_do_not_count_leave_no_mark(make_ticket, ines):
    ticket = make_ticket(at(2026, 8, 3, 10))
    rolled_up()
    ticket_assign(ticket=ticket, actor=ines, assignee=ines)
    ticket_classify(ticket=ticket, actor=ines, subject="Something else", priority=3)
    assert not TicketChange.objects.exists()


def test_refreshing_twice_changes_nothing(make_ticket):
    make_ticket(at(2026, 9, 1, 10))
    day_counts_refresh()
    rows = sorted(DayCount.objects.values_list("day", "queue", "dimension", "code", "n"))

    assert day_counts_refresh() == 0
    assert day_counts_refresh(everything=True) > 0
    assert sorted(DayCount.objects.values_list("day", "queue", "dimension", "code", "n")) == rows


def test_the_page_runs_the_same_queries_from_the_rollup_as_from_the_tickets(
    client, cora, make_ticket
):
    for day in range(1, 20):
        make_ticket(at(2026, 1 + day % 12, day, 10), answered=at(2026, 1 + day % 12, day, 11))
    client.force_login(cora)
    params = {"period": "custom", "start": "2026-01-01", "end": "2026-12-31"}
    client.get(reverse("stats:overview"), params)
    with CaptureQueriesContext(connection) as live:
        live_page = client.get(reverse("stats:overview"), params)
    day_counts_refresh()
    with CaptureQueriesContext(connection) as stored:
        stored_page = client.get(reverse("stats:overview"), params)

    assert len(stored.captured_queries) == len(live.captured_queries)
    section = lambda page: next(c for c in page.context["computed"] if c.section.key == "tickets")  # noqa: E731
    assert section(stored_page).figures == section(live_page).figures


def test_the_rollup_is_not_a_way_around_who_may_see_the_figures(client, otto, make_ticket):
    make_ticket(at(2026, 3, 2, 10))
    day_counts_refresh()
    client.force_login(otto)  # staff of another queue: sees no statistics at all
    assert client.get(reverse("stats:overview")).status_code == 403
    assert client.get("/api/v1/stats/summary/?from=2026-01-01&to=2026-12-31").status_code == 403


def percentile_queries(queries) -> int:
    return sum(
        "PERCENTILE_CONT" in q["sql"].upper() or "ROW_NUMBER()" in q["sql"].upper()
        for q in queries.captured_queries
    )


def test_percentiles_of_a_rolled_up_period_are_cached_until_one_of_its_days_changes(
    make_ticket, ines
):
    make_ticket(at(2026, 3, 2, 10), answered=at(2026, 3, 2, 12))
    waiting = make_ticket(at(2026, 3, 9, 10))
    rolled_up()
    with CaptureQueriesContext(connection) as first:
        before = ticket_figures(YEAR)
    with CaptureQueriesContext(connection) as second:
        assert ticket_figures(YEAR) == before
    assert percentile_queries(first) > 0
    assert percentile_queries(second) == 0

    with travel_to(at(2026, 3, 9, 18)):
        ticket_reply(ticket=waiting, author=ines, body="An answer")
    changed = ticket_figures(YEAR)  # the changed day is counted from the tickets, exactly
    assert changed.first_response.as_dict()["count"] == 2
    assert changed.first_response.as_dict()["median_hours"] == 5.0

    rolled_up()  # a new version of that day: the cached percentiles are not used again
    with CaptureQueriesContext(connection) as third:
        assert ticket_figures(YEAR) == changed
    assert percentile_queries(third) > 0


def test_a_full_recount_gives_every_recounted_day_a_new_version_even_without_tickets(
    make_ticket,
):
    make_ticket(at(2026, 4, 7, 10))
    day_counts_refresh()
    emptied = RollupDay.objects.create(day=date(2026, 1, 5), version=1)  # its tickets are gone
    before = RollupDay.objects.get(day=date(2026, 4, 7)).version

    day_counts_refresh(everything=True)

    emptied.refresh_from_db()
    assert emptied.version > before  # a percentile cached over that day is not used again
    assert not DayCount.objects.filter(day=date(2026, 1, 5)).exists()
