"""Walk every URL pattern as people who must see no ticket data, and prove they see none.

New views are covered automatically: a pattern added anywhere is requested here, with GET and
POST, as an anonymous visitor, a volunteer and staff of another queue.
"""

import re

import pytest
from django.contrib.admindocs.views import extract_views_from_urlpatterns, simplify_regex
from django.urls import get_resolver

from helpdesk.models import Attachment, Channel, Message
from helpdesk.privacy.models import PrivacyRequest
from helpdesk.services.attachments import IncomingFile
from helpdesk.services.contacts import contact_find_or_create
from helpdesk.services.tickets import ticket_add_note, ticket_create

PLACEHOLDER = re.compile(r"<(?:\w+:)?(\w+)>")


@pytest.fixture
def secret_ticket(infolijn, ines):
    """An Infolijn ticket whose every detail is a string that must never leak."""
    contact = contact_find_or_create(
        name="Zarghuna Secretname", email="zarghuna.secret@example.org", phone="+32470999888"
    )
    ticket = ticket_create(
        queue=infolijn,
        channel=Channel.EMAIL,
        subject="Secret subject about detention",
        body="Secret body: my brother is detained",
        contact=contact,
        attachments=[IncomingFile("secret-letter.pdf", b"%PDF secret", "application/pdf")],
    )
    ticket_add_note(ticket=ticket, author=ines, body="Secret internal note")
    return ticket


def all_paths(values):
    for _view, regex, _namespace, _name in extract_views_from_urlpatterns(
        get_resolver().url_patterns
    ):
        path = simplify_regex(regex)
        yield PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), "1")), path)


def secrets_of(ticket):
    contact = ticket.contact
    return [
        ticket.reference,
        ticket.subject,
        "Secret body",
        "Secret internal note",
        "secret-letter.pdf",
        "%PDF secret",
        contact.name,
        contact.email,
        contact.phone,
        ticket.access_token,
    ]


@pytest.mark.parametrize("persona", ["anonymous", "vera", "otto", "cora"])
def test_no_url_shows_ticket_data_to_people_outside_the_queue(
    client, request, persona, secret_ticket
):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    attachment = Attachment.objects.get()
    values = {
        "reference": secret_ticket.reference,
        "pk": attachment.pk,
        "object_id": secret_ticket.pk,
        "id": secret_ticket.pk,
        "app_label": "helpdesk",
        "token": "not-the-token",
        "content_type_id": "1",
        "uidb64": "MQ",
        "contact_id": secret_ticket.contact_id,
        "fmt": "csv",  # statistics exports
    }
    messages_before = Message.objects.count()
    checked = 0
    for path in sorted(set(all_paths(values))):
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            assert response.status_code < 500, f"{method.upper()} {path} failed for {persona}"
            body = b"".join(response) if response.streaming else response.content
            text = body.decode(errors="replace")
            for secret in secrets_of(secret_ticket):
                assert secret not in text, f"{method.upper()} {path} shows {secret!r} to {persona}"
            checked += 1
    assert Message.objects.count() == messages_before
    secret_ticket.refresh_from_db()
    assert secret_ticket.contact.name == "Zarghuna Secretname"  # nothing was erased or changed
    assert not PrivacyRequest.objects.exists()
    assert checked > 40  # the walk really walked


def test_the_walk_sees_the_ticket_pages_it_guards(client, ines, secret_ticket):
    """The same walk as a member of the queue does show the ticket: the check above can fail."""
    client.force_login(ines)
    shown = [p for p in all_paths({"reference": secret_ticket.reference}) if "/desk/tickets/" in p]
    assert shown
    assert secret_ticket.subject in client.get(shown[0]).content.decode()


def test_the_walk_reaches_the_private_page_that_a_wrong_token_keeps_shut(client, secret_ticket):
    """The private page shows the ticket to the right token only: "not-the-token" above sees nothing."""
    private = [p for p in all_paths({"token": secret_ticket.access_token}) if p.startswith("/t/")]
    assert private
    assert "Secret body" in client.get(private[0]).content.decode()
    wrong = [p for p in all_paths({"token": "not-the-token"}) if p.startswith("/t/")]
    assert all(client.get(p).status_code in (404, 405) for p in wrong)


def test_the_walk_reaches_the_persons_page_as_an_administrator(client, adam, secret_ticket):
    """The privacy pages do show the person to an administrator: the walk above can fail there."""
    client.force_login(adam)
    shown = [
        p
        for p in all_paths({"contact_id": secret_ticket.contact_id})
        if p == f"/privacy/contacts/{secret_ticket.contact_id}/"
    ]
    assert shown
    assert "Zarghuna Secretname" in client.get(shown[0]).content.decode()
