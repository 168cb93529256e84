"""Contacts, queues and the coded lists: for the people the pages show them to."""

import pytest

from helpdesk.models import Channel
from helpdesk.services.contacts import contact_find_or_create
from helpdesk.services.tickets import ticket_create

from .conftest import error_of

pytestmark = pytest.mark.django_db
LISTS = ["topics", "requester-types", "outcomes", "referrals", "languages"]


@pytest.fixture
def legal_contact(legal_queue):
    contact = contact_find_or_create(name="Karim Legal", email="karim@example.org")
    ticket_create(queue=legal_queue, channel=Channel.EMAIL, body="Appeal", contact=contact)
    return contact


def test_staff_see_the_contacts_of_their_queues_only(api_as, ticket, amina, legal_contact):
    rows = api_as("ines").get("/api/v1/contacts/").json()["results"]
    assert [r["id"] for r in rows] == [amina.pk]
    assert rows[0]["email"] == "amina@example.org"
    assert api_as("ines").get(f"/api/v1/contacts/{legal_contact.pk}/").status_code == 404
    assert api_as("lars").get(f"/api/v1/contacts/{legal_contact.pk}/").status_code == 200


def test_searching_contacts_is_audited_without_what_was_searched(api_as, ticket, amina):
    from helpdesk.privacy.models import AuditEntry

    rows = api_as("ines").get("/api/v1/contacts/", {"q": "amin"}).json()["results"]
    assert [r["id"] for r in rows] == [amina.pk]
    entry = AuditEntry.objects.get(action="contact.search")
    assert "amin" not in str(entry.details)


@pytest.mark.parametrize(
    ("persona", "status"), [("otto", 404), ("vera", 403), ("cora", 403), ("anonymous", 401)]
)
def test_a_contact_stays_hidden_from_everyone_outside_the_queue(
    api_as, ticket, amina, persona, status
):
    response = api_as(persona).get(f"/api/v1/contacts/{amina.pk}/")
    assert response.status_code == status
    assert "amina" not in response.content.decode().lower()
    listing = api_as(persona).get("/api/v1/contacts/")
    assert "amina" not in listing.content.decode().lower()


@pytest.mark.parametrize(
    ("persona", "queues"),
    [
        ("ines", ["infolijn"]),
        ("otto", ["education"]),
        ("cora", ["infolijn", "legal-helpdesk", "education"]),
        ("adam", ["infolijn", "legal-helpdesk", "education"]),
    ],
)
def test_queues_are_those_you_work_in_or_manage(api_as, persona, queues):
    response = api_as(persona).get("/api/v1/queues/")
    assert response.status_code == 200
    assert sorted(q["slug"] for q in response.json()) == sorted(queues)


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize(
    ("persona", "status"),
    [("ines", 200), ("cora", 200), ("adam", 200), ("vera", 403), ("anonymous", 401)],
)
def test_the_coded_lists_are_for_staff_and_coordinators(api_as, name, persona, status):
    response = api_as(persona).get(f"/api/v1/{name}/")
    assert response.status_code == status
    if status == 200:
        assert all({"code", "name", "is_active"} <= set(row) for row in response.json())
    else:
        assert error_of(response)["code"] in {"permission_denied", "not_authenticated"}


def test_the_lists_keep_retired_entries_unless_asked_for_active_ones(api_as, topic):
    topic.retire()
    client = api_as("ines")
    every = [t["code"] for t in client.get("/api/v1/topics/").json()]
    active = [t["code"] for t in client.get("/api/v1/topics/", {"active": "true"}).json()]
    retired = [t["code"] for t in client.get("/api/v1/topics/", {"active": "false"}).json()]
    assert topic.code in every
    assert topic.code not in active
    assert retired == [topic.code]
    assert error_of(client.get("/api/v1/topics/", {"active": "maybe"}))["fields"]["active"]
