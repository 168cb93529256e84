"""Answers by SMS and WhatsApp: sent in a task through Twilio's REST API, never twice, with
delivery news on the message; WhatsApp's 24-hour window respected."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from helpdesk.channels.registry import outbound_channels_for
from helpdesk.channels.twilio.models import OutboundMessage, WhatsAppTemplate
from helpdesk.channels.twilio.services.sending import deliver
from helpdesk.channels.twilio.tasks import message_send
from helpdesk.models import Channel, DeliveryStatus, Language, Message, Status, Ticket
from helpdesk.selectors.links import private_link
from helpdesk.services import clock
from helpdesk.services.contacts import contact_find_or_create
from helpdesk.services.tickets import ticket_create, ticket_reply

from .conftest import CALLER, MONDAY_MORNING, OUR_NUMBER, PUBLIC, query_of, sid
from .test_messaging_inbound import sms, whatsapp

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms_ticket(twilio_post, number, monday_morning):
    twilio_post("messaging", sms("Where do I register?"))
    return Ticket.objects.get()


@pytest.fixture
def reply(django_capture_on_commit_callbacks, ines):
    def send(
        ticket, body="Go to the Immigration Office, Pachecolaan 44.", channel=Channel.SMS, **kwargs
    ):
        with django_capture_on_commit_callbacks(execute=True):
            return ticket_reply(ticket=ticket, author=ines, body=body, channel=channel, **kwargs)

    return send


def test_an_sms_answer_goes_out_from_our_number_with_the_private_link(
    sms_ticket, reply, twilio_http
):
    sms_ticket.language = Language.objects.get(code="en")  # the requester reads English
    sms_ticket.save(update_fields=["language"])
    message = reply(sms_ticket)
    [sent] = twilio_http.made("POST", "/Messages.json")
    assert sent.data["From"] == OUR_NUMBER
    assert sent.data["To"] == CALLER
    link = private_link(sms_ticket)
    assert (
        sent.data["Body"]
        == f"Go to the Immigration Office, Pachecolaan 44.\n\nYour question online: {link}"
    )
    assert sent.data["StatusCallback"].startswith(f"{PUBLIC}/channels/twilio/messaging/status/")
    assert query_of(sent.data["StatusCallback"]) == {"message": str(message.pk)}
    message.refresh_from_db()
    assert message.status == DeliveryStatus.QUEUED
    assert message.twilio_outbound.twilio_sid.startswith("SM")


@pytest.mark.parametrize(
    ("ticket_language", "contact_language", "written_in"),
    [
        ("ar", None, "ar"),
        ("prs", None, "fa"),
        (None, "uk", "uk"),
        (None, None, "nl"),
        ("ku", None, "en"),
    ],
)
def test_the_link_text_is_written_in_the_requesters_language(
    sms_ticket, ticket_language, contact_language, written_in
):
    from helpdesk.channels.twilio.services.sending import _requester_language

    sms_ticket.language_id = ticket_language
    sms_ticket.contact.preferred_language_id = contact_language
    # Dari speakers read Persian; Kurdish has no site language of its own: English.
    assert _requester_language(sms_ticket) == written_in


def test_a_long_answer_is_shortened_to_fit_and_keeps_the_link(sms_ticket, reply, twilio_http):
    reply(sms_ticket, body="word " * 500)
    body = twilio_http.made("POST", "/Messages.json")[0].data["Body"]
    assert len(body) <= 1600
    assert body.endswith(private_link(sms_ticket) or "")
    assert "…" in body


def test_delivery_news_moves_the_message_forward_never_back(sms_ticket, reply, twilio_post):
    message = reply(sms_ticket)
    twilio_sid = message.twilio_outbound.twilio_sid
    for status in ("sent", "delivered", "sent"):
        twilio_post(
            "messaging_status",
            {"MessageSid": twilio_sid, "MessageStatus": status},
            query={"message": message.pk},
        )
    message.refresh_from_db()
    assert message.status == DeliveryStatus.DELIVERED
    assert message.sent_at is not None


def test_a_failed_delivery_shows_twilios_error_code_and_what_it_means(
    sms_ticket, reply, twilio_post
):
    message = reply(sms_ticket)
    twilio_post(
        "messaging_status",
        {
            "MessageSid": message.twilio_outbound.twilio_sid,
            "MessageStatus": "undelivered",
            "ErrorCode": "30003",
        },
        query={"message": message.pk},
    )
    message.refresh_from_db()
    assert message.status == DeliveryStatus.FAILED
    assert message.status_detail == "30003 · the phone is switched off or unreachable"


def test_delivering_twice_sends_once(sms_ticket, reply, twilio_http):
    message = reply(sms_ticket)
    deliver(message.pk)
    message_send.enqueue(message.pk)
    assert len(twilio_http.made("POST", "/Messages.json")) == 1


def test_a_retry_after_a_failed_delivery_sends_again_and_ignores_the_old_attempts_news(
    sms_ticket, reply, twilio_post, twilio_http
):
    message = reply(sms_ticket)
    first_sid = message.twilio_outbound.twilio_sid
    twilio_post(
        "messaging_status",
        {"MessageSid": first_sid, "MessageStatus": "failed", "ErrorCode": "30008"},
    )
    deliver(message.pk)  # what the core's "retry delivery" calls
    assert len(twilio_http.made("POST", "/Messages.json")) == 2
    message.refresh_from_db()
    second_sid = message.twilio_outbound.twilio_sid
    assert second_sid != first_sid
    assert message.status == DeliveryStatus.QUEUED
    assert message.status_detail == ""
    twilio_post(
        "messaging_status",
        {"MessageSid": first_sid, "MessageStatus": "undelivered", "ErrorCode": "30008"},
    )
    message.refresh_from_db()
    assert message.status == DeliveryStatus.QUEUED
    deliver(message.pk)  # and once Twilio has the retry, another retry sends nothing
    assert len(twilio_http.made("POST", "/Messages.json")) == 2


def test_a_number_twilio_refuses_fails_at_once_with_the_reason(sms_ticket, reply, twilio_http):
    twilio_http.fail("POST", "/Messages.json", 400, 21211, "The 'To' number is not valid.")
    message = reply(sms_ticket)
    message.refresh_from_db()
    assert message.status == DeliveryStatus.FAILED
    assert message.status_detail == "21211 · not a valid phone number"
    assert message.twilio_outbound.state == "failed"


def test_when_twilio_cannot_be_reached_the_message_fails_and_says_so(
    sms_ticket, reply, twilio_http
):
    twilio_http.fail("POST", "/Messages.json", 503, 20503, "Service unavailable")
    message = reply(sms_ticket)
    message.refresh_from_db()
    # The test backend cannot defer a retry: a person retries (the core's "retry delivery").
    assert message.status == DeliveryStatus.FAILED
    assert "20503" in message.status_detail


def test_an_interrupted_attempt_is_not_sent_blindly_and_twilios_news_repairs_it(
    sms_ticket, ines, twilio_post, twilio_http
):
    message = ticket_reply(ticket=sms_ticket, author=ines, body="Hello", channel=Channel.SMS)
    # A worker asked Twilio and died before it stored the answer.
    OutboundMessage.objects.create(
        message=message,
        state="sending",
        attempts=1,
        last_attempt_at=MONDAY_MORNING - timedelta(hours=1),
    )
    message_send.enqueue(message.pk)
    assert not twilio_http.made("POST", "/Messages.json")
    message.refresh_from_db()
    assert message.status == DeliveryStatus.FAILED
    assert "interrupted" in message.status_detail
    # Twilio did send it: its callback names our message and puts things right.
    twilio_post(
        "messaging_status",
        {"MessageSid": sid("SM"), "MessageStatus": "delivered"},
        query={"message": message.pk},
    )
    message.refresh_from_db()
    assert message.status == DeliveryStatus.DELIVERED


def test_news_about_a_message_we_do_not_know_is_ignored(twilio_post, number):
    response = twilio_post(
        "messaging_status", {"MessageSid": sid("SM"), "MessageStatus": "delivered"}
    )
    assert response.status_code == 204


def test_sms_and_whatsapp_are_offered_only_for_a_requester_with_a_number(
    sms_ticket, infolijn, amina, settings
):
    assert [c.code for c in outbound_channels_for(sms_ticket)][:2] == ["sms", "whatsapp"]
    email_only = ticket_create(queue=infolijn, channel=Channel.EMAIL, body="?", contact=amina)
    codes = [c.code for c in outbound_channels_for(email_only)]
    assert "sms" not in codes
    assert "whatsapp" not in codes
    settings.TWILIO_AUTH_TOKEN = ""
    assert "sms" not in [c.code for c in outbound_channels_for(sms_ticket)]


def test_staff_answer_by_sms_from_the_ticket_page(
    client, ines, sms_ticket, twilio_http, django_capture_on_commit_callbacks
):
    client.force_login(ines)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("helpdesk:ticket_reply", args=[sms_ticket.reference]),
            {"body": "Come on Tuesday.", "send_by": "sms", "status": "answered"},
        )
    assert response.status_code == 302
    assert twilio_http.made("POST", "/Messages.json")[0].data["Body"].startswith("Come on Tuesday.")


# --- WhatsApp --------------------------------------------------------------------------


@pytest.fixture
def whatsapp_ticket(twilio_post, number, monday_morning):
    twilio_post("messaging", whatsapp("Salam, I need help"))
    return Ticket.objects.get()


def test_within_24_hours_free_text_goes_by_whatsapp(whatsapp_ticket, reply, twilio_http):
    reply(whatsapp_ticket, body="How can we help?", channel=Channel.WHATSAPP)
    [sent] = twilio_http.made("POST", "/Messages.json")
    assert sent.data["From"] == f"whatsapp:{OUR_NUMBER}"
    assert sent.data["To"] == f"whatsapp:{CALLER}"
    assert sent.data["Body"] == "How can we help?"  # no link: the conversation is on WhatsApp


def test_after_24_hours_free_text_is_refused_and_the_page_says_why(
    whatsapp_ticket, client, ines, reply, twilio_http
):
    with clock.travel_to(MONDAY_MORNING + timedelta(hours=24, minutes=1)):
        with pytest.raises(ValidationError) as refused:
            reply(whatsapp_ticket, body="Hello?", channel=Channel.WHATSAPP)
        assert "24 hours" in refused.value.messages[0]
        client.force_login(ines)
        page = client.get(
            reverse("helpdesk:ticket", args=[whatsapp_ticket.reference])
        ).content.decode()
    assert "window closed on" in page
    assert not twilio_http.made("POST", "/Messages.json")


def test_after_24_hours_an_approved_template_can_be_sent(
    whatsapp_ticket, client, ines, twilio_http, arabic, django_capture_on_commit_callbacks
):
    template = WhatsAppTemplate.objects.create(
        name="We have an answer",
        content_sid="HX" + "1" * 32,
        language=arabic,
        body="We have an answer to your question {{1}}. Reply to this message to read it.",
        variables={"1": "reference"},
    )
    client.force_login(ines)
    with clock.travel_to(MONDAY_MORNING + timedelta(days=3)):
        page = client.get(
            reverse("helpdesk:ticket", args=[whatsapp_ticket.reference])
        ).content.decode()
        assert "Send the template by WhatsApp" in page
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse(
                    "twilio_channel:ticket_whatsapp_template", args=[whatsapp_ticket.reference]
                ),
                {"template": template.pk},
            )
    assert response.status_code == 302
    [sent] = twilio_http.made("POST", "/Messages.json")
    assert sent.data["ContentSid"] == template.content_sid
    assert sent.data["ContentVariables"] == f'{{"1": "{whatsapp_ticket.reference}"}}'
    assert "Body" not in sent.data
    message = Message.objects.get(direction="out")
    assert message.body == (
        f"We have an answer to your question {whatsapp_ticket.reference}. Reply to this message to read it."
    )
    whatsapp_ticket.refresh_from_db()
    assert whatsapp_ticket.status == Status.WAITING


def test_a_requester_who_never_wrote_on_whatsapp_gets_only_a_template(
    twilio_post, number, infolijn, reply, monday_morning
):
    contact = contact_find_or_create(phone=CALLER)
    ticket = ticket_create(queue=infolijn, channel=Channel.PHONE, body="Called", contact=contact)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        reply(ticket, channel=Channel.WHATSAPP)
    assert "has not written to us on WhatsApp" in refused.value.messages[0]


def test_a_whatsapp_reply_from_the_requester_opens_the_window_again(
    whatsapp_ticket, twilio_post, reply, twilio_http
):
    later = MONDAY_MORNING + timedelta(days=3)
    with clock.travel_to(later):
        twilio_post("messaging", whatsapp("Yes please"))
        reply(whatsapp_ticket, body="Here it is.", channel=Channel.WHATSAPP)
    assert len(twilio_http.made("POST", "/Messages.json")) == 1
