"""`simulate_twilio` plays Twilio against the app: signed requests, following the TwiML."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from helpdesk.channels.twilio.models import Call, InboundMessage, Recording
from helpdesk.models import Channel, Message, Ticket

from .conftest import CALLER, OUR_NUMBER, at, signed_post

pytestmark = pytest.mark.django_db


class ClientTransport:
    """Posts through Django's test client, running what each request enqueues on commit."""

    def __init__(self, client, capture):
        self.client, self.capture = client, capture
        self.paths = []

    def post(self, path, data, signature):
        self.paths.append(path)
        with self.capture(execute=True):
            response = signed_post(self.client, path, data, signature=signature)
        return response.status_code, response.content.decode()


@pytest.fixture
def simulate(client, django_capture_on_commit_callbacks):
    transport = ClientTransport(client, django_capture_on_commit_callbacks)

    def run(*args):
        out = StringIO()
        call_command("simulate_twilio", *args, transport=transport, stdout=out)
        return out.getvalue()

    run.transport = transport
    return run


def test_it_simulates_an_sms(simulate, number):
    output = simulate("sms", "--from", CALLER, "--body", "Where do I register?")
    assert "delivered to the webhook" in output
    ticket = Ticket.objects.get()
    assert ticket.channel == Channel.SMS
    assert ticket.messages.get().body == "Where do I register?"


def test_it_simulates_a_whatsapp_message_with_a_photo_and_a_retry(simulate, number):
    simulate("sms", "--whatsapp", "--media", "image/jpeg", "--sid", "MM" + "7" * 32)
    simulate("sms", "--whatsapp", "--media", "image/jpeg", "--sid", "MM" + "7" * 32)
    message = Message.objects.get()
    assert message.channel == Channel.WHATSAPP
    assert message.attachments.count() == 1
    assert InboundMessage.objects.count() == 1


def test_it_simulates_a_caller_who_hangs_up_in_the_queue(
    simulate, number, ines_on_duty, monday_morning
):
    output = simulate("call", "--press", "4", "--then", "hangup", "--wait", "50")
    assert "waits in the queue infolijn-ar" in output
    call = Call.objects.get()
    assert call.result == "abandoned"
    assert Ticket.objects.get().channel == Channel.CALLBACK


def test_it_simulates_a_call_answered_by_a_staff_member(
    simulate, number, ines, ines_on_duty, monday_morning
):
    output = simulate("call", "--press", "4", "--then", "answer", "--as", "ines", "--talk", "90")
    assert "ines presses 1" in output
    call = Call.objects.get()
    assert call.result == "answered"
    assert call.answered_by == ines


def test_it_simulates_a_voicemail_out_of_hours(simulate, number):
    from helpdesk.services import clock

    with clock.travel_to(at(2026, 3, 7, 11, 0)):  # Saturday
        output = simulate(
            "voicemail", "--press", "3", "--seconds", "25", "--transcript", "Please call me."
        )
    assert "leaves a message of 25 s" in output
    ticket = Ticket.objects.get()
    assert ticket.channel == Channel.VOICEMAIL
    assert ticket.messages.get().body.endswith("Please call me.")
    assert Recording.objects.get().status == "stored"


def test_it_simulates_delivery_news(simulate, number):
    assert "delivered" in simulate("status", "--message", "SM" + "9" * 32, "--status", "delivered")


def test_it_says_what_to_do_without_a_number(simulate):
    with pytest.raises(CommandError, match="No phone number is set up"):
        simulate("sms")


def test_it_says_what_to_do_without_a_token(simulate, settings):
    settings.TWILIO_AUTH_TOKEN = ""
    with pytest.raises(CommandError, match="TWILIO_AUTH_TOKEN"):
        simulate("sms", "--to", OUR_NUMBER)


def test_it_reports_a_refused_request(simulate, number):
    with pytest.raises(CommandError, match="403"):
        simulate("--public-url", "https://not-the-server.example.org", "sms")


def test_it_talks_http_to_a_running_server(seeded_transactional_db, live_server, number):
    """The real thing: a server on a port, the command posting over HTTP."""
    out = StringIO()
    call_command(
        "simulate_twilio", "--url", live_server.url, "sms", "--body", "Over HTTP", stdout=out
    )
    assert Ticket.objects.get().messages.get().body == "Over HTTP"


def test_it_explains_when_the_server_is_not_running(number):
    with pytest.raises(CommandError, match="Is the server running"):
        call_command("simulate_twilio", "--url", "http://127.0.0.1:9", "sms", stdout=StringIO())


def test_the_demo_data_makes_the_simulator_work_at_once(simulate, monday_morning):
    from helpdesk.models import User

    call_command("load_demo_data", "--tickets", "0", stdout=StringIO())
    call_command("load_twilio_demo", "--calls", "50", stdout=StringIO())
    call_command("load_twilio_demo", "--calls", "50", stdout=StringIO())  # again: nothing doubles
    assert Call.objects.count() == 50
    output = simulate("call", "--press", "4", "--then", "answer", "--as", "ines")
    assert "ines presses 1" in output
    assert (
        Call.objects.get(
            answered_by=User.objects.get(username="ines"), started_at=monday_morning
        ).result
        == "answered"
    )
