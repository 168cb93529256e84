"""Cursor pagination: every ticket once, in order, while new tickets arrive and old ones change."""

from datetime import timedelta

import pytest
from django.utils import timezone

from helpdesk.models import Channel
from helpdesk.services.tickets import ticket_create
from tests.factories import TicketFactory

from .conftest import error_of

pytestmark = pytest.mark.django_db
TICKETS = "/api/v1/tickets/"


@pytest.fixture
def thirty(infolijn):
    start = timezone.now() - timedelta(days=1)
    return [
        TicketFactory(
            created_at=start + timedelta(minutes=i), updated_at=start + timedelta(minutes=i)
        )
        for i in range(30)
    ]


def walk(client, params):
    seen, url, pages = [], TICKETS, 0
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        seen += [row["reference"] for row in body["results"]]
        pages += 1
        yield body
        if not body["next_cursor"]:
            break
        response = client.get(TICKETS, {**params, "cursor": body["next_cursor"]})
    walk.seen, walk.pages = seen, pages


@pytest.mark.parametrize(
    "sort", ["-updated", "updated", "-created", "created", "-priority", "reference"]
)
def test_walking_the_pages_returns_every_ticket_once_in_order(api_as, thirty, sort):
    client = api_as("ines")
    for _page in walk(client, {"sort": sort, "page_size": 7}):
        pass
    assert walk.pages == 5
    assert sorted(walk.seen) == sorted(t.reference for t in thirty)
    assert len(set(walk.seen)) == 30
    whole = [
        r["reference"]
        for r in client.get(TICKETS, {"sort": sort, "page_size": 100}).json()["results"]
    ]
    assert walk.seen == whole


def test_new_tickets_arriving_while_paging_shift_nothing(api_as, thirty, infolijn):
    client = api_as("ines")
    expected = [
        t.reference for t in sorted(thirty, key=lambda t: (t.created_at, t.pk), reverse=True)
    ]
    for page_number, _page in enumerate(walk(client, {"sort": "-created", "page_size": 10})):
        # New questions come in at the top of the list while the client reads page after page.
        ticket_create(queue=infolijn, channel=Channel.PHONE, body=f"new {page_number}")
    assert walk.seen == expected


def test_the_next_link_carries_the_filters(api_as, thirty):
    body = (
        api_as("ines").get(TICKETS, {"sort": "created", "page_size": 5, "channel": "email"}).json()
    )
    assert "channel=email" in body["next"]
    assert "cursor=" in body["next"]


@pytest.mark.parametrize(
    "cursor", ["nonsense", "W10", "WyJ4IiwxXQ", "!!!", "WyJ4IiwieSIsInoiXQ", "W251bGwsbnVsbF0"]
)
@pytest.mark.parametrize("sort", ["-priority", "reference", "created"])
def test_a_broken_cursor_is_a_clear_400(api_as, thirty, cursor, sort):
    response = api_as("ines").get(TICKETS, {"cursor": cursor, "sort": sort})
    assert response.status_code == 400
    assert "cursor" in error_of(response)["fields"]


@pytest.mark.parametrize("size", ["0", "201", "ten"])
def test_a_page_size_out_of_range_is_refused(api_as, size):
    response = api_as("ines").get(TICKETS, {"page_size": size})
    assert response.status_code == 400
    assert "page_size" in error_of(response)["fields"]


def test_a_page_costs_a_fixed_number_of_queries(api_as, thirty, django_assert_max_num_queries):
    client = api_as("ines")
    client.get(TICKETS)  # the token's "last used" is written once
    with django_assert_max_num_queries(8):
        response = client.get(TICKETS, {"page_size": 30})
    assert len(response.json()["results"]) == 30
