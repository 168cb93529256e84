"""Waiting in the queue, and being answered: staff phones rung (speakers of the language first),
the first to press 1 gets the longest-waiting caller, both meet in a conference."""

from datetime import timedelta

import pytest
from django.utils import translation
from django.utils.translation import gettext

from helpdesk.channels.twilio.models import Call, CallLeg, CallState, StaffPhone
from helpdesk.models import Channel, Ticket
from helpdesk.services import clock

from .conftest import CALLER, MONDAY_MORNING, PUBLIC, call_params, query_of, sid, twiml

pytestmark = pytest.mark.django_db


@pytest.fixture
def youssef_on_duty(youssef, languages):
    """Youssef takes calls today too; he speaks French, not Arabic."""
    youssef.spoken_languages.add(languages["fr"])
    return StaffPhone.objects.create(
        user=youssef, phone="+32470000002", available_on=MONDAY_MORNING.date()
    )


def enqueue(twilio_post, digit="4", *, from_=CALLER):
    call_sid = sid("CA")
    twilio_post("voice", call_params(call_sid, from_=from_))
    root = twiml(twilio_post("voice_menu", call_params(call_sid, from_=from_, Digits=digit)))
    assert root.find("Enqueue") is not None
    return Call.objects.get(call_sid=call_sid)


def test_a_waiting_caller_hears_their_place_and_how_to_leave_a_message(
    twilio_post, number, ines_on_duty, monday_morning
):
    call = enqueue(twilio_post)
    root = twiml(
        twilio_post("voice_wait", call_params(call.call_sid, QueuePosition="2", QueueTime="15"))
    )
    gather = root.find("Gather")
    assert gather.get("action") == f"{PUBLIC}/channels/twilio/voice/wait/key/"
    said = [say.text for say in gather.findall("Say")]
    assert said[0] == "You are number 2 in the queue."
    assert "Press any key to leave a message" in said[1]
    assert gather.find("Play").text.endswith(".mp3")  # music while waiting
    assert root.find("Redirect").text == f"{PUBLIC}/channels/twilio/voice/wait/"


def test_the_position_comes_from_our_records_when_twilio_does_not_send_it(
    twilio_post, number, ines_on_duty, monday_morning
):
    enqueue(twilio_post, from_="+32470111111")
    with clock.travel_to(MONDAY_MORNING + timedelta(seconds=5)):
        second = enqueue(twilio_post)
        root = twiml(twilio_post("voice_wait", call_params(second.call_sid)))
    assert root.find("Gather").find("Say").text == "You are number 2 in the queue."


def test_pressing_a_key_while_waiting_leads_to_the_voicemail_prompt(
    twilio_post, number, ines_on_duty, monday_morning
):
    call = enqueue(twilio_post)
    root = twiml(twilio_post("voice_wait_key", call_params(call.call_sid, Digits="5")))
    assert root[0].tag == "Leave"
    root = twiml(
        twilio_post(
            "voice_queue_result", call_params(call.call_sid, QueueResult="leave", QueueTime="40")
        )
    )
    consent = root.find("Gather")
    assert consent.get("action") == f"{PUBLIC}/channels/twilio/voice/consent/"
    assert "press 2" in consent.find("Say").text  # we see the number: a call back is offered
    call.refresh_from_db()
    assert call.leave_reason == "key"
    assert call.queue_seconds == 40


def test_after_the_longest_wait_the_caller_is_told_nobody_could_answer_and_offered_voicemail(
    twilio_post, number, ines_on_duty, monday_morning
):
    call = enqueue(twilio_post)
    root = twiml(twilio_post("voice_wait", call_params(call.call_sid, QueueTime="180")))
    assert root[0].tag == "Leave"
    root = twiml(
        twilio_post(
            "voice_queue_result", call_params(call.call_sid, QueueResult="leave", QueueTime="181")
        )
    )
    assert root[0].tag == "Say"
    assert root[0].text == "Nobody can take your call right now."
    call.refresh_from_db()
    assert call.leave_reason == "timeout"


def test_a_caller_who_hangs_up_while_waiting_becomes_one_call_back_ticket(
    twilio_post, number, ines_on_duty, monday_morning
):
    call = enqueue(twilio_post)
    params = call_params(call.call_sid, QueueResult="hangup", QueueTime="75")
    twiml(twilio_post("voice_queue_result", params))
    twiml(twilio_post("voice_queue_result", params))  # Twilio retries
    twilio_post(
        "voice_status", call_params(call.call_sid, CallStatus="completed", CallDuration="90")
    )
    ticket = Ticket.objects.get()
    assert ticket.channel == Channel.CALLBACK
    assert ticket.language_id == "ar"
    assert ticket.contact.phone == CALLER
    with translation.override("nl"):  # written in the organisation's working language
        assert ticket.subject == gettext("Call back")
    assert "1:15" in ticket.messages.get().body
    call.refresh_from_db()
    assert call.result == "abandoned"
    assert call.callback_requested
    assert call.ticket == ticket
    assert call.duration_seconds == 90


def test_a_caller_who_calls_again_and_hangs_up_joins_their_open_call_back_ticket(
    twilio_post, number, ines_on_duty, monday_morning
):
    for _ in range(2):
        call = enqueue(twilio_post)
        twilio_post(
            "voice_queue_result", call_params(call.call_sid, QueueResult="hangup", QueueTime="20")
        )
    ticket = Ticket.objects.get()
    assert ticket.messages.count() == 2


def test_a_withheld_number_that_hangs_up_is_counted_but_makes_no_ticket(
    twilio_post, number, ines_on_duty, monday_morning
):
    call = enqueue(twilio_post, from_="+266696687")  # Twilio's "anonymous"
    twilio_post(
        "voice_queue_result",
        call_params(call.call_sid, from_="+266696687", QueueResult="hangup", QueueTime="20"),
    )
    call.refresh_from_db()
    assert call.result == "abandoned"
    assert call.from_number == ""
    assert not Ticket.objects.exists()


def test_speakers_of_the_callers_language_are_rung_first(
    twilio_post, number, ines_on_duty, youssef_on_duty, monday_morning, twilio_http
):
    enqueue(twilio_post, digit="4")  # Arabic: Ines
    assert [r.data["To"] for r in twilio_http.made("POST", "/Calls.json")] == ["+32470000001"]


def test_without_a_speaker_everyone_available_is_rung(
    twilio_post, number, ines_on_duty, youssef_on_duty, monday_morning, twilio_http
):
    enqueue(twilio_post, digit="5")  # Pashto: nobody speaks it; both can bring an interpreter
    rung = sorted(r.data["To"] for r in twilio_http.made("POST", "/Calls.json"))
    assert rung == ["+32470000001", "+32470000002"]


def test_staff_on_a_call_are_not_rung(
    twilio_post, number, ines_on_duty, monday_morning, twilio_http
):
    enqueue(twilio_post)
    enqueue(twilio_post, from_="+32470111111")  # Ines's phone is already ringing
    assert len(twilio_http.made("POST", "/Calls.json")) == 1


def test_a_staff_member_who_takes_the_call_meets_the_caller_in_a_conference(
    twilio_post, number, ines, ines_on_duty, monday_morning, twilio_http
):
    call = enqueue(twilio_post)
    leg = CallLeg.objects.get()
    twilio_post("voice_leg_status", {"CallSid": leg.call_sid, "CallStatus": "ringing"}, leg.pk)
    # She picks up: what the call is, press 1.
    offer = twiml(
        twilio_post("voice_leg", {"CallSid": leg.call_sid, "CallStatus": "in-progress"}, leg.pk)
    )
    gather = offer.find("Gather")
    assert gather.get("action") == f"{PUBLIC}/channels/twilio/voice/legs/{leg.pk}/accept/"
    assert "a caller is waiting, in Arabic" in gather.find("Say").text
    # She presses 1 a little later.
    with clock.travel_to(MONDAY_MORNING + timedelta(seconds=25)):
        accepted = twiml(
            twilio_post("voice_leg_accept", {"CallSid": leg.call_sid, "Digits": "1"}, leg.pk)
        )
    conference = accepted.find("Dial/Conference")
    assert conference.text == f"infolijn-call-{call.pk}"
    assert conference.get("endConferenceOnExit") == "true"
    # The caller is taken out of the queue into the same conference.
    [redirect] = twilio_http.made("POST", f"/Calls/{call.call_sid}.json")
    assert redirect.data["Url"] == f"{PUBLIC}/channels/twilio/voice/join/"
    with clock.travel_to(MONDAY_MORNING + timedelta(seconds=27)):
        joined = twiml(twilio_post("voice_join", call_params(call.call_sid)))
    assert joined.find("Dial/Conference").text == f"infolijn-call-{call.pk}"
    twilio_post(
        "voice_queue_result", call_params(call.call_sid, QueueResult="redirected", QueueTime="26")
    )
    twilio_post(
        "voice_status", call_params(call.call_sid, CallStatus="completed", CallDuration="300")
    )
    call.refresh_from_db()
    assert call.result == "answered"
    assert call.answered_by == ines
    assert call.queue_seconds == 27  # from joining the queue to joining the conversation
    assert call.duration_seconds == 300
    assert call.state == CallState.ENDED
    assert not Ticket.objects.exists()  # an answered call is logged by the person who took it


def test_when_two_staff_press_1_for_one_caller_the_second_hears_it_was_taken(
    twilio_post, number, ines_on_duty, youssef_on_duty, monday_morning, twilio_http
):
    call = enqueue(twilio_post, digit="5")
    first, second = CallLeg.objects.order_by("pk")
    twiml(twilio_post("voice_leg_accept", {"CallSid": first.call_sid, "Digits": "1"}, first.pk))
    root = twiml(
        twilio_post("voice_leg_accept", {"CallSid": second.call_sid, "Digits": "1"}, second.pk)
    )
    assert root.find("Dial") is None
    assert "A colleague has taken this call" in root.find("Say").text
    assert root.find("Hangup") is not None
    call.refresh_from_db()
    assert call.answered_by_id == first.user_id


def test_the_first_to_accept_gets_the_caller_who_waited_longest(
    twilio_post, number, ines_on_duty, monday_morning
):
    first = enqueue(twilio_post)
    with clock.travel_to(MONDAY_MORNING + timedelta(seconds=30)):
        second = enqueue(twilio_post, from_="+32470111111")
    leg = CallLeg.objects.get(call=first)
    twilio_post("voice_leg_accept", {"CallSid": leg.call_sid, "Digits": "1"}, leg.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == CallState.CONNECTING
    assert second.state == CallState.QUEUED


def test_a_staff_phones_own_voicemail_does_not_take_the_call(
    twilio_post, number, ines_on_duty, monday_morning
):
    call = enqueue(twilio_post)
    leg = CallLeg.objects.get()
    root = twiml(twilio_post("voice_leg_accept", {"CallSid": leg.call_sid, "Digits": ""}, leg.pk))
    assert root.find("Hangup") is not None
    call.refresh_from_db()
    assert call.state == CallState.QUEUED


def test_other_phones_stop_ringing_once_someone_accepts(
    twilio_post, number, ines_on_duty, youssef_on_duty, monday_morning, twilio_http
):
    enqueue(twilio_post, digit="5")
    first, second = CallLeg.objects.order_by("pk")
    twilio_post(
        "voice_leg_status", {"CallSid": second.call_sid, "CallStatus": "ringing"}, second.pk
    )
    twilio_post("voice_leg_accept", {"CallSid": first.call_sid, "Digits": "1"}, first.pk)
    [cancel] = twilio_http.made("POST", f"/Calls/{second.call_sid}.json")
    assert cancel.data == {"Status": "canceled"}
    second.refresh_from_db()
    assert second.status == "canceled"  # free for the next caller at once


def test_a_caller_who_hangs_up_as_they_are_being_connected_is_abandoned_and_the_staff_member_told(
    twilio_post, number, ines_on_duty, monday_morning, twilio_http
):
    call = enqueue(twilio_post)
    leg = CallLeg.objects.get()
    twilio_post("voice_leg_status", {"CallSid": leg.call_sid, "CallStatus": "in-progress"}, leg.pk)
    twilio_http.fail("POST", f"/Calls/{call.call_sid}.json", 400, 21220, "Call is not in-progress")
    twilio_post("voice_leg_accept", {"CallSid": leg.call_sid, "Digits": "1"}, leg.pk)
    twilio_post(
        "voice_queue_result", call_params(call.call_sid, QueueResult="hangup", QueueTime="12")
    )
    call.refresh_from_db()
    assert call.result == "abandoned"
    told = [r for r in twilio_http.made("POST", f"/Calls/{leg.call_sid}.json") if "Twiml" in r.data]
    assert told
    assert "hung up" in told[0].data["Twiml"]


def test_the_wait_rings_staff_again_when_nobody_picked_up(
    twilio_post, number, ines_on_duty, monday_morning, twilio_http
):
    call = enqueue(twilio_post)
    leg = CallLeg.objects.get()
    twilio_post("voice_leg_status", {"CallSid": leg.call_sid, "CallStatus": "no-answer"}, leg.pk)
    twiml(twilio_post("voice_wait", call_params(call.call_sid, QueueTime="40")))
    assert len(twilio_http.made("POST", "/Calls.json")) == 2


def test_a_late_ringing_callback_does_not_undo_a_finished_leg(
    twilio_post, number, ines_on_duty, monday_morning
):
    enqueue(twilio_post)
    leg = CallLeg.objects.get()
    twilio_post("voice_leg_status", {"CallSid": leg.call_sid, "CallStatus": "completed"}, leg.pk)
    twilio_post("voice_leg_status", {"CallSid": leg.call_sid, "CallStatus": "ringing"}, leg.pk)
    leg.refresh_from_db()
    assert leg.status == "completed"


def test_when_the_last_staff_member_stops_the_caller_is_offered_voicemail(
    twilio_post, number, ines_on_duty, monday_morning
):
    call = enqueue(twilio_post)
    leg = CallLeg.objects.get()
    twilio_post("voice_leg_status", {"CallSid": leg.call_sid, "CallStatus": "no-answer"}, leg.pk)
    ines_on_duty.available_on = None
    ines_on_duty.save()
    root = twiml(twilio_post("voice_wait", call_params(call.call_sid, QueueTime="40")))
    assert root[0].tag == "Leave"
    call.refresh_from_db()
    assert call.leave_reason == "no_agents"


def test_the_ring_goes_out_with_our_callbacks(
    twilio_post, number, ines_on_duty, monday_morning, twilio_http
):
    enqueue(twilio_post)
    [ring] = twilio_http.made("POST", "/Calls.json")
    leg = CallLeg.objects.get()
    assert ring.data["StatusCallback"] == f"{PUBLIC}/channels/twilio/voice/legs/{leg.pk}/status/"
    assert ring.data["Timeout"] == 20
    assert ring.auth is None or ring.auth[0].startswith("AC")
    assert query_of(ring.url) == {}


def test_a_caller_is_never_sent_out_of_the_queue_while_a_staff_member_takes_the_call(
    twilio_post, number, ines_on_duty, monday_morning
):
    call = enqueue(twilio_post)
    leg = CallLeg.objects.get()
    twilio_post("voice_leg_accept", {"CallSid": leg.call_sid, "Digits": "1"}, leg.pk)
    # Twilio fetches the wait music again before our redirect lands, and the caller presses a key.
    root = twiml(twilio_post("voice_wait", call_params(call.call_sid, QueueTime="500")))
    assert root.find("Leave") is None
    root = twiml(twilio_post("voice_wait_key", call_params(call.call_sid, Digits="1")))
    assert root.find("Leave") is None
    call.refresh_from_db()
    assert call.state == CallState.CONNECTING


def test_a_caller_who_left_the_queue_as_they_were_taken_joins_the_conversation(
    twilio_post, number, ines_on_duty, monday_morning
):
    call = enqueue(twilio_post)
    leg = CallLeg.objects.get()
    twilio_post("voice_leg_accept", {"CallSid": leg.call_sid, "Digits": "1"}, leg.pk)
    root = twiml(
        twilio_post(
            "voice_queue_result", call_params(call.call_sid, QueueResult="leave", QueueTime="33")
        )
    )
    assert root.find("Dial/Conference").text == f"infolijn-call-{call.pk}"
    call.refresh_from_db()
    assert call.result == "answered"


def test_with_call_recording_on_callers_are_told_and_the_conversation_is_kept_here(
    twilio_post, number, ines_on_duty, monday_morning, twilio_http, settings
):
    settings.TWILIO_RECORD_CALLS = True
    call_sid = sid("CA")
    twilio_post("voice", call_params(call_sid))
    root = twiml(twilio_post("voice_menu", call_params(call_sid, Digits="4")))
    assert root[0].tag == "Say"
    assert root[0].text == "This call is recorded."
    call = Call.objects.get()
    leg = CallLeg.objects.get()
    accepted = twiml(
        twilio_post("voice_leg_accept", {"CallSid": leg.call_sid, "Digits": "1"}, leg.pk)
    )
    conference = accepted.find("Dial/Conference")
    assert conference.get("record") == "record-from-start"
    assert conference.get("recordingStatusCallback").endswith("/voice/recording/?kind=call")
    twilio_post("voice_join", call_params(call.call_sid))
    call.refresh_from_db()
    conference_sid = sid("CF")
    twilio_post(
        "voice_conference",
        {
            "FriendlyName": call.conference_name,
            "ConferenceSid": conference_sid,
            "StatusCallbackEvent": "conference-start",
        },
    )
    recording_sid = sid("RE")
    twilio_post(
        "voice_recording",
        {
            "ConferenceSid": conference_sid,
            "RecordingSid": recording_sid,
            "RecordingUrl": f"https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/{recording_sid}",
            "RecordingDuration": "300",
            "RecordingStatus": "completed",
        },
        query={"kind": "call"},
    )
    recording = call.recordings.get()
    assert recording.kind == "call"
    assert recording.status == "stored"
    # The caller leaves the conference: the call is over even without the number's callback.
    twilio_post(
        "voice_conference",
        {
            "FriendlyName": call.conference_name,
            "CallSid": call.call_sid,
            "StatusCallbackEvent": "participant-leave",
        },
    )
    call.refresh_from_db()
    assert call.state == CallState.ENDED
    assert call.result == "answered"


def test_without_call_recording_nothing_is_recorded(
    twilio_post, number, ines_on_duty, monday_morning
):
    call = enqueue(twilio_post)
    leg = CallLeg.objects.get()
    accepted = twiml(
        twilio_post("voice_leg_accept", {"CallSid": leg.call_sid, "Digits": "1"}, leg.pk)
    )
    assert accepted.find("Dial/Conference").get("record") is None
    assert call.recordings.count() == 0


def test_a_caller_waits_for_a_busy_speaker_of_their_language_rather_than_reach_someone_else(
    twilio_post, number, ines_on_duty, youssef_on_duty, monday_morning, twilio_http
):
    enqueue(twilio_post, digit="4")  # Ines (Arabic) is rung
    second = enqueue(twilio_post, digit="4", from_="+32470111111")  # she is busy now
    assert [r.data["To"] for r in twilio_http.made("POST", "/Calls.json")] == ["+32470000001"]
    twiml(twilio_post("voice_wait", call_params(second.call_sid, QueueTime="30")))
    second.refresh_from_db()
    assert second.state == CallState.QUEUED  # waiting for her, not sent to voicemail
    assert len(twilio_http.made("POST", "/Calls.json")) == 1  # Youssef (French) is not rung


def test_a_ring_we_never_heard_the_end_of_does_not_block_a_staff_member_for_long(
    twilio_post, number, ines_on_duty, twilio_http
):
    with clock.travel_to(MONDAY_MORNING):
        enqueue(twilio_post)  # Ines rung; Twilio's status callbacks get lost
    with clock.travel_to(MONDAY_MORNING + timedelta(seconds=90)):
        second = enqueue(twilio_post, from_="+32470111111")
        twiml(twilio_post("voice_wait", call_params(second.call_sid, QueueTime="10")))
    assert len(twilio_http.made("POST", "/Calls.json")) == 2
