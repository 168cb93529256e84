"""Spam defences: honeypot, fill time, signed page token, rate limits; all counted, none silent."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from helpdesk.channels.webform.defences import address_fingerprint
from helpdesk.channels.webform.models import BlockedSubmission, BlockReason
from helpdesk.channels.webform.tokens import read_form_token
from helpdesk.models import Ticket
from helpdesk.services.clock import travel_to

from .conftest import confirmed_ticket_id, served_token

pytestmark = pytest.mark.django_db

ASK = "/en/ask/"


@pytest.fixture(autouse=True)
def _in_english():
    # The form's texts below are the English ones: ask for /en/ pages (the site's default, Dutch,
    # is translated completely) and let reverse() name the English addresses too.
    translation.activate("en")


def blocked(reason):
    row = BlockedSubmission.objects.filter(reason=reason).first()
    return row.count if row else 0


def test_a_filled_honeypot_is_blocked_counted_and_explained(client, answers):
    response = client.post(ASK, answers(website_address="http://cheap-pills.example"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Your browser filled in a field that must stay empty" in body
    assert 'role="alert"' in body
    assert "cheap-pills" not in body  # cleared, so the next try goes through
    assert "A family of five arrived yesterday" in body  # what the person typed is kept
    assert Ticket.objects.count() == 0
    assert blocked(BlockReason.HONEYPOT) == 1


def test_a_form_sent_faster_than_a_person_types_is_blocked(client, answers):
    response = client.post(ASK, answers(form_token=served_token(timedelta(0)).encode()))
    assert response.status_code == 400
    assert "faster than a person can fill in this form" in response.content.decode()
    assert Ticket.objects.count() == 0
    assert blocked(BlockReason.TOO_FAST) == 1


def test_a_page_older_than_the_limit_is_served_again_with_everything_kept(
    client, answers, settings
):
    old = served_token(timedelta(hours=settings.WEBFORM_FORM_MAX_AGE_HOURS, minutes=1))
    response = client.post(ASK, answers(form_token=old.encode()))
    assert response.status_code == 400
    body = response.content.decode()
    assert "This page was open for a long time" in body
    assert "A family of five arrived yesterday" in body
    renewed = read_form_token(response.context["form_token"])
    assert renewed.form_id == old.form_id  # the same visit, so its suggestions still match
    assert blocked(BlockReason.EXPIRED) == 1
    # The renewed page goes through once a person could have read it again.
    with travel_to(timezone.now() + timedelta(minutes=1)):
        response = client.post(ASK, answers(form_token=response.context["form_token"]))
    assert response.status_code == 302


@pytest.mark.parametrize("token", [None, "", "forged:token", "eyJpZCI6IjEyMyJ9:bad"])
def test_a_missing_or_forged_page_token_is_blocked(client, answers, token):
    response = client.post(ASK, answers(form_token=token))
    assert response.status_code == 400
    assert "the page was incomplete" in response.content.decode()
    assert Ticket.objects.count() == 0
    assert blocked(BlockReason.BAD_TOKEN) == 1


def test_too_many_questions_from_one_address_are_refused_with_a_clear_message(
    client, answers, settings
):
    settings.WEBFORM_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 2
    for n in range(2):
        assert client.post(ASK, answers(email=f"p{n}@example.org")).status_code == 302
    response = client.post(ASK, answers(email="p3@example.org"))
    assert response.status_code == 429
    body = response.content.decode()
    assert "Many questions were sent from your connection in the last hour" in body
    assert "minutes" in body
    assert "p3@example.org" in body  # the question is still in the form
    assert Ticket.objects.count() == 2
    assert blocked(BlockReason.ADDRESS_LIMIT) == 1
    # Another address is not held up.
    other = client.post(ASK, answers(email="p4@example.org"), REMOTE_ADDR="192.0.2.44")
    assert other.status_code == 302


def test_too_many_questions_for_one_email_are_refused_from_any_address(client, answers, settings):
    settings.WEBFORM_SUBMISSIONS_PER_CONTACT_PER_HOUR = 1
    assert client.post(ASK, answers(), REMOTE_ADDR="192.0.2.1").status_code == 302
    response = client.post(ASK, answers(), REMOTE_ADDR="192.0.2.2")
    assert response.status_code == 429
    assert "You have sent us several questions in the last hour" in response.content.decode()
    assert blocked(BlockReason.CONTACT_LIMIT) == 1
    assert Ticket.objects.count() == 1


def test_too_many_questions_for_one_phone_number_count_whatever_its_notation(
    client, answers, settings
):
    settings.WEBFORM_SUBMISSIONS_PER_CONTACT_PER_HOUR = 1
    client.post(ASK, answers(email="", phone="0470 12 34 56"), REMOTE_ADDR="192.0.2.1")
    response = client.post(ASK, answers(email="", phone="+32470123456"), REMOTE_ADDR="192.0.2.2")
    assert response.status_code == 429


def test_a_forwarded_for_header_cannot_dodge_the_limit_unless_a_proxy_is_trusted(
    client, answers, settings
):
    settings.WEBFORM_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 1
    settings.WEBFORM_SUBMISSIONS_PER_CONTACT_PER_HOUR = 0
    client.post(ASK, answers(), HTTP_X_FORWARDED_FOR="198.51.100.1")
    response = client.post(ASK, answers(), HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert response.status_code == 429  # both counted for REMOTE_ADDR
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.post(ASK, answers(), HTTP_X_FORWARDED_FOR="spoofed, 198.51.100.3")
    assert response.status_code == 302  # the entry our proxy added is the client


def test_ipv6_addresses_count_per_64_network():
    one = address_fingerprint("2001:db8:1:2:aaaa::1")
    assert one == address_fingerprint("2001:db8:1:2:ffff:eeee::9")
    assert one != address_fingerprint("2001:db8:1:3::1")
    assert address_fingerprint("::ffff:192.0.2.1") == address_fingerprint("192.0.2.1")


def test_the_address_is_never_stored_only_a_keyed_hash_in_the_cache(client, answers, settings):
    settings.WEBFORM_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 1
    client.post(ASK, answers(), REMOTE_ADDR="203.0.113.77")
    client.post(ASK, answers(), REMOTE_ADDR="203.0.113.77")
    keys = " ".join(str(k) for k in cache._cache)  # LocMemCache's keys
    assert "203.0.113.77" not in keys
    assert address_fingerprint("203.0.113.77") in keys
    stored = [str(row.__dict__) for row in BlockedSubmission.objects.all()]
    assert stored
    assert all("203.0.113" not in row for row in stored)


def test_blocked_counts_add_up_per_day_and_reason(client, answers):
    for _n in range(3):
        client.post(ASK, answers(website_address="x"))
    client.post(ASK, answers(form_token="bad"))
    assert blocked(BlockReason.HONEYPOT) == 3
    assert blocked(BlockReason.BAD_TOKEN) == 1
    assert BlockedSubmission.objects.count() == 2


def test_a_page_sent_again_after_its_question_went_through_is_not_held_by_the_limits(
    client, answers, settings
):
    settings.WEBFORM_SUBMISSIONS_PER_CONTACT_PER_HOUR = 1
    data = answers()
    first = client.post(ASK, data)
    again = client.post(ASK, data)  # the back button and "send" once more
    assert again.status_code == 302
    assert confirmed_ticket_id(again) == confirmed_ticket_id(first) == Ticket.objects.get().pk
    assert blocked(BlockReason.CONTACT_LIMIT) == 0
