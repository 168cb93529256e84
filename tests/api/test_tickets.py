"""Tickets through the API: the same people see and change the same tickets as on the pages."""

import pytest

from helpdesk.models import Channel, Status, Ticket
from helpdesk.services.tickets import ticket_create

from .conftest import error_of

pytestmark = pytest.mark.django_db
TICKETS = "/api/v1/tickets/"

# Who sees an Infolijn ticket: its staff and the administrator; nobody else learns it exists.
SEES_INFOLIJN = {"ines": True, "adam": True, "lars": False, "otto": False}
NO_TICKET_WORK = ["vera", "cora"]


def references(response):
    assert response.status_code == 200, response.content
    return [row["reference"] for row in response.json()["results"]]


@pytest.mark.parametrize(("persona", "sees"), SEES_INFOLIJN.items())
def test_the_list_shows_a_ticket_exactly_to_the_staff_of_its_queue(api_as, ticket, persona, sees):
    assert (ticket.reference in references(api_as(persona).get(TICKETS))) is sees


@pytest.mark.parametrize("persona", NO_TICKET_WORK)
def test_volunteers_and_coordinators_are_refused_tickets(api_as, ticket, persona):
    for response in (
        api_as(persona).get(TICKETS),
        api_as(persona).get(f"{TICKETS}{ticket.reference}/"),
        api_as(persona).post(TICKETS, {"queue": "infolijn", "channel": "phone", "body": "x"}),
    ):
        assert response.status_code == 403
        assert error_of(response)["code"] == "permission_denied"
        assert ticket.subject not in response.content.decode()


def test_anonymous_callers_get_a_401_that_names_the_bearer_scheme(api_as, ticket):
    response = api_as("anonymous").get(TICKETS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert error_of(response)["code"] == "not_authenticated"
    assert ticket.reference not in response.content.decode()


@pytest.mark.parametrize(("persona", "sees"), SEES_INFOLIJN.items())
def test_retrieving_a_ticket_outside_your_queues_is_a_404(api_as, ticket, persona, sees):
    response = api_as(persona).get(f"{TICKETS}{ticket.reference}/")
    if sees:
        assert response.status_code == 200
        data = response.json()
        assert data["reference"] == ticket.reference
        assert data["topics"] == ["reception"]
        assert data["queue"] == "infolijn"
    else:
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"
        assert ticket.subject not in response.content.decode()


def test_retrieving_a_ticket_is_audited_like_the_page(api_as, ticket, ines):
    from helpdesk.privacy.models import AuditEntry

    api_as("ines").get(f"{TICKETS}{ticket.reference}/")
    entry = AuditEntry.objects.get(action="ticket.view")
    assert (entry.actor_id, entry.target_label) == (ines.pk, ticket.reference)


def test_the_list_takes_the_inbox_filters_by_code(api_as, ticket, infolijn):
    phone = ticket_create(queue=infolijn, channel=Channel.PHONE, body="Dublin question")
    client = api_as("ines")
    assert references(client.get(TICKETS, {"channel": "phone"})) == [phone.reference]
    assert references(client.get(TICKETS, {"topic": "reception"})) == [ticket.reference]
    assert references(client.get(TICKETS, {"language": "ar"})) == [ticket.reference]
    assert references(client.get(TICKETS, {"q": "sleep tonight"})) == [ticket.reference]
    assert references(client.get(TICKETS, {"queue": "infolijn", "sort": "created"})) == [
        ticket.reference,
        phone.reference,
    ]
    assert references(client.get(TICKETS, {"status": "closed"})) == []


def test_a_filter_outside_your_queues_is_refused_with_the_field_named(api_as, ticket):
    response = api_as("ines").get(TICKETS, {"queue": "legal-helpdesk"})
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert "queue" in error["fields"]


def test_creating_a_ticket_goes_through_the_service_and_finds_the_contact(api_as, amina):
    response = api_as("ines").post(
        TICKETS,
        {
            "queue": "infolijn",
            "channel": "phone",
            "body": "Where do I register?",
            "contact": {"email": "AMINA@example.org"},
            "topics": ["reception"],
            "requester_type": "social-worker",
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    ticket = Ticket.objects.get(reference=data["reference"])
    assert ticket.contact == amina
    assert ticket.events.filter(kind="created").exists()
    assert ticket.messages.get().body == "Where do I register?"
    assert data["requester_type"] == "social-worker"


def test_creating_in_a_queue_you_do_not_belong_to_is_refused(api_as):
    response = api_as("otto").post(TICKETS, {"queue": "infolijn", "channel": "phone", "body": "x"})
    assert response.status_code == 400
    assert "not a member" in error_of(response)["message"]
    assert not Ticket.objects.exists()


def test_a_bad_phone_number_is_named_under_contact(api_as):
    response = api_as("ines").post(
        TICKETS,
        {"queue": "infolijn", "channel": "phone", "body": "x", "contact": {"phone": "12"}},
    )
    assert response.status_code == 400
    assert "contact" in error_of(response)["fields"]
    assert not Ticket.objects.exists()


def test_a_retired_topic_cannot_be_chosen_through_the_api_either(api_as, topic):
    topic.retire()
    response = api_as("ines").post(
        TICKETS, {"queue": "infolijn", "channel": "phone", "body": "x", "topics": [topic.code]}
    )
    assert response.status_code == 400
    assert "retired" in error_of(response)["message"]


def test_updating_status_assignee_topics_and_outcome_follows_the_page_rules(
    api_as, ticket, ines, youssef
):
    client = api_as("ines")
    url = f"{TICKETS}{ticket.reference}/"

    refused = client.patch(url, {"status": "closed"})
    assert refused.status_code == 400
    assert error_of(refused)["message"] == "Choose an outcome before closing the ticket."

    response = client.patch(
        url,
        {
            "assignee": youssef.pk,
            "topics": ["dublin"],
            "outcome": "information-given",
            "status": "closed",
        },
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["outcome"], data["topics"]) == (
        "closed",
        "information-given",
        ["dublin"],
    )
    assert data["assignee"]["id"] == youssef.pk
    ticket.refresh_from_db()
    assert ticket.closed_at is not None
    kinds = set(ticket.events.values_list("kind", flat=True))
    assert {"status", "assigned", "classified"} <= kinds


def test_a_refused_step_of_an_update_leaves_nothing_half_done(api_as, ticket, otto):
    response = api_as("ines").patch(
        f"{TICKETS}{ticket.reference}/", {"topics": ["dublin"], "assignee": otto.pk}
    )
    assert response.status_code == 400
    assert "does not work in the queue" in error_of(response)["message"]
    assert list(ticket.topics.values_list("code", flat=True)) == ["reception"]


def test_an_empty_update_is_refused(api_as, ticket):
    response = api_as("ines").patch(f"{TICKETS}{ticket.reference}/", {})
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid"


@pytest.mark.parametrize("persona", ["otto", "lars"])
def test_staff_of_another_queue_cannot_update_it(api_as, ticket, persona):
    response = api_as(persona).patch(f"{TICKETS}{ticket.reference}/", {"status": "open"})
    assert response.status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_merging_folds_the_duplicate_into_the_ticket(api_as, ticket, infolijn, amina):
    duplicate = ticket_create(
        queue=infolijn, channel=Channel.EMAIL, body="Same question again", contact=amina
    )
    response = api_as("ines").post(
        f"{TICKETS}{ticket.reference}/merge/", {"duplicate": duplicate.reference.lower()}
    )
    assert response.status_code == 200, response.content
    duplicate.refresh_from_db()
    assert duplicate.merged_into == ticket
    assert ticket.messages.count() == 2


def test_merging_a_ticket_from_another_queue_is_refused_without_saying_it_exists(
    api_as, ticket, legal_queue
):
    other = ticket_create(queue=legal_queue, channel=Channel.EMAIL, body="Legal")
    response = api_as("ines").post(
        f"{TICKETS}{ticket.reference}/merge/", {"duplicate": other.reference}
    )
    assert response.status_code == 400
    assert "No ticket" in error_of(response)["fields"]["duplicate"][0]
    other.refresh_from_db()
    assert other.merged_into is None


def test_a_session_in_the_browser_works_too_and_needs_the_csrf_token(ticket, ines):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(ines)
    assert client.get(TICKETS).status_code == 200
    response = client.patch(
        f"{TICKETS}{ticket.reference}/", '{"status": "open"}', content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in error_of(response)["message"]
