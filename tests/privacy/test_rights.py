"""A person's rights: access (one ZIP with everything), rectification and erasure, each recorded."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from helpdesk.models import Channel, Contact, Ticket
from helpdesk.privacy import registry
from helpdesk.privacy.models import AuditAction, AuditEntry, PrivacyRequest, RequestKind
from helpdesk.privacy.registry import ExportFile, ExportPart
from helpdesk.services.attachments import IncomingFile
from helpdesk.services.contacts import contact_find_or_create
from helpdesk.services.tickets import (
    message_receive,
    ticket_add_note,
    ticket_create,
    ticket_reply,
)

from .scan import found

pytestmark = pytest.mark.django_db


def url(name, contact):
    return reverse(f"privacy:{name}", args=[contact.pk])


@pytest.fixture
def worker(db):
    return contact_find_or_create(name="Wout Worker", email="wout@caw.example.org")


@pytest.fixture
def amina_case(ines, ticket, worker):
    """Amina's question with an attachment, an answer, a note, and a social worker writing on it;
    and the social worker's own question, on which Amina is not."""
    message_receive(
        ticket=ticket,
        channel=Channel.EMAIL,
        body="Here is my residence card",
        sender=ticket.contact,
        attachments=[IncomingFile("card.pdf", b"%PDF card of amina")],
    )
    message_receive(
        ticket=ticket, channel=Channel.EMAIL, body="Worker adds: she has a child", sender=worker
    )
    ticket_reply(ticket=ticket, author=ines, body="Go to the Petit-Chateau at 9.")
    ticket_add_note(ticket=ticket, author=ines, body="Internal: checked with Fedasil")
    own = ticket_create(
        queue=ticket.queue, channel=Channel.EMAIL, body="Worker's own question", contact=worker
    )
    return ticket, own


def export(client, contact, **data):
    data.setdefault("reason", "Email of 3 March, identity checked by phone")
    data.setdefault("include_notes", "on")
    response = client.post(url("contact_export", contact), data)
    assert response.status_code == 200, response.content[:500]
    return response, zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_an_export_holds_everything_about_the_person_in_one_file(client, adam, amina_case):
    ticket, _own = amina_case
    amina = ticket.contact
    client.force_login(adam)
    response, archive = export(client, amina, language="en")

    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "amina" not in response["Content-Disposition"].lower()
    assert "no-store" in response["Cache-Control"]
    names = set(archive.namelist())
    assert {"data.json", "index.html"} <= names
    data = json.loads(archive.read("data.json"))
    assert data["person"]["email"] == "amina@example.org"
    (question,) = data["tickets"]
    texts = [m["text"] for m in question["messages"]]
    assert "They told me there is no place for me. Where can I sleep tonight?" in texts
    assert "Go to the Petit-Chateau at 9." in texts
    assert "Internal: checked with Fedasil" in texts
    card = next(a for m in question["messages"] for a in m["attachments"])
    assert archive.read(card["file"]) == b"%PDF card of amina"
    assert {m["from"] for m in question["messages"]} == {"you", "someone-else", "organisation"}
    assert "ines" not in archive.read("data.json").decode().lower()  # staff are "the organisation"
    page = archive.read("index.html").decode()
    assert "Your data at" in page
    assert "Go to the Petit-Chateau at 9." in page

    record = PrivacyRequest.objects.get()
    assert (record.kind, record.handled_by, record.contact_id) == (
        RequestKind.ACCESS,
        adam,
        amina.pk,
    )
    assert record.tickets == [ticket.reference]
    assert record.summary["files"] == 1
    entry = AuditEntry.objects.get(action=AuditAction.CONTACT_EXPORT)
    assert entry.target_label == f"#{amina.pk}"


def test_internal_notes_can_be_left_out_and_the_language_follows_the_person(
    client, adam, amina_case
):
    ticket, _own = amina_case
    client.force_login(adam)
    _response, archive = export(client, ticket.contact, include_notes="")
    data = json.loads(archive.read("data.json"))
    assert data["language"] == "ar"  # Amina's preferred language
    texts = [m["text"] for t in data["tickets"] for m in t["messages"]]
    assert "Internal: checked with Fedasil" not in texts
    assert 'dir="rtl"' in archive.read("index.html").decode()


def test_on_someone_elses_question_only_their_own_words_are_exported(client, adam, amina_case):
    ticket, own = amina_case
    worker = own.contact
    client.force_login(adam)
    _response, archive = export(client, worker)
    data = json.loads(archive.read("data.json"))
    roles = {t["reference"]: t for t in data["tickets"]}
    assert roles[own.reference]["role"] == "requester"
    theirs = roles[ticket.reference]
    assert theirs["role"] == "participant"
    assert [m["text"] for m in theirs["messages"]] == ["Worker adds: she has a child"]
    assert "residence card" not in archive.read("data.json").decode()


def test_what_the_channels_hold_is_exported_through_the_registry(client, adam, amina_case):
    ticket, _own = amina_case
    registry.register_exporter(
        "test.calls",
        contact=lambda contact: ExportPart(
            data=[{"number": contact.phone or "hidden", "duration": 42}],
            files=[ExportFile("voicemail.mp3", lambda: io.BytesIO(b"ID3 voice"))],
        ),
    )
    try:
        client.force_login(adam)
        _response, archive = export(client, ticket.contact)
    finally:
        registry.unregister("test.calls")
    data = json.loads(archive.read("data.json"))
    assert data["channels"]["test.calls"][0]["data"] == [{"number": "hidden", "duration": 42}]
    assert archive.read("channels/test.calls/voicemail.mp3") == b"ID3 voice"


def test_erasure_removes_the_person_everywhere_and_keeps_the_figures(
    client, adam, amina_case, django_capture_on_commit_callbacks
):
    ticket, own = amina_case
    amina, worker = ticket.contact, own.contact
    erased_with = []
    registry.register_eraser("test.raw", contact=lambda contact: erased_with.append(contact.pk))
    client.force_login(adam)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url("contact_erase", amina),
                {"reason": "Asked by phone on 4 March", "confirm": "on"},
            )
    finally:
        registry.unregister("test.raw")
    assert response.status_code == 302
    secrets = [
        "amina@example.org",
        "Amina",
        "residence card",
        "card of amina",
        "card.pdf",
        "no place for me",
        "No place in reception",
        "she has a child",  # the worker's words about her, on her question
        "Petit-Chateau",
        "Internal: checked",
    ]
    assert found(secrets) == []
    assert erased_with == [amina.pk]
    ticket.refresh_from_db()
    assert ticket.pseudonymised_at is not None
    assert ticket.topics.exists()  # the figures stay
    worker.refresh_from_db()
    assert worker.name == "Wout Worker"  # someone else: their own question is untouched
    assert Ticket.objects.get(pk=own.pk).pseudonymised_at is None
    record = PrivacyRequest.objects.get(kind=RequestKind.ERASURE)
    assert record.reason == "Asked by phone on 4 March"
    assert record.tickets == [ticket.reference]
    assert AuditEntry.objects.filter(
        action=AuditAction.CONTACT_ERASE, actor=adam, target_id=str(amina.pk)
    ).exists()


def test_erasing_a_participant_removes_their_words_from_other_peoples_questions(
    client, adam, amina_case
):
    ticket, own = amina_case
    worker = own.contact
    client.force_login(adam)
    client.post(url("contact_erase", worker), {"reason": "Letter of 5 March", "confirm": "on"})
    assert found(["she has a child", "Wout Worker", "wout@caw", "Worker's own question"]) == []
    ticket.refresh_from_db()
    assert ticket.pseudonymised_at is None  # Amina's question stays hers
    assert not ticket.participants.filter(pk=worker.pk).exists()
    assert ticket.messages.filter(body__contains="no place").exists()


def test_erasure_needs_a_reason_and_a_confirmation(client, adam, amina_case):
    ticket, _own = amina_case
    client.force_login(adam)
    response = client.post(url("contact_erase", ticket.contact), {"reason": "", "confirm": ""})
    assert response.status_code == 400
    assert Contact.objects.get(pk=ticket.contact_id).email == "amina@example.org"
    assert not PrivacyRequest.objects.exists()


def test_rectification_corrects_and_records_which_fields(client, adam, amina, worker):
    client.force_login(adam)
    data = {
        "name": "Amina B.",
        "email": "AMINA.B@example.org",
        "phone": "",
        "organisation": "",
        "reason": "She asked by phone",
    }
    assert client.post(url("contact_rectify", amina), data).status_code == 302
    amina.refresh_from_db()
    assert (amina.name, amina.email) == ("Amina B.", "amina.b@example.org")
    record = PrivacyRequest.objects.get()
    assert record.summary == {"fields": ["name", "email"]}
    response = client.post(url("contact_rectify", amina), {**data, "email": "wout@caw.example.org"})
    assert response.status_code == 400
    assert "Another person" in response.content.decode() or response.context["rectify_form"].errors


def test_finding_a_person_is_recorded_without_what_was_searched(client, adam, amina):
    client.force_login(adam)
    response = client.get(reverse("privacy:contacts"), {"q": "amina@example"})
    assert [c.pk for c in response.context["results"]] == [amina.pk]
    assert client.get(reverse("privacy:contacts"), {"q": f"#{amina.pk}"}).context["results"]
    searches = AuditEntry.objects.filter(action=AuditAction.CONTACT_SEARCH)
    assert [entry.details for entry in searches] == [{"found": 1}, {"found": 1}]
    assert "amina" not in str(list(searches.values_list()))
    client.get(url("contact", amina))
    assert AuditEntry.objects.filter(action=AuditAction.CONTACT_VIEW).count() == 1


@pytest.mark.parametrize("persona", ["ines", "lars", "otto", "vera", "cora"])
def test_only_administrators_handle_rights_requests(client, request, persona, amina_case):
    ticket, _own = amina_case
    amina = ticket.contact
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("privacy:home")).status_code == 403
    assert client.get(reverse("privacy:contacts"), {"q": "amina"}).status_code == 403
    assert client.get(url("contact", amina)).status_code == 403
    data = {"reason": "x", "confirm": "on", "include_notes": "on", "name": "X"}
    for name in ("contact_export", "contact_erase", "contact_rectify"):
        assert client.post(url(name, amina), data).status_code == 403
    amina.refresh_from_db()
    assert amina.name == "Amina"
    assert not PrivacyRequest.objects.exists()


def test_staff_reach_the_persons_page_from_the_ticket_only_with_the_right(
    client, adam, ines, ticket
):
    link = url("contact", ticket.contact)
    client.force_login(ines)
    assert (
        link not in client.get(reverse("helpdesk:ticket", args=[ticket.reference])).content.decode()
    )
    client.force_login(adam)
    assert link in client.get(reverse("helpdesk:ticket", args=[ticket.reference])).content.decode()


def test_the_privacy_overview_shows_what_retention_will_do(client, adam):
    client.force_login(adam)
    response = client.get(reverse("privacy:home"))
    assert response.status_code == 200
    assert response.context["due"] == 0
