"""Voicemail: consent first, then a ticket with the recording downloaded into our storage (and
deleted at Twilio), the transcription where Twilio gives one; deletable from the ticket and
deleted after the retention period."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from helpdesk.channels.twilio.client import DownloadError, download
from helpdesk.channels.twilio.models import Call, Recording, RecordingStatus
from helpdesk.channels.twilio.services.recordings import recordings_expire
from helpdesk.channels.twilio.tasks import catch_up
from helpdesk.models import Channel, Ticket
from helpdesk.services import clock

from .conftest import ACCOUNT, CALLER, PUBLIC, at, call_params, query_of, sid, twiml

pytestmark = pytest.mark.django_db

SATURDAY = at(2026, 3, 7, 11, 0)


@pytest.fixture
def saturday():
    with clock.travel_to(SATURDAY):
        yield SATURDAY


def recording_url(recording_sid):
    return f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Recordings/{recording_sid}"


def to_voicemail(twilio_post, *, digit="4", from_=CALLER):
    """A call on Saturday: closed, so the menu choice leads to the consent prompt."""
    call_sid = sid("CA")
    twilio_post("voice", call_params(call_sid, from_=from_))
    root = twiml(twilio_post("voice_menu", call_params(call_sid, from_=from_, Digits=digit)))
    assert root.find("Gather").get("action") == f"{PUBLIC}/channels/twilio/voice/consent/"
    return Call.objects.get(call_sid=call_sid)


def leave_message(twilio_post, call, *, seconds=42, recording_sid=None):
    recording_sid = recording_sid or sid("RE")
    params = call_params(
        call.call_sid,
        from_=call.from_number or "+266696687",
        RecordingSid=recording_sid,
        RecordingUrl=recording_url(recording_sid),
        RecordingDuration=str(seconds),
    )
    root = twiml(twilio_post("voice_voicemail", params))
    twilio_post(
        "voice_recording",
        {**params, "RecordingStatus": "completed"},
        query={"kind": "voicemail"},
    )
    return root, recording_sid


def test_voicemail_asks_consent_and_mentions_how_long_it_is_kept(
    twilio_post, number, saturday, settings
):
    settings.TWILIO_RECORDING_RETENTION_DAYS = 14
    call = to_voicemail(twilio_post)
    root = twiml(twilio_post("voice_menu", call_params(call.call_sid, Digits="4")))  # a retry
    consent = root.find("Gather")
    assert consent.get("numDigits") == "1"
    text = consent.find("Say").text
    assert "press 1" in text
    assert "deleted after 14 days" in text
    assert "press 2" in text


def test_nothing_is_recorded_without_the_callers_consent(twilio_post, number, saturday):
    call = to_voicemail(twilio_post)
    root = twiml(twilio_post("voice_consent", call_params(call.call_sid)))  # no key
    assert root.find("Record") is None
    assert root.find("Hangup") is not None
    call.refresh_from_db()
    assert call.result == "no_message"


def test_pressing_1_records_a_message_with_our_callbacks(twilio_post, number, saturday, settings):
    settings.TWILIO_VOICEMAIL_MAX_SECONDS = 120
    call = to_voicemail(twilio_post)
    root = twiml(twilio_post("voice_consent", call_params(call.call_sid, Digits="1")))
    record = root.find("Record")
    assert record.get("action") == f"{PUBLIC}/channels/twilio/voice/voicemail/"
    assert record.get("maxLength") == "120"
    assert record.get("finishOnKey") == "#"
    assert query_of(record.get("recordingStatusCallback")) == {"kind": "voicemail"}
    assert record.get("transcribe") is None  # Twilio transcribes English only; this is Arabic


def test_a_voicemail_becomes_a_ticket_with_the_recording_stored_here_and_deleted_at_twilio(
    twilio_post, client, number, ines, saturday, twilio_http
):
    call = to_voicemail(twilio_post)
    twilio_post("voice_consent", call_params(call.call_sid, Digits="1"))
    root, recording_sid = leave_message(twilio_post, call)
    assert "Thank you" in root.find("Say").text
    ticket = Ticket.objects.get()
    assert ticket.channel == Channel.VOICEMAIL
    assert ticket.language_id == "ar"
    assert ticket.contact.phone == CALLER
    assert ticket.messages.get().body == "Voicemail (0:42)."
    # Downloaded through Twilio's HTTP client, with our credentials, as MP3.
    [get] = twilio_http.made("GET", f"/Recordings/{recording_sid}.mp3")
    assert get.auth == (ACCOUNT, "test-auth-token-0123456789abcdef")
    recording = Recording.objects.get()
    assert recording.status == RecordingStatus.STORED
    assert default_storage.exists(recording.file.name)
    assert recording.file.read().startswith(b"RIFF")
    assert twilio_http.made("DELETE", f"/Recordings/{recording_sid}.json")
    # On the ticket page, a player for staff of the queue.
    client.force_login(ines)
    page = client.get(reverse("helpdesk:ticket", args=[ticket.reference])).content.decode()
    assert reverse("twilio_channel:recording", args=[recording.pk]) in page
    played = client.get(reverse("twilio_channel:recording", args=[recording.pk]))
    assert played["Content-Type"] == "audio/mpeg"
    call.refresh_from_db()
    assert call.result == "voicemail"
    assert call.ticket == ticket


def test_twilio_retrying_the_voicemail_webhooks_makes_one_ticket_and_one_recording(
    twilio_post, number, saturday, twilio_http
):
    call = to_voicemail(twilio_post)
    recording_sid = sid("RE")
    leave_message(twilio_post, call, recording_sid=recording_sid)
    leave_message(twilio_post, call, recording_sid=recording_sid)
    assert Ticket.objects.count() == 1
    assert Recording.objects.count() == 1
    assert len(twilio_http.made("GET", f"/Recordings/{recording_sid}.mp3")) == 1


def test_the_recording_callback_may_come_before_the_voicemail_itself(twilio_post, number, saturday):
    call = to_voicemail(twilio_post)
    recording_sid = sid("RE")
    params = call_params(
        call.call_sid,
        RecordingSid=recording_sid,
        RecordingUrl=recording_url(recording_sid),
        RecordingDuration="9",
    )
    twilio_post(
        "voice_recording", {**params, "RecordingStatus": "completed"}, query={"kind": "voicemail"}
    )
    twilio_post("voice_voicemail", params)
    recording = Recording.objects.get()
    assert recording.status == RecordingStatus.STORED
    assert recording.message == Ticket.objects.get().messages.get()


def test_an_english_voicemail_is_transcribed_onto_the_message(twilio_post, number, saturday):
    call = to_voicemail(twilio_post, digit="3")
    root = twiml(twilio_post("voice_consent", call_params(call.call_sid, Digits="1")))
    record = root.find("Record")
    assert record.get("transcribe") == "true"
    assert record.get("transcribeCallback") == f"{PUBLIC}/channels/twilio/voice/transcription/"
    _root, recording_sid = leave_message(twilio_post, call, seconds=20)
    twilio_post(
        "voice_transcription",
        {
            "RecordingSid": recording_sid,
            "TranscriptionStatus": "completed",
            "TranscriptionText": "I have my interview on Monday, please call me.",
            "CallSid": call.call_sid,
        },
    )
    message = Ticket.objects.get().messages.get()
    assert message.body.endswith("I have my interview on Monday, please call me.")
    assert Recording.objects.get().transcription.startswith("I have my interview")


def test_pressing_2_asks_for_a_call_back_without_recording_anything(twilio_post, number, saturday):
    call = to_voicemail(twilio_post)
    root = twiml(twilio_post("voice_consent", call_params(call.call_sid, Digits="2")))
    assert root.find("Record") is None
    assert "call you back" in root.find("Say").text
    ticket = Ticket.objects.get()
    assert ticket.channel == Channel.CALLBACK
    assert not Recording.objects.exists()
    call.refresh_from_db()
    assert call.result == "callback"
    assert call.callback_requested


def test_a_withheld_number_is_not_offered_a_call_back(twilio_post, number, saturday):
    call = to_voicemail(twilio_post, from_="anonymous")
    root = twiml(
        twilio_post("voice_menu", call_params(call.call_sid, from_="anonymous", Digits="4"))
    )
    text = root.find("Gather").find("Say").text
    assert "press 2" not in text
    assert "say it in your message" in text
    twiml(twilio_post("voice_consent", call_params(call.call_sid, Digits="2")))
    assert not Ticket.objects.exists()


def test_a_voicemail_from_a_withheld_number_says_so_on_the_ticket(
    twilio_post, number, saturday, settings
):
    settings.LANGUAGE_CODE = "en"  # notes on a ticket are in the organisation's language
    call = to_voicemail(twilio_post, from_="anonymous")
    leave_message(twilio_post, call)
    ticket = Ticket.objects.get()
    assert ticket.contact is None
    assert "withheld" in ticket.messages.get().body


def test_an_empty_recording_makes_no_ticket(twilio_post, number, saturday):
    call = to_voicemail(twilio_post)
    root, _sid = leave_message(twilio_post, call, seconds=0)
    assert not Ticket.objects.exists()
    call.refresh_from_db()
    assert call.result == "no_message"
    assert root.find("Hangup") is not None


def test_a_failed_download_is_kept_pending_and_caught_up_later(
    twilio_post, number, saturday, twilio_http
):
    call = to_voicemail(twilio_post)
    recording_sid = sid("RE")
    twilio_http.answer("GET", f"/Recordings/{recording_sid}.mp3", 503, {"message": "busy"})
    leave_message(twilio_post, call, recording_sid=recording_sid)
    recording = Recording.objects.get()
    assert recording.status == RecordingStatus.PENDING
    assert recording.last_error == "HTTP 503"
    assert Ticket.objects.count() == 1  # the ticket is there, the recording follows
    with clock.travel_to(SATURDAY + timedelta(minutes=10)):
        catch_up.enqueue()
    recording.refresh_from_db()
    assert recording.status == RecordingStatus.STORED


def test_downloads_only_go_to_twilio():
    with pytest.raises(DownloadError):
        download("https://evil.example.org/Recordings/RE1")
    with pytest.raises(DownloadError):
        download("http://api.twilio.com/2010-04-01/Accounts/AC/Recordings/RE1")


def test_staff_delete_a_recording_from_the_ticket_and_the_call_keeps_who_and_when(
    twilio_post, client, number, ines, otto, saturday, django_capture_on_commit_callbacks
):
    call = to_voicemail(twilio_post)
    leave_message(twilio_post, call)
    recording = Recording.objects.get()
    name = recording.file.name
    ticket = Ticket.objects.get()
    client.force_login(otto)
    assert (
        client.post(reverse("twilio_channel:recording_delete", args=[recording.pk])).status_code
        == 404
    )
    assert client.get(reverse("twilio_channel:recording", args=[recording.pk])).status_code == 404
    client.force_login(ines)
    page = reverse("helpdesk:ticket", args=[ticket.reference])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("twilio_channel:recording_delete", args=[recording.pk]), {"next": page}
        )
    assert response.status_code == 302
    assert response["Location"] == page
    assert not Recording.objects.exists()
    assert not default_storage.exists(name)
    call.refresh_from_db()
    assert call.recording_deleted_by == ines
    assert "Recording deleted on" in client.get(page).content.decode()


def test_recordings_are_deleted_after_the_retention_period(
    twilio_post, number, saturday, settings, django_capture_on_commit_callbacks
):
    settings.TWILIO_RECORDING_RETENTION_DAYS = 30
    call = to_voicemail(twilio_post)
    leave_message(twilio_post, call)
    name = Recording.objects.get().file.name
    with clock.travel_to(SATURDAY + timedelta(days=29)):
        assert recordings_expire() == 0
    with (
        clock.travel_to(SATURDAY + timedelta(days=30, minutes=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert recordings_expire() == 1
    assert not Recording.objects.exists()
    assert not default_storage.exists(name)
    assert Ticket.objects.get().messages.count() == 1  # the ticket itself stays
