"""Voice webhooks. Each checks Twilio's signature, calls one service and answers with TwiML at
once; REST calls and downloads happen in tasks."""

import logging

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from helpdesk.services import clock

from ..models import Call, CallLeg, CallState, LeaveReason, LegKind, Recording, RecordingKind
from ..security import twilio_webhook
from ..services import calls as services
from ..services import outbound, recordings, routing
from ..services.calls import MAX_MENU_ATTEMPTS
from ..twiml import (
    after_route,
    caller_into_conference,
    empty,
    hang_up,
    leave,
    left_queue,
    leg_connect,
    leg_declined,
    leg_offer,
    menu,
    not_in_service,
    record,
    say_and_hang_up,
    twiml_response,
    wait,
)

log = logging.getLogger(__name__)


def _int(value, default=0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _call(request) -> Call | None:
    sid = request.POST.get("CallSid", "")
    return (
        Call.objects.select_related("number", "number__default_language", "queue", "language")
        .filter(call_sid=sid)
        .first()
        if sid
        else None
    )


def _route(call: Call, language):
    return twiml_response(
        after_route(services.call_route(call=call, language=language), call.number)
    )


@twilio_webhook
def incoming(request):
    """A call to one of our numbers: the language menu (or straight on, with one language)."""
    post = request.POST
    number = services.number_for(post.get("To", ""), calls=True)
    if number is None:
        log.error("A call to %s, which is not an active number here", post.get("To"))
        return twiml_response(not_in_service())
    call = services.call_incoming(
        call_sid=post.get("CallSid", ""),
        number=number,
        from_=post.get("From", ""),
        to=post.get("To", ""),
    )
    if call.state != CallState.MENU:  # a retry after the menu: pick up where the call is
        return _route(call, call.language)
    options = services.menu_options(number)
    if len(options) <= 1:
        return _route(call, options[0].language if options else number.default_language)
    services.call_menu_attempt(call=call)
    call.refresh_from_db(fields=["menu_attempts"])
    return twiml_response(menu(call, number, options))


@twilio_webhook
def menu_choice(request):
    call = _call(request)
    if call is None or call.number is None:
        return twiml_response(hang_up())
    number = call.number
    options = services.menu_options(number)
    digits = request.POST.get("Digits", "")
    chosen = next((o for o in options if digits and str(o.digit) == digits[:1]), None)
    if chosen is not None:
        return _route(call, chosen.language)
    if call.state != CallState.MENU:
        return _route(call, call.language)
    attempts = services.call_menu_attempt(call=call)
    if attempts > MAX_MENU_ATTEMPTS:
        # Nothing chosen twice: on in the number's default language rather than hang up.
        return _route(call, number.default_language)
    call.menu_attempts = attempts
    return twiml_response(menu(call, number, options, invalid=bool(digits)))


def _position(call: Call, twilio_position) -> int:
    """Twilio's position in the queue, or ours when a redirect did not send it."""
    if position := _int(twilio_position):
        return position
    return (
        Call.objects.filter(
            state=CallState.QUEUED,
            queue_id=call.queue_id,
            language_id=call.language_id,
            enqueued_at__lte=call.enqueued_at,
        ).count()
        if call.enqueued_at
        else 0
    )


def _queue_seconds(call: Call, twilio_seconds) -> int:
    if twilio_seconds not in (None, ""):
        return _int(twilio_seconds)
    return int((clock.now() - call.enqueued_at).total_seconds()) if call.enqueued_at else 0


@twilio_webhook
def wait_music(request):
    """Enqueue's waitUrl, fetched again and again while the caller waits."""
    call = _call(request)
    if call is None:
        return twiml_response(leave())
    reason = services.call_waiting(
        call=call, queue_seconds=_queue_seconds(call, request.POST.get("QueueTime"))
    )
    if reason:
        return twiml_response(leave())
    call.refresh_from_db(fields=["state"])
    if call.state == CallState.CONNECTING:
        # A staff member took the call; the caller is moved in a moment. Never <Leave> now.
        return twiml_response(wait(call, 0, call.number))
    if call.state != CallState.QUEUED:
        return twiml_response(leave())
    position = _position(call, request.POST.get("QueuePosition"))
    return twiml_response(wait(call, position, call.number))


@twilio_webhook
def wait_key(request):
    """The caller pressed a key while waiting: to voicemail (unless someone is taking the call
    at this very moment: then they stay for the conversation)."""
    call = _call(request)
    if call is None:
        return twiml_response(leave())
    call = services.call_leave_queue(call=call, reason=LeaveReason.KEY)
    if call.state == CallState.CONNECTING:
        return twiml_response(wait(call, 0, call.number))
    return twiml_response(leave())


@twilio_webhook
def queue_result(request):
    """Enqueue's action: the caller left the queue (hung up, pressed a key, waited too long,
    or was taken into a conversation)."""
    call = _call(request)
    if call is None:
        return twiml_response(hang_up())
    result = request.POST.get("QueueResult", "")
    call = services.call_queue_result(
        call=call, result=result, queue_seconds=_int(request.POST.get("QueueTime"))
    )
    if call.state == CallState.CONNECTING and result not in ("hangup", "redirected"):
        # Out of the queue just as a staff member accepted: straight into their conversation.
        return twiml_response(caller_into_conference(routing.caller_joined(call=call)))
    if call.state == CallState.VOICEMAIL and result not in ("hangup", "bridged", "redirected"):
        return twiml_response(left_queue(call, call.number))
    return twiml_response(empty())


@twilio_webhook
def consent(request):
    call = _call(request)
    if call is None:
        return twiml_response(hang_up())
    choice = services.call_consent(call=call, digit=request.POST.get("Digits", "")[:1])
    if choice == "record":
        return twiml_response(record(call, call.number))
    if choice == "callback":
        return twiml_response(say_and_hang_up(call, call.number, "thanks_callback"))
    return twiml_response(say_and_hang_up(call, call.number, "goodbye"))


@twilio_webhook
def voicemail(request):
    """Record's action: the message is recorded. A ticket now; the download in a task."""
    call = _call(request)
    if call is None:
        return twiml_response(hang_up())
    post = request.POST
    recording = services.voicemail_receive(
        call=call,
        recording_sid=post.get("RecordingSid", ""),
        url=post.get("RecordingUrl", ""),
        duration=_int(post.get("RecordingDuration")),
    )
    if recording is None:
        return twiml_response(say_and_hang_up(call, call.number, "no_message", "goodbye"))
    return twiml_response(say_and_hang_up(call, call.number, "thanks_voicemail"))


def _ok():
    return HttpResponse(status=204)


@twilio_webhook
def recording_status(request):
    """The recording is ready at Twilio (voicemail, or an answered call when recording is on)."""
    post = request.POST
    if post.get("RecordingStatus", "completed") != "completed" or not post.get("RecordingSid"):
        return _ok()
    call = _call(request)
    if call is None and post.get("ConferenceSid"):
        call = Call.objects.filter(conference_sid=post["ConferenceSid"]).first()
    if call is None:
        log.warning("A recording for an unknown call: %s", post.get("RecordingSid"))
        return _ok()
    kind = RecordingKind.CALL if request.GET.get("kind") == "call" else RecordingKind.VOICEMAIL
    recording = services.recording_register(
        call=call,
        recording_sid=post["RecordingSid"],
        url=post.get("RecordingUrl", ""),
        duration=_int(post.get("RecordingDuration")),
        kind=kind,
    )
    recordings.recording_available(recording=recording)
    return _ok()


@twilio_webhook
def transcription(request):
    recording = Recording.objects.filter(recording_sid=request.POST.get("RecordingSid", "")).first()
    if recording is not None and request.POST.get("TranscriptionStatus") == "completed":
        recordings.recording_transcribed(
            recording=recording, text=request.POST.get("TranscriptionText", "")
        )
    return _ok()


FINAL_CALL_STATUSES = {"completed", "busy", "failed", "no-answer", "canceled"}


@twilio_webhook
def call_status(request):
    """The number's status callback: the call is over."""
    call = _call(request)
    status = request.POST.get("CallStatus", "")
    if call is not None and status in FINAL_CALL_STATUSES:
        duration = request.POST.get("CallDuration")
        services.call_ended(
            call=call, twilio_status=status, duration=_int(duration) if duration else None
        )
    return _ok()


@twilio_webhook
def join(request):
    """The caller, taken out of the queue by a staff member's acceptance, joins their conference."""
    call = _call(request)
    if call is None or not call.conference_name:
        return twiml_response(hang_up())
    return twiml_response(caller_into_conference(routing.caller_joined(call=call)))


@twilio_webhook
def conference(request):
    """Conference events: its SID (for recordings), the caller joining, the caller leaving."""
    post = request.POST
    call = Call.objects.filter(conference_name=post.get("FriendlyName", "")).first()
    if call is None:
        return _ok()
    event = post.get("StatusCallbackEvent", "")
    if event == "conference-start" and not call.conference_sid:
        Call.objects.filter(pk=call.pk).update(conference_sid=post.get("ConferenceSid", "")[:64])
    elif event == "participant-join" and post.get("CallSid") == call.call_sid:
        routing.caller_joined(call=call)
    elif event == "participant-leave" and post.get("CallSid") == call.call_sid:
        services.call_ended(call=call, twilio_status="completed", duration=None)
    return _ok()


def _leg(request, pk) -> CallLeg:
    return get_object_or_404(
        CallLeg.objects.select_related(
            "call", "call__queue", "call__language", "call__ticket", "user"
        ),
        pk=pk,
    )


@twilio_webhook
def leg_answered(request, pk):
    """A staff member's phone was picked up: say what the call is, and wait for 1."""
    return twiml_response(leg_offer(_leg(request, pk)))


@twilio_webhook
def leg_accept(request, pk):
    leg = _leg(request, pk)
    if request.POST.get("Digits", "")[:1] != "1":
        return twiml_response(leg_declined(leg))
    if leg.kind == LegKind.STAFF:
        return twiml_response(leg_connect(leg, outbound.staff_accept(leg=leg)))
    return twiml_response(leg_connect(leg, routing.agent_accept(leg=leg)))


@twilio_webhook
def leg_status(request, pk):
    leg = _leg(request, pk)
    duration = request.POST.get("CallDuration")
    routing.leg_status(
        leg=leg,
        status=request.POST.get("CallStatus", ""),
        duration=_int(duration) if duration else None,
    )
    return _ok()
