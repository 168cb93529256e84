"""An incoming call, step by step: the language menu, opening hours, the queue, voicemail, call
back requests and the end of the call. Each step is a short transaction on the call record, so a
webhook Twilio retries finds the step already done and answers the same way.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from config.tasks import enqueue_on_commit
from helpdesk.models import Channel, Language
from helpdesk.selectors.hours import schedule_for
from helpdesk.services import clock

from ..models import (
    Call,
    CallDirection,
    CallResult,
    CallState,
    LeaveReason,
    LegKind,
    MenuOption,
    PhoneNumber,
    Recording,
    RecordingKind,
)
from ..selectors.agents import agents_to_ring, on_duty, ringing_legs
from .intake import caller_number, contact_for, duration_text, intake

log = logging.getLogger(__name__)

MAX_MENU_ATTEMPTS = 2


def _tasks():
    from .. import tasks  # tasks import these services

    return tasks


def _lock(call: Call) -> Call:
    return (
        Call.objects.select_for_update(of=("self",))
        .select_related("queue", "language", "number")
        .get(pk=call.pk)
    )


def number_for(to: str, *, calls: bool = False) -> PhoneNumber | None:
    """Our active number that was called or written to."""
    number = caller_number(to)
    if not number:
        return None
    found = PhoneNumber.objects.select_related("queue", "default_language").filter(
        number=number, is_active=True, queue__is_active=True
    )
    if calls:
        found = found.filter(handles_calls=True)
    return found.first()


def call_incoming(*, call_sid: str, number: PhoneNumber, from_: str, to: str) -> Call:
    """The call record, created on Twilio's first request (a retry finds it)."""
    try:
        with transaction.atomic():
            call, _created = Call.objects.get_or_create(
                call_sid=call_sid,
                defaults={
                    "direction": CallDirection.INBOUND,
                    "number": number,
                    "queue": number.queue,
                    "from_number": caller_number(from_),
                    "to_number": number.number,
                    "state": CallState.MENU,
                    "started_at": clock.now(),
                },
            )
    except IntegrityError:
        call = Call.objects.get(call_sid=call_sid)
    return call


def menu_options(number: PhoneNumber) -> list[MenuOption]:
    return list(number.menu_options.select_related("language").filter(language__is_active=True))


@dataclass
class Route:
    """Where the call goes after the menu: the queue, or voicemail and why."""

    call: Call
    queued: bool
    reason: str = ""
    next_opening: datetime | None = None


@transaction.atomic
def call_menu_attempt(*, call: Call) -> int:
    """Count a time the menu is played; return how many times it was."""
    call = _lock(call)
    call.menu_attempts += 1
    call.save(update_fields=["menu_attempts"])
    return call.menu_attempts


@transaction.atomic
def call_route(*, call: Call, language: Language | None) -> Route:
    """Send the caller on in `language`: into the queue of those who speak it, or to voicemail when
    the queue is closed or nobody can answer. A retried webhook gets the same answer."""
    call = _lock(call)
    now = clock.now()
    schedule = schedule_for(call.queue)
    if call.state != CallState.MENU:  # Twilio retried: answer as before
        return Route(
            call,
            queued=call.state in (CallState.QUEUED, CallState.CONNECTING),
            reason=call.leave_reason,
            next_opening=schedule.next_opening(now) if call.leave_reason == "closed" else None,
        )
    call.language = language
    call.was_open = schedule.is_open(now)
    fields = ["language", "was_open", "state"]
    if not call.was_open:
        call.state, call.leave_reason = CallState.VOICEMAIL, LeaveReason.CLOSED
        route = Route(
            call, queued=False, reason=call.leave_reason, next_opening=schedule.next_opening(now)
        )
    elif not on_duty(call.queue):
        call.state, call.leave_reason = CallState.VOICEMAIL, LeaveReason.NO_AGENTS
        route = Route(call, queued=False, reason=call.leave_reason)
    else:
        call.state, call.enqueued_at = CallState.QUEUED, now
        fields.append("enqueued_at")
        enqueue_on_commit(_tasks().ring_agents, call.pk)
        route = Route(call, queued=True)
    if call.leave_reason:
        fields.append("leave_reason")
    call.save(update_fields=fields)
    return route


@transaction.atomic
def call_waiting(*, call: Call, queue_seconds: int) -> str:
    """A caller's wait goes on. Return "" to keep waiting, or why they should leave the queue
    (waited too long, nobody left to answer). Rings staff again if no phone is ringing."""
    call = _lock(call)
    if call.state != CallState.QUEUED:
        return ""
    max_wait = call.number.max_wait_seconds if call.number else 180
    reason = ""
    if queue_seconds >= max_wait:
        reason = LeaveReason.TIMEOUT
    elif not _phones_ringing_for(call.queue_id):
        if agents_to_ring(call.queue, call.language):
            enqueue_on_commit(_tasks().ring_agents, call.pk)
        elif not on_duty(call.queue):
            reason = LeaveReason.NO_AGENTS  # everyone stopped taking calls
    if reason:
        call.state, call.leave_reason = CallState.VOICEMAIL, reason
        call.save(update_fields=["state", "leave_reason"])
    return reason


def _phones_ringing_for(queue_id: int) -> bool:
    # Two small lookups rather than a join: the legs ringing now are few, the calls many.
    ringing = ringing_legs().filter(kind=LegKind.AGENT).values_list("call_id", flat=True)
    return Call.objects.filter(pk__in=list(ringing), queue_id=queue_id).exists()


@transaction.atomic
def call_leave_queue(*, call: Call, reason: str) -> Call:
    """The caller pressed a key to leave a message (or their wait ended)."""
    call = _lock(call)
    if call.state == CallState.QUEUED:
        call.state, call.leave_reason = CallState.VOICEMAIL, reason
        call.save(update_fields=["state", "leave_reason"])
    return call


@transaction.atomic
def call_queue_result(*, call: Call, result: str, queue_seconds: int) -> Call:
    """Twilio says how the caller left the queue (the Enqueue action)."""
    call = _lock(call)
    if call.queue_seconds is None and call.enqueued_at:
        call.queue_seconds = queue_seconds
        call.save(update_fields=["queue_seconds"])
    if result == "hangup":
        _abandon(call)
    elif result in ("queue-full", "system-error") and call.state == CallState.QUEUED:
        call.state, call.leave_reason = CallState.VOICEMAIL, LeaveReason.ERROR
        call.save(update_fields=["state", "leave_reason"])
    # "leave": call_leave_queue or call_waiting already moved it on; "bridged" and "redirected":
    # an agent took it (caller_joined records that).
    return call


def _abandon(call: Call) -> None:
    """The caller hung up while waiting: an abandoned call and, if we have their number, a
    request to call them back (one ticket, however often Twilio tells us)."""
    if call.state not in (CallState.QUEUED, CallState.CONNECTING) or call.result:
        return
    now = clock.now()
    was_connecting = call.state == CallState.CONNECTING
    call.state, call.result, call.ended_at = CallState.ENDED, CallResult.ABANDONED, now
    if call.queue_seconds is None and call.enqueued_at:
        call.queue_seconds = int((now - call.enqueued_at).total_seconds())
    call.save(update_fields=["state", "result", "ended_at", "queue_seconds"])
    if was_connecting:
        # A colleague accepted a moment too late: tell them.
        for leg in call.legs.filter(kind=LegKind.AGENT, status="in-progress"):
            enqueue_on_commit(_tasks().leg_release, leg.pk)
    if call.from_number:
        with translation.override(_site_language()):
            body = _("Hung up after waiting %(wait)s in the queue. Please call back.") % {
                "wait": duration_text(call.queue_seconds)
            }
        _callback_ticket(call, body)


def _site_language() -> str:
    # Texts the system writes on a ticket are in the organisation's working language.
    return settings.LANGUAGE_CODE


def _callback_ticket(call: Call, body: str) -> None:
    if call.ticket_id:
        return
    with translation.override(_site_language()):
        subject = _("Call back")
    contact = contact_for(call.from_number, language=call.language)
    ticket, _message = intake(
        queue=call.queue,
        channel=Channel.CALLBACK,
        contact=contact,
        body=body,
        subject=subject,
        language=call.language,
        external_id=call.call_sid or "",
        source=call,
    )
    call.ticket, call.callback_requested = ticket, True
    call.save(update_fields=["ticket", "callback_requested"])


@transaction.atomic
def call_consent(*, call: Call, digit: str) -> str:
    """The caller's answer to the voicemail prompt: "record", "callback" or "goodbye"."""
    call = _lock(call)
    if digit == "1":
        return "record"
    if digit == "2" and call.from_number:
        if not call.result:
            with translation.override(_site_language()):
                body = _("Asked to be called back (no message left).")
            _callback_ticket(call, body)
            call.result = CallResult.CALLBACK
            call.save(update_fields=["result"])
        return "callback"
    if not call.result:
        call.result = CallResult.NO_MESSAGE
        call.save(update_fields=["result"])
    return "goodbye"


def recording_register(
    *, call: Call, recording_sid: str, url: str, duration: int, kind: str
) -> Recording:
    """The recording Twilio made, whichever of its two webhooks tells us first."""
    try:
        with transaction.atomic():
            recording, created = Recording.objects.get_or_create(
                recording_sid=recording_sid,
                defaults={
                    "call": call,
                    "kind": kind,
                    "twilio_url": url,
                    "duration_seconds": duration,
                    "created_at": clock.now(),
                },
            )
    except IntegrityError:
        recording, created = Recording.objects.get(recording_sid=recording_sid), False
    if not created and duration and not recording.duration_seconds:
        recording.duration_seconds = duration
        recording.save(update_fields=["duration_seconds"])
    return recording


@transaction.atomic
def voicemail_receive(
    *, call: Call, recording_sid: str, url: str, duration: int
) -> Recording | None:
    """The caller left a message: a voicemail ticket (or a message on their open ticket) with the
    recording, downloaded by a task. Nothing recorded (hung up at the tone): no message."""
    call = _lock(call)
    if not recording_sid or duration <= 0:
        if not call.result:
            call.result = CallResult.NO_MESSAGE
            call.save(update_fields=["result"])
        return None
    recording = recording_register(
        call=call,
        recording_sid=recording_sid,
        url=url,
        duration=duration,
        kind=RecordingKind.VOICEMAIL,
    )
    if recording.message_id is None:
        with translation.override(_site_language()):
            subject = _("Voicemail")
            body = _("Voicemail (%(duration)s).") % {"duration": duration_text(duration)}
            if not call.from_number:
                body += " " + _("The caller's number was withheld.")
        contact = contact_for(call.from_number, language=call.language)
        ticket, message = intake(
            queue=call.queue,
            channel=Channel.VOICEMAIL,
            contact=contact,
            body=body,
            subject=subject,
            language=call.language,
            external_id=recording_sid,
            source=call,
        )
        recording.message = message
        recording.save(update_fields=["message"])
        call.ticket = call.ticket or ticket
        call.result = CallResult.VOICEMAIL
        call.save(update_fields=["ticket", "result"])
    return recording


def _final_result(call: Call, twilio_status: str) -> str:
    if call.direction == CallDirection.OUTBOUND:
        return CallResult.ANSWERED if call.answered_at else CallResult.NO_ANSWER
    return {
        CallState.MENU: CallResult.MENU,
        CallState.CONNECTED: CallResult.ANSWERED,
        CallState.VOICEMAIL: CallResult.NO_MESSAGE,
    }.get(call.state, CallResult.FAILED if twilio_status == "failed" else CallResult.NO_MESSAGE)


@transaction.atomic
def call_ended(*, call: Call, twilio_status: str, duration: int | None) -> Call:
    """The call is over (Twilio's status callback). Fills in what no other step recorded."""
    call = _lock(call)
    if call.state in (CallState.QUEUED, CallState.CONNECTING) and not call.result:
        _abandon(call)
        call.refresh_from_db()
    now = clock.now()
    fields = []
    if not call.result:
        call.result = _final_result(call, twilio_status)
        fields.append("result")
    if call.ended_at is None:
        call.ended_at = now
        fields.append("ended_at")
    if duration is not None and call.duration_seconds is None:
        call.duration_seconds = duration
        fields.append("duration_seconds")
    if call.state != CallState.ENDED:
        call.state = CallState.ENDED
        fields.append("state")
    if fields:
        call.save(update_fields=fields)
    return call
