"""A ticket's messages, answers and internal notes through the API."""

import pytest

from helpdesk.models import DeliveryStatus, Direction, Status
from helpdesk.services.tickets import ticket_add_note

from .conftest import error_of

pytestmark = pytest.mark.django_db


def url(ticket, action="messages"):
    return f"/api/v1/tickets/{ticket.reference}/{action}/"


def test_staff_of_the_queue_read_the_conversation_with_internal_notes(api_as, ticket, ines):
    ticket_add_note(ticket=ticket, author=ines, body="Called Fedasil")
    response = api_as("ines").get(url(ticket))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["direction"] for r in rows] == ["in", "note"]
    assert rows[1]["author"]["username"] == "ines"


@pytest.mark.parametrize("persona", ["otto", "lars"])
def test_staff_of_another_queue_read_nothing(api_as, ticket, persona):
    response = api_as(persona).get(url(ticket))
    assert response.status_code == 404
    assert "sleep tonight" not in response.content.decode()


@pytest.mark.parametrize(("persona", "status"), [("vera", 403), ("cora", 403), ("anonymous", 401)])
def test_people_who_work_no_tickets_read_nothing(api_as, ticket, persona, status):
    response = api_as(persona).get(url(ticket))
    assert response.status_code == status
    assert "sleep tonight" not in response.content.decode()


def test_recording_an_answer_given_by_phone_answers_the_ticket(api_as, ticket, ines):
    response = api_as("ines").post(url(ticket, "reply"), {"body": "Go to the Petit-Château."})
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["direction"], data["status"]) == (Direction.OUTBOUND, DeliveryStatus.RECORDED)
    ticket.refresh_from_db()
    assert ticket.status == Status.ANSWERED
    assert ticket.first_response_at is not None
    assert ticket.assignee == ines


def test_an_answer_by_email_is_sent_through_the_channel(api_as, ticket):
    response = api_as("ines").post(
        url(ticket, "reply"),
        {"body": "See the attached list.", "channel": "email", "status": "waiting"},
    )
    assert response.status_code == 201, response.content
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING
    assert ticket.messages.get(direction="out").channel == "email"


def test_an_empty_answer_is_refused_with_the_page_message(api_as, ticket):
    response = api_as("ines").post(url(ticket, "reply"), {"body": "  "})
    assert response.status_code == 400
    assert error_of(response)["message"] == "The answer is empty."


def test_an_answer_by_a_channel_that_cannot_reach_the_requester_is_refused(api_as, ticket):
    response = api_as("ines").post(url(ticket, "reply"), {"body": "Hi", "channel": "sms"})
    assert response.status_code == 400
    assert "cannot be reached" in error_of(response)["message"]


def test_an_internal_note_is_added_and_never_public(api_as, ticket):
    response = api_as("ines").post(url(ticket, "notes"), {"body": "Check the Dublin date"})
    assert response.status_code == 201
    note = ticket.messages.get(direction=Direction.NOTE)
    assert note.body == "Check the Dublin date"
    assert not note.is_public


@pytest.mark.parametrize("persona", ["otto", "vera", "cora", "anonymous"])
def test_nobody_outside_the_queue_can_answer_or_note(api_as, ticket, persona):
    for action in ("reply", "notes"):
        response = api_as(persona).post(url(ticket, action), {"body": "intruder"})
        assert response.status_code in (401, 403, 404)
    assert not ticket.messages.filter(body="intruder").exists()
