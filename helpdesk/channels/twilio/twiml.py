"""The TwiML we answer with: what the caller hears and what Twilio does next.

Every URL in it is absolute, on TWILIO_PUBLIC_BASE_URL, the same address the signatures are
checked against.
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from twilio.twiml.voice_response import VoiceResponse

from .client import public_url
from .models import Call, CallLeg, LeaveReason, PhoneNumber, PromptKind, TextToSpeechVoice
from .speech import Speaker, add_menu, prompt_audio_url, translate

CONFERENCE_EVENTS = "start end join leave"


def twiml_response(response) -> HttpResponse:
    return HttpResponse(str(response), content_type="text/xml; charset=utf-8")


def empty() -> VoiceResponse:
    return VoiceResponse()


def hang_up() -> VoiceResponse:
    response = VoiceResponse()
    response.hangup()
    return response


def not_in_service() -> VoiceResponse:
    response = VoiceResponse()
    response.say("This number is not in service.", language="en-GB")
    response.hangup()
    return response


def menu(call: Call, number: PhoneNumber, options, *, invalid: bool = False) -> VoiceResponse:
    response = VoiceResponse()
    if invalid:
        Speaker(number.default_language, number).add(response, PromptKind.INVALID)
    elif number.greeting and call.menu_attempts <= 1:
        response.play(prompt_audio_url("greeting", number, "greeting"))
    gather = response.gather(
        num_digits=1, action=public_url("voice_menu"), method="POST", timeout=6
    )
    add_menu(gather, options, number)
    # No key pressed: the menu URL decides (again, or the default language).
    response.redirect(public_url("voice_menu"), method="POST")
    return response


def _consent(response: VoiceResponse, call: Call, speaker: Speaker) -> None:
    kind = PromptKind.CONSENT if call.from_number else PromptKind.CONSENT_NO_CALLBACK
    gather = response.gather(
        num_digits=1, action=public_url("voice_consent"), method="POST", timeout=8
    )
    speaker.add(gather, kind, days=settings.TWILIO_RECORDING_RETENTION_DAYS)
    response.redirect(public_url("voice_consent"), method="POST")


def after_route(route, number: PhoneNumber | None) -> VoiceResponse:
    """Into the queue of the caller's language, or voicemail with the reason said first."""
    call = route.call
    speaker = Speaker(call.language, number)
    response = VoiceResponse()
    if route.queued:
        if settings.TWILIO_RECORD_CALLS:
            speaker.add(response, PromptKind.RECORDING_NOTICE)
        response.enqueue(
            call.route_name,
            action=public_url("voice_queue_result"),
            method="POST",
            wait_url=public_url("voice_wait"),
            wait_url_method="POST",
        )
        return response
    if route.reason == LeaveReason.CLOSED:
        speaker.add_closed(response, route.next_opening)
    else:
        speaker.add(response, PromptKind.NOBODY)
    _consent(response, call, speaker)
    return response


def wait(call: Call, position: int, number: PhoneNumber | None) -> VoiceResponse:
    """While waiting: the position, how to leave a message instead, music; then again."""
    speaker = Speaker(call.language, number)
    response = VoiceResponse()
    gather = response.gather(
        num_digits=1, action=public_url("voice_wait_key"), method="POST", timeout=1
    )
    speaker.add_position(gather, position)
    speaker.add(gather, PromptKind.HOLD)
    gather.play(speaker.hold_music_url())
    response.redirect(public_url("voice_wait"), method="POST")
    return response


def leave() -> VoiceResponse:
    response = VoiceResponse()
    response.leave()
    return response


def left_queue(call: Call, number: PhoneNumber | None) -> VoiceResponse:
    """After <Leave>: say why if nobody could answer, then offer voicemail."""
    speaker = Speaker(call.language, number)
    response = VoiceResponse()
    if call.leave_reason in (LeaveReason.TIMEOUT, LeaveReason.NO_AGENTS, LeaveReason.ERROR):
        speaker.add(response, PromptKind.NOBODY)
    _consent(response, call, speaker)
    return response


def record(call: Call, number: PhoneNumber | None) -> VoiceResponse:
    speaker = Speaker(call.language, number)
    response = VoiceResponse()
    speaker.add(response, PromptKind.RECORD)
    transcribe = bool(call.language_id) and call.language_id in settings.TWILIO_TRANSCRIBE_LANGUAGES
    response.record(
        action=public_url("voice_voicemail"),
        method="POST",
        max_length=settings.TWILIO_VOICEMAIL_MAX_SECONDS,
        timeout=6,
        finish_on_key="#",
        play_beep=True,
        trim="trim-silence",
        recording_status_callback=public_url("voice_recording", query={"kind": "voicemail"}),
        recording_status_callback_event="completed",
        **(
            {"transcribe": True, "transcribe_callback": public_url("voice_transcription")}
            if transcribe
            else {}
        ),
    )
    # Only reached when nothing was recorded.
    speaker.add(response, PromptKind.NO_MESSAGE)
    speaker.add(response, PromptKind.GOODBYE)
    response.hangup()
    return response


def say_and_hang_up(call: Call, number: PhoneNumber | None, *kinds: str) -> VoiceResponse:
    speaker = Speaker(call.language, number)
    response = VoiceResponse()
    for kind in kinds:
        speaker.add(response, kind)
    response.hangup()
    return response


def _conference(dial, call: Call, *, record: bool = False) -> None:
    extra = {}
    if record and settings.TWILIO_RECORD_CALLS:
        extra = {
            "record": "record-from-start",
            "recording_status_callback": public_url("voice_recording", query={"kind": "call"}),
            "recording_status_callback_event": "completed",
        }
    dial.conference(
        call.conference_name,
        start_conference_on_enter=True,
        end_conference_on_exit=True,
        beep=False,
        wait_url="",
        status_callback=public_url("voice_conference"),
        status_callback_event=CONFERENCE_EVENTS,
        **extra,
    )


def caller_into_conference(call: Call) -> VoiceResponse:
    response = VoiceResponse()
    _conference(response.dial(), call)
    return response


# --- staff phones -------------------------------------------------------------------------

AGENT_OFFER = gettext_noop("%(queue)s: a caller is waiting, in %(language)s. Press 1 to answer.")
CALLBACK_OFFER = gettext_noop("Press 1 to call back %(reference)s.")
NO_KEY = gettext_noop("No key was pressed. Goodbye.")
TAKEN = gettext_noop("A colleague has taken this call, or the caller hung up. Thank you.")
CONNECTING = gettext_noop("Connecting.")


def staff_language(user) -> str:
    """The language we speak to a staff member in: their first staff language, else the site's."""
    if user is not None:
        for code in user.spoken_languages.filter(code__in=settings.STAFF_LANGUAGES).values_list(
            "code", flat=True
        ):
            return code
    return settings.LANGUAGE_CODE


def _staff_speech(language: str, text: str) -> tuple[str, TextToSpeechVoice | None, str]:
    """(language, voice, text) to tell a staff member `text`: in their language if Twilio has a
    voice and the text is translated, else in English."""
    voices = {
        voice.language_id: voice
        for voice in TextToSpeechVoice.objects.filter(language_id__in=[language, "en"])
    }
    spoken = translate(text, language) if language in voices else None
    if spoken is None:
        language, spoken = "en", translate(text, "en")
    return language, voices.get(language), spoken


def _say(parent, voice: TextToSpeechVoice | None, text: str) -> None:
    if voice is not None:
        parent.say(text, voice=voice.voice, language=voice.tts_language)
    else:
        parent.say(text, language="en-GB")


def _say_to_staff(parent, language: str, text: str, /, **params) -> None:
    _language, voice, spoken = _staff_speech(language, text)
    _say(parent, voice, spoken % params)


def staff_message(user, text: str, **params) -> str:
    response = VoiceResponse()
    _say_to_staff(response, staff_language(user), text, **params)
    response.hangup()
    return str(response)


def leg_offer(leg: CallLeg) -> VoiceResponse:
    """What a staff member hears when they pick up: what the call is; press 1 to take it.
    (Their phone's own voicemail hears it too, and presses nothing.)"""
    language = staff_language(leg.user)
    call = leg.call
    response = VoiceResponse()
    gather = response.gather(
        num_digits=1, action=public_url("voice_leg_accept", leg.pk), method="POST", timeout=10
    )
    if leg.kind == "agent":
        spoken_in, voice, text = _staff_speech(language, AGENT_OFFER)
        with translation.override(spoken_in):
            language_name = str(call.language) if call.language else gettext("any language")
            _say(gather, voice, text % {"queue": str(call.queue), "language": language_name})
    else:
        reference = call.ticket.reference if call.ticket_id else ""
        _say_to_staff(gather, language, CALLBACK_OFFER, reference=" ".join(reference))
    _say_to_staff(response, language, NO_KEY)
    response.hangup()
    return response


def leg_connect(leg: CallLeg, call: Call | None) -> VoiceResponse:
    language = staff_language(leg.user)
    response = VoiceResponse()
    if call is None:
        _say_to_staff(response, language, TAKEN)
        response.hangup()
        return response
    _say_to_staff(response, language, CONNECTING)
    _conference(response.dial(), call, record=True)
    return response


def leg_declined(leg: CallLeg) -> VoiceResponse:
    response = VoiceResponse()
    _say_to_staff(response, staff_language(leg.user), NO_KEY)
    response.hangup()
    return response
