"""The requester's private page, /t/<token>/."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from helpdesk.channels.webform.models import BlockedSubmission, BlockReason
from helpdesk.models import Attachment, Channel, Direction, EventKind, Outcome, Status
from helpdesk.services.attachments import IncomingFile
from helpdesk.services.tickets import (
    message_receive,
    ticket_add_note,
    ticket_change_status,
    ticket_close,
    ticket_create,
    ticket_merge,
    ticket_reply,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_reader(client):
    """Amina's page speaks Arabic; these tests read the English texts, as a reader who chose
    English with the language links does."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page(ticket, name="ticket", *args):
    return reverse(f"webform_private:{name}", args=[ticket.access_token, *args])


def test_it_shows_the_public_conversation_and_never_internal_notes(client, ticket, ines):
    ticket_add_note(ticket=ticket, author=ines, body="Internal: check with Fedasil dispatching")
    ticket_reply(ticket=ticket, author=ines, body="Go to the Petit-Château at 9:00.")
    body = client.get(page(ticket)).content.decode()
    assert "no place for me" in body
    assert "Go to the Petit-Château at 9:00." in body
    assert "Internal: check with Fedasil" not in body
    assert "Assigned to" not in body
    assert "Status:" not in body
    assert ticket.reference in body


def test_it_shows_nothing_of_the_contact_record(client, ticket):
    # Whoever holds the link sees what was written on this ticket, not who the contact is.
    body = client.get(page(ticket)).content.decode()
    assert ticket.contact.email not in body
    assert "Amina" not in body


@pytest.mark.parametrize("token", ["not-the-token", "x" * 43, "A" * 70, "%00", "x'%20OR%20'1'='1"])
def test_a_wrong_token_shows_nothing(client, ticket, token):
    response = client.get(f"/t/{token}/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "This link does not work" in body
    assert ticket.reference not in body
    assert "no place for me" not in body


def test_a_revoked_link_stops_working_and_the_new_one_works(client, ticket, ines):
    old = page(ticket)
    client.force_login(ines)
    response = client.post(reverse("helpdesk:ticket_reset_link", args=[ticket.reference]))
    assert response.status_code == 302
    client.logout()
    ticket.refresh_from_db()
    assert client.get(old).status_code == 404
    assert client.get(page(ticket)).status_code == 200
    assert ticket.events.filter(kind=EventKind.TOKEN_REVOKED, actor=ines).exists()


def test_only_staff_of_the_queue_can_revoke_the_link(client, ticket, otto, vera):
    token = ticket.access_token
    url = reverse("helpdesk:ticket_reset_link", args=[ticket.reference])
    for person in (otto, vera):
        client.force_login(person)
        assert client.post(url).status_code in (403, 404)
    client.logout()
    assert client.post(url).status_code == 302  # to the login page
    ticket.refresh_from_db()
    assert ticket.access_token == token


def test_the_staff_ticket_page_offers_the_revoke_button(client, ticket, ines):
    client.force_login(ines)
    body = client.get(reverse("helpdesk:ticket", args=[ticket.reference])).content.decode()
    assert reverse("helpdesk:ticket_reset_link", args=[ticket.reference]) in body


def test_the_link_stops_working_once_personal_data_is_removed(client, ticket):
    url = page(ticket)
    # What the retention rules do to a ticket (the privacy app clears the token).
    ticket.access_token = None
    ticket.pseudonymised_at = timezone.now()
    ticket.save(update_fields=["access_token", "pseudonymised_at"])
    assert client.get(url).status_code == 404


def test_a_pseudonymised_ticket_is_not_shown_even_if_a_token_remained(client, ticket):
    ticket.pseudonymised_at = timezone.now()
    ticket.save(update_fields=["pseudonymised_at"])
    assert client.get(page(ticket)).status_code == 404


def test_the_page_is_never_cached_indexed_or_leaked_as_a_referrer(client, ticket):
    response = client.get(page(ticket))
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    body = response.content.decode()
    assert '<meta name="referrer" content="no-referrer">' in body
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_the_requester_replies_and_an_answered_ticket_comes_back(english_reader, ticket, ines):
    client = english_reader
    ticket_reply(ticket=ticket, author=ines, body="Go to the Petit-Château.")
    ticket.refresh_from_db()
    assert ticket.status == Status.ANSWERED
    response = client.post(page(ticket, "reply"), {"body": "They sent me away again."})
    assert response.status_code == 302
    assert response["Location"] == page(ticket)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    message = ticket.messages.last()
    assert (message.direction, message.channel, message.body) == (
        Direction.INBOUND,
        Channel.WEBFORM,
        "They sent me away again.",
    )
    assert message.sender == ticket.contact
    assert "Your message was sent." in client.get(page(ticket)).content.decode()


def test_the_requester_adds_a_document_and_can_download_it_again(client, ticket):
    letter = SimpleUploadedFile("annex-26.pdf", b"%PDF annex", content_type="application/pdf")
    assert (
        client.post(page(ticket, "reply"), {"body": "", "attachments": [letter]}).status_code == 302
    )
    attachment = Attachment.objects.get()
    body = client.get(page(ticket)).content.decode()
    assert "annex-26.pdf" in body
    download = client.get(page(ticket, "attachment", attachment.pk))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download) == b"%PDF annex"


def test_a_document_of_another_ticket_cannot_be_fetched_with_this_link(client, ticket, infolijn):
    other = ticket_create(
        queue=infolijn,
        channel=Channel.EMAIL,
        body="Other question",
        attachments=[IncomingFile("other.pdf", b"%PDF other", "application/pdf")],
    )
    attachment = other.messages.get().attachments.get()
    assert client.get(page(ticket, "attachment", attachment.pk)).status_code == 404


def test_an_empty_reply_or_a_refused_file_is_explained(english_reader, ticket):
    client = english_reader
    response = client.post(page(ticket, "reply"), {"body": "  "})
    assert response.status_code == 400
    assert "Write a message or add a document." in response.content.decode()
    bad = SimpleUploadedFile("x.exe", b"MZ", content_type="application/pdf")
    response = client.post(page(ticket, "reply"), {"body": "see file", "attachments": [bad]})
    assert response.status_code == 400
    # The page speaks the ticket's language; the reason names the refused file in any language.
    assert "“x.exe”" in response.content.decode()
    assert ticket.messages.count() == 1


def test_saying_the_question_is_answered_marks_it_and_staff_still_close_with_an_outcome(
    client, ticket, ines
):
    response = client.post(page(ticket, "answered"))
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.ANSWERED
    assert ticket.answered_at is not None
    event = ticket.events.get(kind=EventKind.STATUS)
    assert event.actor is None
    assert event.data == {"old": "new", "new": "answered", "by": "requester"}
    # Staff see who said so.
    client.force_login(ines)
    staff_page = client.get(reverse("helpdesk:ticket", args=[ticket.reference])).content.decode()
    assert "The requester says the question is answered" in staff_page
    # Closing still needs an outcome, which only staff choose.
    with pytest.raises(ValidationError):
        ticket_change_status(ticket=ticket, actor=ines, status=Status.CLOSED)
    ticket_close(ticket=ticket, actor=ines, outcome=Outcome.objects.get(code="information-given"))
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED


def test_saying_it_is_answered_twice_or_after_closing_changes_nothing(client, ticket, ines):
    client.post(page(ticket, "answered"))
    client.post(page(ticket, "answered"))
    assert ticket.events.filter(kind=EventKind.STATUS).count() == 1
    ticket_close(ticket=ticket, actor=ines, outcome=Outcome.objects.get(code="information-given"))
    client.post(page(ticket, "answered"))
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    assert "My question is answered" not in client.get(page(ticket)).content.decode()


def test_the_page_speaks_the_language_chosen_on_the_form_unless_the_reader_picks_another(
    client, ticket, settings
):
    # Amina chose Arabic (conftest).
    response = client.get(page(ticket))
    assert response["Content-Language"] == "ar"
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="fr" dir="ltr">' in client.get(page(ticket)).content.decode()


def test_a_dari_speaker_reads_the_page_in_persian(client, infolijn):
    from helpdesk.models import Language

    dari = Language.objects.get(code="prs")
    ticket = ticket_create(queue=infolijn, channel=Channel.WEBFORM, body="سلام", language=dari)
    assert '<html lang="fa" dir="rtl">' in client.get(page(ticket)).content.decode()


def test_a_merged_ticket_shows_no_conversation_and_takes_no_reply(
    english_reader, ticket, ines, infolijn
):
    client = english_reader
    target = ticket_create(queue=infolijn, channel=Channel.EMAIL, body="Someone else's words")
    ticket_merge(source=ticket, target=target, actor=ines)
    ticket.refresh_from_db()
    body = client.get(page(ticket)).content.decode()
    assert "joined with another one" in body
    assert "Someone else&#x27;s words" not in body
    assert "no place for me" not in body
    assert client.post(page(ticket, "reply"), {"body": "hello"}).status_code == 404


def test_the_page_takes_the_same_number_of_queries_however_long_the_conversation(
    client, ticket, ines, django_assert_max_num_queries
):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(page(ticket)).status_code == 200
        return len(queries)

    short = count()
    for n in range(8):
        ticket_reply(ticket=ticket, author=ines, body=f"Answer {n}")
        message_receive(
            ticket=ticket,
            channel=Channel.WEBFORM,
            body=f"Reply {n}",
            attachments=[IncomingFile(f"f{n}.pdf", b"%PDF", "application/pdf")],
        )
    assert count() == short
    assert short <= 4


def test_wrong_tokens_from_one_address_lock_it_out_for_a_while(client, ticket, settings):
    settings.WEBFORM_PRIVATE_FAILURES_PER_ADDRESS_PER_HOUR = 3
    for n in range(3):
        assert client.get(f"/t/wrong-token-number-{n:02d}-{'x' * 20}/").status_code == 404
    response = client.get(page(ticket))  # even the right one, from this address
    assert response.status_code == 429
    assert "too many requests from your connection" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert ticket.reference not in response.content.decode()
    assert BlockedSubmission.objects.get(reason=BlockReason.PRIVATE_LIMIT).count == 1
    assert client.get(page(ticket), REMOTE_ADDR="192.0.2.9").status_code == 200


def test_the_page_is_rate_limited_per_address(client, ticket, settings):
    settings.WEBFORM_PRIVATE_REQUESTS_PER_ADDRESS_PER_10_MINUTES = 2
    assert client.get(page(ticket)).status_code == 200
    assert client.get(page(ticket)).status_code == 200
    assert client.get(page(ticket)).status_code == 429


def test_the_reader_switches_language_with_a_link_that_is_remembered(client, ticket, settings):
    response = client.get(page(ticket), {"lang": "fr"})
    assert '<html lang="fr" dir="ltr">' in response.content.decode()
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert '<html lang="fr" dir="ltr">' in client.get(page(ticket)).content.decode()
    assert 'href="?lang=ar"' in response.content.decode()


def test_the_forms_work_although_browsers_send_origin_null_without_a_referrer(ticket):
    # With "Referrer-Policy: no-referrer" a browser sends "Origin: null" with a POST; the secret
    # in the URL is what protects these forms (see private_views).
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(page(ticket, "reply"), {"body": "Still waiting"}, HTTP_ORIGIN="null")
    assert response.status_code == 302
    assert strict.post(page(ticket, "answered"), HTTP_ORIGIN="null").status_code == 302
    # Without the secret, the same request does nothing.
    assert strict.post("/t/not-the-token/reply/", {"body": "x"}).status_code == 404
    assert ticket.messages.count() == 2
