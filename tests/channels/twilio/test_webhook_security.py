"""Every webhook proves it comes from Twilio; nothing else changes anything."""

import pytest
from django.urls import reverse

from helpdesk.channels.twilio.models import Call, InboundMessage
from helpdesk.models import Message, Ticket

from .conftest import CALLER, OUR_NUMBER, PUBLIC, call_params, sid, signed_post, twiml

pytestmark = pytest.mark.django_db

WEBHOOKS = [
    ("voice", ()),
    ("voice_menu", ()),
    ("voice_wait", ()),
    ("voice_wait_key", ()),
    ("voice_queue_result", ()),
    ("voice_consent", ()),
    ("voice_voicemail", ()),
    ("voice_recording", ()),
    ("voice_transcription", ()),
    ("voice_status", ()),
    ("voice_join", ()),
    ("voice_conference", ()),
    ("voice_leg", (1,)),
    ("voice_leg_accept", (1,)),
    ("voice_leg_status", (1,)),
    ("messaging", ()),
    ("messaging_status", ()),
]


def sms(message_sid="SM" + "1" * 32):
    return {
        "MessageSid": message_sid,
        "From": CALLER,
        "To": OUR_NUMBER,
        "Body": "Hello",
        "NumMedia": "0",
    }


@pytest.mark.parametrize(("name", "args"), WEBHOOKS)
def test_it_rejects_an_unsigned_webhook(client, number, name, args):
    response = signed_post(
        client, reverse(f"twilio_channel:{name}", args=args), sms(), signature=""
    )
    assert response.status_code == 403


@pytest.mark.parametrize(("name", "args"), WEBHOOKS)
def test_it_rejects_a_webhook_signed_with_another_token(client, number, name, args):
    path = reverse(f"twilio_channel:{name}", args=args)
    assert signed_post(client, path, sms(), token="not-our-token").status_code == 403


def test_a_rejected_message_or_call_changes_nothing(client, number):
    signed_post(client, reverse("twilio_channel:messaging"), sms(), token="wrong")
    signed_post(client, reverse("twilio_channel:voice"), call_params(sid("CA")), signature="forged")
    assert not InboundMessage.objects.exists()
    assert not Call.objects.exists()
    assert not Ticket.objects.exists()
    assert not Message.objects.exists()


def test_a_signature_over_other_parameters_is_refused(client, number):
    """A replayed signature with a changed body (another sender) does not pass."""
    from twilio.request_validator import RequestValidator

    path = reverse("twilio_channel:messaging")
    signature = RequestValidator("test-auth-token-0123456789abcdef").compute_signature(
        PUBLIC + path, sms()
    )
    tampered = {**sms(), "From": "+32470999999"}
    assert signed_post(client, path, tampered, signature=signature).status_code == 403


def test_it_checks_the_signature_against_the_public_url_not_the_one_django_sees(
    client, number, settings
):
    """Behind a proxy Django sees http://127.0.0.1; Twilio signed https://infolijn.example.org."""
    path = reverse("twilio_channel:messaging")
    assert signed_post(client, path, sms()).status_code == 200  # signed over PUBLIC + path
    settings.TWILIO_PUBLIC_BASE_URL = "https://elsewhere.example.org"
    assert signed_post(client, path, sms("SM" + "2" * 32)).status_code == 403


def test_without_an_auth_token_every_webhook_is_refused(client, number, settings):
    settings.TWILIO_AUTH_TOKEN = ""
    response = signed_post(client, reverse("twilio_channel:voice"), call_params(sid("CA")))
    assert response.status_code == 403


def test_a_get_is_not_a_webhook(client):
    assert client.get(reverse("twilio_channel:voice")).status_code == 405


def test_a_signed_call_to_an_unknown_number_hears_it_is_not_in_service(twilio_post, number):
    root = twiml(twilio_post("voice", call_params(sid("CA"), to="+3225550199")))
    assert root.find("Say").text == "This number is not in service."
    assert root.find("Hangup") is not None
    assert not Call.objects.exists()
