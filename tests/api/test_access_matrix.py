"""Every endpoint for every role: the Infolijn ticket's staff and the administrator work it;
staff of another queue learn nothing of it; volunteers and coordinators work no tickets;
anonymous callers must authenticate. Writes that are refused change nothing."""

import pytest

from helpdesk.models import Message, Ticket

pytestmark = pytest.mark.django_db

PERSONAS = ["adam", "ines", "otto", "lars", "cora", "vera", "anonymous"]
WORKERS_OF_THE_QUEUE = {"adam", "ines"}


def ticket_endpoints(ticket):
    ref = ticket.reference
    return [
        ("get", f"/api/v1/tickets/{ref}/", None, 200),
        ("patch", f"/api/v1/tickets/{ref}/", {"priority": 3}, 200),
        ("get", f"/api/v1/tickets/{ref}/messages/", None, 200),
        ("post", f"/api/v1/tickets/{ref}/reply/", {"body": "Answer"}, 201),
        ("post", f"/api/v1/tickets/{ref}/notes/", {"body": "Note"}, 201),
        ("post", f"/api/v1/tickets/{ref}/merge/", {"duplicate": ref}, 400),  # into itself
        ("get", f"/api/v1/contacts/{ticket.contact_id}/", None, 200),
    ]


def expected_for(persona, success):
    if persona == "anonymous":
        return 401
    if persona in {"cora", "vera"}:
        return 403
    if persona in WORKERS_OF_THE_QUEUE:
        return success
    return 404  # staff of another queue: it does not exist for them


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_endpoints_of_one_ticket(api_as, ticket, persona):
    client = api_as(persona)
    before = (Message.objects.count(), Ticket.objects.get(pk=ticket.pk).priority)
    for method, path, body, success in ticket_endpoints(ticket):
        response = getattr(client, method)(path, body)
        assert response.status_code == expected_for(persona, success), (method, path)
        if persona not in WORKERS_OF_THE_QUEUE:
            assert ticket.subject not in response.content.decode(), (method, path)
    if persona not in WORKERS_OF_THE_QUEUE:
        assert (Message.objects.count(), Ticket.objects.get(pk=ticket.pk).priority) == before


LIST_EXPECTED = {
    # path: {persona: status}; the lists of tickets and contacts are filtered, not refused.
    "/api/v1/tickets/": {"cora": 403, "vera": 403},
    "/api/v1/contacts/": {"cora": 403, "vera": 403},
    "/api/v1/queues/": {"vera": 403},
    "/api/v1/topics/": {"vera": 403},
    "/api/v1/requester-types/": {"vera": 403},
    "/api/v1/outcomes/": {"vera": 403},
    "/api/v1/referrals/": {"vera": 403},
    "/api/v1/languages/": {"vera": 403},
    "/api/v1/stats/summary/?from=2026-01-01&to=2026-12-31": {
        "ines": 403,
        "otto": 403,
        "lars": 403,
        "vera": 403,
    },
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_list_endpoints(api_as, ticket, persona):
    client = api_as(persona)
    for path, refusals in LIST_EXPECTED.items():
        expected = 401 if persona == "anonymous" else refusals.get(persona, 200)
        response = client.get(path)
        assert response.status_code == expected, path
        body = response.content.decode()
        if persona not in WORKERS_OF_THE_QUEUE:
            assert ticket.reference not in body, path
            assert "amina" not in body.lower(), path


@pytest.mark.parametrize("persona", PERSONAS)
def test_creating_a_ticket(api_as, persona):
    response = api_as(persona).post(
        "/api/v1/tickets/", {"queue": "infolijn", "channel": "phone", "body": "A question"}
    )
    expected = {"adam": 201, "ines": 201, "otto": 400, "lars": 400}.get(persona)
    expected = expected or (401 if persona == "anonymous" else 403)
    assert response.status_code == expected
    assert Ticket.objects.exists() is (expected == 201)
