"""The per-ticket export and the aggregated figures agree exactly, on generated data.

Tickets are created through the services at moments chosen around midnight, month ends and both
DST changes of Europe/Brussels; some are answered, closed, reopened, merged. Then every figure is
recomputed in Python from the export's rows and compared with the database's aggregation.
"""

import math
import random
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from helpdesk.models import Channel, Language, Outcome, RequesterType, Topic
from helpdesk.services import clock
from helpdesk.services.tickets import (
    message_receive,
    ticket_close,
    ticket_create,
    ticket_merge,
    ticket_reply,
)
from helpdesk.stats.db import FRACTIONS
from helpdesk.stats.exports import ticket_rows
from helpdesk.stats.periods import Period
from helpdesk.stats.sections import Scope
from helpdesk.stats.selectors.counts import ALL, changed_days
from helpdesk.stats.selectors.tickets import ticket_figures
from helpdesk.stats.services import day_counts_refresh

pytestmark = pytest.mark.django_db
UTC = ZoneInfo("UTC")
BXL = ZoneInfo("Europe/Brussels")

# Instants (UTC) around the edges that trip aggregation up.
EDGES = [
    datetime(2025, 12, 31, 22, 59, 59, tzinfo=UTC),  # 23:59:59 on New Year's Eve, Brussels
    datetime(2025, 12, 31, 23, 0, 0, tzinfo=UTC),  # midnight: 2026 in Brussels, 2025 in UTC
    datetime(2026, 1, 31, 22, 59, 59, tzinfo=UTC),
    datetime(2026, 1, 31, 23, 0, 0, tzinfo=UTC),
    datetime(2026, 2, 28, 23, 0, 0, tzinfo=UTC),  # 1 March 00:00
    datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC),  # 01:59:59 CET, the last second before DST
    datetime(2026, 3, 29, 1, 0, 0, tzinfo=UTC),  # 03:00 CEST
    datetime(2026, 3, 31, 21, 59, 59, tzinfo=UTC),  # 23:59:59 on 31 March (CEST)
    datetime(2026, 3, 31, 22, 0, 0, tzinfo=UTC),  # 1 April 00:00
    datetime(2026, 6, 30, 22, 0, 0, tzinfo=UTC),
    datetime(2026, 10, 25, 0, 30, 0, tzinfo=UTC),  # 02:30 CEST
    datetime(2026, 10, 25, 1, 30, 0, tzinfo=UTC),  # 02:30 CET, the same wall clock an hour later
    datetime(2026, 10, 31, 22, 59, 59, tzinfo=UTC),  # 23:59:59 on 31 October (CET)
    datetime(2026, 10, 31, 23, 0, 0, tzinfo=UTC),
    datetime(2026, 12, 31, 22, 59, 59, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 0, 0, tzinfo=UTC),  # 2027 in Brussels: outside the year
]


def percentile_cont(values, fraction):
    """PostgreSQL's percentile_cont, written out plainly."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    if low == high:
        return float(ordered[low])
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


def hours(seconds):
    return None if seconds is None else round(seconds / 3600, 2)


@pytest.fixture
def generated(infolijn, legal_queue, ines, lars):
    rng = random.Random(8)
    topics = list(Topic.objects.all())
    outcomes = [o for o in Outcome.objects.all() if not o.needs_referral]
    requesters = [*RequesterType.objects.all(), None]
    languages = [*Language.objects.all()[:6], None]
    moments = [*EDGES]
    for _ in range(30):
        edge = rng.choice(EDGES)
        moments.append(edge + timedelta(seconds=rng.choice([-1, 1]) * rng.randrange(1, 3 * 3600)))
    tickets = []
    for moment in moments:
        queue = rng.choice([infolijn, infolijn, legal_queue])
        author = ines if queue == infolijn else lars
        with clock.travel_to(moment):
            ticket = ticket_create(
                queue=queue,
                channel=rng.choice(Channel.values),
                body="Question",
                topics=rng.sample(topics, rng.choice([0, 1, 1, 2])),
                requester_type=rng.choice(requesters),
                language=rng.choice(languages),
            )
        later = moment + timedelta(seconds=rng.randrange(30, 5 * 86400))
        if rng.random() < 0.8:
            with clock.travel_to(later):
                ticket_reply(ticket=ticket, author=author, body="Answer")
            if rng.random() < 0.7:
                later += timedelta(seconds=rng.randrange(1, 3 * 86400))
                with clock.travel_to(later):
                    ticket_close(ticket=ticket, actor=author, outcome=rng.choice(outcomes))
                if rng.random() < 0.3:
                    later += timedelta(hours=rng.randrange(1, 72))
                    with clock.travel_to(later):
                        message_receive(ticket=ticket, channel=ticket.channel, body="Again")
                    later += timedelta(hours=rng.randrange(1, 72))
                    with clock.travel_to(later):
                        ticket_close(ticket=ticket, actor=author, outcome=rng.choice(outcomes))
        tickets.append(ticket)
    # A few duplicates merged into another ticket of the same queue.
    for _ in range(4):
        source, target = rng.sample(tickets, 2)
        if source.queue_id == target.queue_id and not source.merged_into_id:
            source.refresh_from_db()
            target.refresh_from_db()
            if not source.merged_into_id and not target.merged_into_id:
                merger = ines if source.queue_id == infolijn.pk else lars
                ticket_merge(source=source, target=target, actor=merger)
    return tickets


def local_month(at: datetime) -> str:
    return f"{at.astimezone(BXL):%Y-%m}"


def check_agreement(period, queue):
    scope = Scope(period, queue)
    rows = list(ticket_rows(scope))
    figures = ticket_figures(scope)

    assert figures.total == len(rows)
    for row in rows:  # each exported ticket lies within the period in local time
        assert period.start <= row["created_at"].astimezone(BXL).date() <= period.end
        assert row["created_month"] == local_month(row["created_at"])
    expected_months = dict.fromkeys(scope.month_keys(), 0) | Counter(
        r["created_month"] for r in rows
    )
    assert figures.by_month == expected_months
    assert figures.codes(figures.channels) == Counter(r["channel"] for r in rows)
    assert figures.codes(figures.queues) == Counter(r["queue"] for r in rows)
    assert figures.codes(figures.languages) == Counter(r["language"] for r in rows)
    assert figures.codes(figures.requester_types) == Counter(r["requester_type"] for r in rows)
    assert figures.codes(figures.outcomes) == Counter(r["outcome"] for r in rows)
    assert figures.codes(figures.topics) == Counter(
        code for r in rows for code in r["topics"].split()
    )
    assert figures.questions == sum(r["is_question"] for r in rows)
    assert figures.answered == sum(
        1 for r in rows if r["is_question"] and r["first_response_at"] is not None
    )
    assert figures.hour_of_week == Counter(
        r["created_at"].astimezone(BXL).weekday() * 24 + r["created_at"].astimezone(BXL).hour
        for r in rows
    )
    for name, durations in (
        ("first_response", figures.first_response.as_dict()),
        ("resolution", figures.resolution.as_dict()),
    ):
        calendar = [r[f"{name}_seconds"] for r in rows if r[f"{name}_seconds"] is not None]
        opening = [r[f"{name}_open_seconds"] for r in rows if r[f"{name}_open_seconds"] is not None]
        assert durations["count"] == len(calendar)
        assert durations["median_hours"] == hours(percentile_cont(calendar, 0.5))
        assert durations["p90_hours"] == hours(percentile_cont(calendar, 0.9))
        assert durations["median_opening_hours"] == hours(percentile_cont(opening, 0.5))
        assert durations["p90_opening_hours"] == hours(percentile_cont(opening, 0.9))


PERIODS = [
    Period.year(2026),
    Period(date(2026, 3, 1), date(2026, 3, 31)),  # the month of the spring DST change
    Period(date(2026, 3, 29), date(2026, 10, 25)),  # from one DST change to the other
    Period(date(2025, 12, 31), date(2026, 1, 1)),  # two days around New Year
]


def test_the_ticket_export_and_the_aggregated_figures_agree(generated, legal_queue, ines, lars):
    assert FRACTIONS == (0.5, 0.9)

    def every_period_and_queue():
        for period in PERIODS:
            for queue in (None, legal_queue):
                check_agreement(period, queue)

    # One generated data set, every period and queue (generating it takes most of the time),
    # counted three ways: from the tickets (nothing rolled up yet), from the daily rollup, and
    # from both (days changed after the rollup was written come from the tickets).
    every_period_and_queue()
    day_counts_refresh()
    assert changed_days(Period.year(2026)) == set()
    every_period_and_queue()

    rng = random.Random(11)
    for ticket in rng.sample(generated, 6):
        ticket.refresh_from_db()
        if ticket.merged_into_id:
            continue
        author = ines if ticket.queue.slug == "infolijn" else lars
        with clock.travel_to(max(ticket.updated_at, ticket.created_at) + timedelta(hours=5)):
            if ticket.first_response_at is None:
                ticket_reply(ticket=ticket, author=author, body="Late answer")
            else:
                message_receive(ticket=ticket, channel=ticket.channel, body="Once more")
    changed = changed_days(Period.year(2026))
    assert changed != ALL
    assert 0 < len(changed) < 12
    every_period_and_queue()


def test_the_generated_data_really_crosses_the_edges(generated):
    rows = list(ticket_rows(Scope(Period.year(2026))))
    months = {r["created_month"] for r in rows}
    assert {"2026-01", "2026-03", "2026-04", "2026-10", "2026-11"} <= months
    assert any(r["reopen_count"] for r in rows)
    assert any(r["resolution_seconds"] for r in rows)
