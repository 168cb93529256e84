import pytest
from django.urls import reverse

from helpdesk.models import Channel

from .conftest import at

pytestmark = pytest.mark.django_db
SUMMARY = "/api/v1/stats/summary/"
KEYS = {
    "total",
    "by_month",
    "by_channel",
    "by_queue",
    "by_requester_type",
    "by_language",
    "by_topic",
    "by_outcome",
    "first_response",
    "resolution",
}


def test_the_url_is_the_one_other_tools_depend_on():
    assert reverse("stats_api:summary") == SUMMARY


def test_it_returns_the_figures_of_the_period_as_code_to_count(
    client, cora, make_ticket, legal_queue
):
    make_ticket(at(2026, 1, 5, 10), answered=at(2026, 1, 5, 12), closed=at(2026, 1, 6, 10))
    make_ticket(at(2026, 2, 5, 10), channel=Channel.PHONE, topics=["dublin"], queue=legal_queue)
    make_ticket(at(2025, 12, 31, 23, 59), language="fr")  # the day before the period
    client.force_login(cora)

    data = client.get(SUMMARY, {"from": "2026-01-01", "to": "2026-02-28"}).json()

    assert set(data) >= KEYS
    assert data["total"] == 2
    assert data["by_month"] == {"2026-01": 1, "2026-02": 1}
    assert data["by_channel"] == {"email": 1, "phone": 1}
    assert data["by_queue"] == {"infolijn": 1, "legal-helpdesk": 1}
    assert data["by_requester_type"] == {"social-worker": 2}
    assert data["by_language"] == {"ar": 2}
    assert data["by_topic"] == {"reception": 1, "dublin": 1}
    assert data["by_outcome"] == {"information-given": 1, "none": 1}
    assert data["first_response"]["median_hours"] == 2.0
    assert data["first_response"]["p90_hours"] == 2.0
    assert data["resolution"]["median_hours"] == 24.0
    assert data["sections"]["backlog"]["open"] == 2  # the 2025 ticket is open too


def test_it_filters_by_queue(client, adam, make_ticket, legal_queue):
    make_ticket(at(2026, 1, 5, 10))
    make_ticket(at(2026, 1, 5, 11), queue=legal_queue)
    client.force_login(adam)

    data = client.get(
        SUMMARY, {"from": "2026-01-01", "to": "2026-12-31", "queue": "legal-helpdesk"}
    ).json()

    assert data["total"] == 1
    assert data["by_queue"] == {"legal-helpdesk": 1}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"to": "2026-12-31"}, "from"),
        ({"from": "2026-13-01", "to": "2026-12-31"}, "from"),
        ({"from": "2026-02-01", "to": "2026-01-01"}, "to"),
        ({"from": "2026-01-01", "to": "2026-12-31", "queue": "nope"}, "queue"),
    ],
)
def test_bad_parameters_get_a_clear_400(client, cora, params, field):
    client.force_login(cora)
    response = client.get(SUMMARY, params)
    assert response.status_code == 400
    assert field in response.content.decode()


def test_only_coordinators_and_administrators_may_read_it(client, ines, vera, otto):
    assert client.get(SUMMARY, {"from": "2026-01-01", "to": "2026-12-31"}).status_code in (401, 403)
    for person in (ines, vera, otto):
        client.force_login(person)
        response = client.get(SUMMARY, {"from": "2026-01-01", "to": "2026-12-31"})
        assert response.status_code == 403
