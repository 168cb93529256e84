"""Delivery status of answers, and the Retry button, for any outbound channel."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from helpdesk.channels.registry import (
    OutboundChannel,
    outbound_channel,
    register_outbound,
    unregister_outbound,
)
from helpdesk.models import Channel, DeliveryStatus, EventKind
from helpdesk.services.delivery import message_delivery_update, message_retry_delivery
from helpdesk.services.tickets import ticket_reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms(django_capture_on_commit_callbacks):
    """A stand-in SMS channel that records what it was asked to deliver (the real one, Twilio's,
    is put back afterwards: removing it broke the Twilio tests that ran next in this process)."""
    delivered = []
    real = outbound_channel(Channel.SMS)
    register_outbound(
        OutboundChannel(
            code=Channel.SMS,
            label="SMS",
            can_reach=lambda ticket: True,
            deliver=delivered.append,
        )
    )
    yield delivered
    if real is None:
        unregister_outbound(Channel.SMS)
    else:
        register_outbound(real)


def failed_answer(ticket, author, sms, capture):
    with capture(execute=True):
        answer = ticket_reply(ticket=ticket, author=author, body="Bel 112.", channel=Channel.SMS)
    assert sms == [answer.pk]
    return message_delivery_update(
        message=answer, status=DeliveryStatus.FAILED, detail="21211 invalid number"
    )


def test_a_failure_is_recorded_with_its_reason_and_an_event(
    ticket, ines, sms, django_capture_on_commit_callbacks
):
    answer = failed_answer(ticket, ines, sms, django_capture_on_commit_callbacks)
    assert answer.status == DeliveryStatus.FAILED
    assert answer.status_detail == "21211 invalid number"
    event = ticket.events.filter(kind=EventKind.DELIVERY).get()
    assert event.data == {
        "message": answer.pk,
        "status": "failed",
        "detail": "21211 invalid number",
    }


def test_retry_hands_the_message_back_to_its_channel(
    ticket, ines, sms, django_capture_on_commit_callbacks
):
    answer = failed_answer(ticket, ines, sms, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        message_retry_delivery(message=answer, actor=ines)
    assert sms == [answer.pk, answer.pk]
    answer.refresh_from_db()
    assert (answer.status, answer.status_detail) == (DeliveryStatus.PENDING, "")


def test_only_failed_answers_are_retried(ticket, ines, sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answer = ticket_reply(ticket=ticket, author=ines, body="Bel 112.", channel=Channel.SMS)
    with pytest.raises(ValidationError):
        message_retry_delivery(message=answer, actor=ines)
    with pytest.raises(ValidationError):
        message_retry_delivery(message=ticket.messages.first(), actor=ines)  # the question


def test_a_delivered_message_is_not_moved_back_by_a_late_report(
    ticket, ines, sms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = ticket_reply(ticket=ticket, author=ines, body="Bel 112.", channel=Channel.SMS)
    message_delivery_update(message=answer, status=DeliveryStatus.DELIVERED)
    answer = message_delivery_update(message=answer, status=DeliveryStatus.SENT)
    assert answer.status == DeliveryStatus.DELIVERED
    assert answer.sent_at is not None


def test_the_retry_button_shows_next_to_a_failed_answer_and_works(
    client, ticket, ines, sms, django_capture_on_commit_callbacks
):
    answer = failed_answer(ticket, ines, sms, django_capture_on_commit_callbacks)
    client.force_login(ines)
    page = client.get(reverse("helpdesk:ticket", args=[ticket.reference])).content.decode()
    url = reverse("helpdesk:message_retry", args=[ticket.reference, answer.pk])
    assert url in page
    assert "21211 invalid number" in page
    assert "Delivery failed: 21211 invalid number" in page
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert sms[-1] == answer.pk
    page = client.get(reverse("helpdesk:ticket", args=[ticket.reference])).content.decode()
    assert url not in page
    assert "Delivery tried again" in page


def test_retrying_twice_says_why_not(client, ticket, ines, sms, django_capture_on_commit_callbacks):
    answer = failed_answer(ticket, ines, sms, django_capture_on_commit_callbacks)
    client.force_login(ines)
    url = reverse("helpdesk:message_retry", args=[ticket.reference, answer.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert "Only an answer whose delivery failed can be sent again." in response.content.decode()


def test_other_queues_cannot_retry(
    client, ticket, ines, otto, sms, django_capture_on_commit_callbacks
):
    answer = failed_answer(ticket, ines, sms, django_capture_on_commit_callbacks)
    client.force_login(otto)
    response = client.post(reverse("helpdesk:message_retry", args=[ticket.reference, answer.pk]))
    assert response.status_code == 404
    assert sms == [answer.pk]
