"""Staff on the phone: the Phone page (their number, taking calls today, who waits), calling a
requester back from the ticket, and bringing an interpreter into a call."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpdesk.channels.twilio.models import Call, CallLeg, Interpreter, StaffPhone
from helpdesk.models import Channel, Ticket
from helpdesk.services.contacts import contact_find_or_create
from helpdesk.services.tickets import ticket_create

from .conftest import CALLER, MONDAY_MORNING, OUR_NUMBER, PUBLIC, twiml
from .test_queue_and_answering import enqueue

pytestmark = pytest.mark.django_db

DESK = "/channels/twilio/desk/"


@pytest.fixture
def phone_ticket(infolijn, number, arabic):
    contact = contact_find_or_create(phone=CALLER)
    return ticket_create(
        queue=infolijn,
        channel=Channel.VOICEMAIL,
        body="Voicemail",
        contact=contact,
        language=arabic,
    )


def test_staff_enter_their_phone_and_take_calls_for_today(client, ines, monday_morning):
    client.force_login(ines)
    assert client.get(DESK).status_code == 200
    client.post(reverse("twilio_channel:phone_save"), {"phone": "0470 12 34 56"})
    assert StaffPhone.objects.get(user=ines).phone == "+32470123456"
    client.post(reverse("twilio_channel:availability"), {"available": "1"})
    assert StaffPhone.objects.get(user=ines).available_on == MONDAY_MORNING.date()
    page = client.get(DESK).content.decode()
    assert "You take calls today" in page
    client.post(reverse("twilio_channel:availability"), {"available": "0"})
    assert StaffPhone.objects.get(user=ines).available_on is None


def test_a_malformed_phone_number_is_refused_with_a_reason(client, ines):
    client.force_login(ines)
    response = client.post(reverse("twilio_channel:phone_save"), {"phone": "12"}, follow=True)
    assert (
        "not a valid phone number" in response.content.decode()
        or "not a phone number" in response.content.decode()
    )
    assert not StaffPhone.objects.filter(user=ines).exists()


def test_taking_calls_needs_a_phone_number_first(client, ines):
    client.force_login(ines)
    response = client.post(reverse("twilio_channel:availability"), {"available": "1"}, follow=True)
    assert "First enter the phone number" in response.content.decode()


@pytest.mark.parametrize("persona", ["vera", "cora"])
def test_people_who_do_not_work_tickets_have_no_phone_page(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(DESK).status_code == 403


def test_the_phone_page_shows_who_waits_in_my_queues_only(
    client, twilio_post, number, ines_on_duty, ines, otto, monday_morning
):
    enqueue(twilio_post)
    client.force_login(ines)
    waiting = client.get(reverse("twilio_channel:desk_waiting")).content.decode()
    assert "Arabisch" in waiting or "Arabic" in waiting
    assert CALLER not in waiting  # language and wait only, no numbers
    client.force_login(otto)
    assert (
        "Nobody is waiting." in client.get(reverse("twilio_channel:desk_waiting")).content.decode()
    )


def test_staff_call_a_requester_back_from_the_ticket(
    client,
    ines,
    ines_on_duty,
    phone_ticket,
    twilio_post,
    twilio_http,
    monday_morning,
    django_capture_on_commit_callbacks,
):
    client.force_login(ines)
    page = client.get(reverse("helpdesk:ticket", args=[phone_ticket.reference])).content.decode()
    assert "Call back" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("twilio_channel:ticket_call", args=[phone_ticket.reference]))
    assert response.status_code == 302
    # Her own phone rings first, from our number.
    [ring] = twilio_http.made("POST", "/Calls.json")
    assert ring.data["To"] == "+32470000001"
    assert ring.data["From"] == OUR_NUMBER
    call = Call.objects.get()
    assert call.direction == "out"
    assert call.ticket == phone_ticket
    assert call.placed_by == ines
    leg = CallLeg.objects.get()
    offer = twiml(twilio_post("voice_leg", {"CallSid": leg.call_sid}, leg.pk))
    assert "Press 1 to call back" in offer.find("Gather/Say").text
    # She presses 1: she is in the conference and the requester is dialled into it.
    root = twiml(twilio_post("voice_leg_accept", {"CallSid": leg.call_sid, "Digits": "1"}, leg.pk))
    assert root.find("Dial/Conference").text == f"infolijn-call-{call.pk}"
    [participant] = twilio_http.made(
        "POST", f"/Conferences/infolijn-call-{call.pk}/Participants.json"
    )
    assert participant.data["To"] == CALLER
    assert participant.data["From"] == OUR_NUMBER
    assert participant.data["EndConferenceOnExit"] == "true"
    requester = CallLeg.objects.get(kind="requester")
    twilio_post(
        "voice_leg_status",
        {"CallSid": requester.call_sid, "CallStatus": "in-progress"},
        requester.pk,
    )
    twilio_post(
        "voice_leg_status",
        {"CallSid": requester.call_sid, "CallStatus": "completed", "CallDuration": "240"},
        requester.pk,
    )
    call.refresh_from_db()
    assert call.result == "answered"
    assert call.duration_seconds == 240
    assert call.call_sid == requester.call_sid


def test_a_call_back_the_requester_does_not_answer_is_recorded_as_such(
    client,
    ines,
    ines_on_duty,
    phone_ticket,
    twilio_post,
    monday_morning,
    django_capture_on_commit_callbacks,
):
    client.force_login(ines)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("twilio_channel:ticket_call", args=[phone_ticket.reference]))
    leg = CallLeg.objects.get()
    twilio_post("voice_leg_accept", {"CallSid": leg.call_sid, "Digits": "1"}, leg.pk)
    requester = CallLeg.objects.get(kind="requester")
    twilio_post(
        "voice_leg_status", {"CallSid": requester.call_sid, "CallStatus": "no-answer"}, requester.pk
    )
    call = Call.objects.get()
    assert call.result == "no_answer"
    page = client.get(reverse("helpdesk:ticket", args=[phone_ticket.reference])).content.decode()
    assert "Not answered" in page or "Niet beantwoord" in page


def test_calling_back_needs_the_staff_members_phone(client, ines, phone_ticket, number):
    client.force_login(ines)
    page = client.get(reverse("helpdesk:ticket", args=[phone_ticket.reference])).content.decode()
    assert "Enter the phone you answer on" in page
    response = client.post(
        reverse("twilio_channel:ticket_call", args=[phone_ticket.reference]), follow=True
    )
    assert "First enter the phone number you answer calls on" in response.content.decode()
    assert not Call.objects.exists()


def test_staff_of_another_queue_cannot_call_the_requester(client, otto, phone_ticket):
    client.force_login(otto)
    response = client.post(reverse("twilio_channel:ticket_call", args=[phone_ticket.reference]))
    assert response.status_code == 404
    assert not Call.objects.exists()


def test_an_interpreter_joins_the_conversation_as_a_third_participant(
    client,
    twilio_post,
    number,
    ines,
    ines_on_duty,
    monday_morning,
    twilio_http,
    languages,
    django_capture_on_commit_callbacks,
):
    interpreter = Interpreter.objects.create(name="Farid", phone="+32470555555")
    interpreter.languages.add(languages["ar"])
    call = enqueue(twilio_post)
    leg = CallLeg.objects.get()
    twilio_post("voice_leg_status", {"CallSid": leg.call_sid, "CallStatus": "in-progress"}, leg.pk)
    twilio_post("voice_leg_accept", {"CallSid": leg.call_sid, "Digits": "1"}, leg.pk)
    twilio_post("voice_join", {"CallSid": call.call_sid})
    client.force_login(ines)
    page = client.get(DESK).content.decode()
    assert "Your call" in page
    assert "Farid" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("twilio_channel:call_interpreter", args=[call.pk]),
            {"interpreter": interpreter.pk},
        )
    [added] = twilio_http.made("POST", f"/Conferences/infolijn-call-{call.pk}/Participants.json")
    assert added.data["To"] == "+32470555555"
    assert added.data["EndConferenceOnExit"] == "false"  # the call goes on when they leave
    assert CallLeg.objects.get(kind="interpreter").user == ines


def test_an_interpreter_cannot_be_added_to_a_call_that_is_over(
    client, twilio_post, number, ines, ines_on_duty, monday_morning
):
    call = enqueue(twilio_post)
    twilio_post(
        "voice_queue_result", {"CallSid": call.call_sid, "QueueResult": "hangup", "QueueTime": "5"}
    )
    client.force_login(ines)
    response = client.post(
        reverse("twilio_channel:call_interpreter", args=[call.pk]),
        {"phone": "0470 55 55 55"},
        follow=True,
    )
    assert "not in progress" in response.content.decode()
    assert not CallLeg.objects.filter(kind="interpreter").exists()


def test_staff_of_another_queue_cannot_add_anyone_to_a_call(
    client, twilio_post, number, ines_on_duty, otto, monday_morning
):
    call = enqueue(twilio_post)
    client.force_login(otto)
    response = client.post(
        reverse("twilio_channel:call_interpreter", args=[call.pk]), {"phone": "0470555555"}
    )
    assert response.status_code == 404


def test_the_phone_card_costs_the_same_queries_however_many_calls(
    client, ines, ines_on_duty, twilio_post, number
):
    from datetime import timedelta

    from helpdesk.services import clock

    saturday = MONDAY_MORNING - timedelta(days=2)

    def leave_voicemail(index):
        call_sid = f"CA{index:032d}"
        with clock.travel_to(saturday + timedelta(minutes=index)):
            twilio_post("voice", {"CallSid": call_sid, "From": CALLER, "To": OUR_NUMBER})
            twilio_post(
                "voice_menu", {"CallSid": call_sid, "From": CALLER, "To": OUR_NUMBER, "Digits": "4"}
            )
            twilio_post(
                "voice_voicemail",
                {
                    "CallSid": call_sid,
                    "RecordingSid": f"RE{index:032d}",
                    "RecordingUrl": f"https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/RE{index:032d}",
                    "RecordingDuration": "10",
                },
            )

    def count():
        ticket = Ticket.objects.get()
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(reverse("helpdesk:ticket", args=[ticket.reference])).status_code == 200
            )
        return len(queries)

    client.force_login(ines)
    leave_voicemail(1)
    count()  # the process builds the translated lists once per version (selectors/lists.py)
    few = count()
    for index in range(2, 6):
        leave_voicemail(index)
    assert count() == few
    # The calls are a registered part of the ticket, so the card reads and shows them.
    from helpdesk.selectors.parts import ticket_parts

    ticket = Ticket.objects.get()
    assert "calls" in ticket_parts(ticket)
    page = client.get(reverse("helpdesk:ticket", args=[ticket.reference])).content.decode()
    assert page.count('<li class="phone-call">') == ticket.twilio_calls.count() == 5


def test_the_phone_page_links_from_the_staff_menu(client, ines):
    client.force_login(ines)
    assert f'href="{DESK}"' in client.get(reverse("helpdesk:inbox")).content.decode()


def test_public_urls_in_twiml_use_the_public_base(settings):
    from helpdesk.channels.twilio.client import public_url

    assert public_url("voice") == f"{PUBLIC}/channels/twilio/voice/"
