"""Connecting a waiting caller with a staff member.

While a caller waits (TwiML <Enqueue>, one Twilio queue per queue and language), we ring the
phones of available staff who speak the language (or, if none, anyone available in the queue).
The first to press 1 claims the longest-waiting caller of that route; both are then joined in a
conference, so an interpreter can be added later. Each step tolerates Twilio's retries and the
races between people answering at once.
"""

import logging

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext_noop
from twilio.base.exceptions import TwilioException, TwilioRestException

from config.tasks import enqueue_on_commit
from helpdesk.services import clock

from ..client import public_url, rest_client
from ..models import Call, CallLeg, CallResult, CallState, LegKind, LegStatus
from ..models.calls import LIVE_LEG_STATUSES
from ..selectors.agents import agents_to_ring

log = logging.getLogger(__name__)

FINAL_LEG_STATUSES = {
    LegStatus.COMPLETED,
    LegStatus.BUSY,
    LegStatus.NO_ANSWER,
    LegStatus.FAILED,
    LegStatus.CANCELED,
}
LEG_EVENTS = ["initiated", "ringing", "answered", "completed"]


def _tasks():
    from .. import tasks

    return tasks


def conference_name(call: Call) -> str:
    return f"infolijn-call-{call.pk}"


def _caller_id(call: Call) -> str:
    """The number our calls come from: the number the call came in on (or the queue's)."""
    if call.number_id:
        return call.number.number
    number = call.queue.twilio_numbers.filter(is_active=True, handles_calls=True).first()
    return number.number if number else call.to_number


def _leg_failed(leg: CallLeg, error: Exception) -> None:
    detail = f"{getattr(error, 'code', '') or ''} {getattr(error, 'msg', '') or error}".strip()
    log.warning("Twilio refused a call to leg %s: %s", leg.pk, detail)
    CallLeg.objects.filter(pk=leg.pk).update(
        status=LegStatus.FAILED, detail=detail[:255], ended_at=clock.now()
    )


def dial_leg(leg: CallLeg) -> None:
    """Place the REST call of a staff leg (our TwiML runs when they pick up)."""
    call = leg.call
    try:
        created = rest_client().calls.create(
            to=leg.to_number,
            from_=_caller_id(call),
            url=public_url("voice_leg", leg.pk),
            status_callback=public_url("voice_leg_status", leg.pk),
            status_callback_event=LEG_EVENTS,
            timeout=_ring_seconds(),
        )
    except (TwilioRestException, TwilioException, OSError) as error:
        _leg_failed(leg, error)
        return
    CallLeg.objects.filter(pk=leg.pk).update(call_sid=created.sid)


def dial_participant(leg: CallLeg) -> None:
    """Add the requester (a call back) or an interpreter to the leg's conference."""
    call = leg.call
    requester = leg.kind == LegKind.REQUESTER
    try:
        participant = (
            rest_client()
            .conferences(call.conference_name)
            .participants.create(
                from_=_caller_id(call),
                to=leg.to_number,
                label=f"{leg.kind}-{leg.pk}",
                status_callback=public_url("voice_leg_status", leg.pk),
                status_callback_event=LEG_EVENTS,
                timeout=30,
                early_media=True,
                # When the requester hangs up the conversation is over; an interpreter may leave.
                end_conference_on_exit=requester,
                beep="false",
            )
        )
    except (TwilioRestException, TwilioException, OSError) as error:
        _leg_failed(leg, error)
        if requester:
            Call.objects.filter(pk=call.pk, result="").update(
                result=CallResult.FAILED, state=CallState.ENDED, ended_at=clock.now()
            )
        return
    CallLeg.objects.filter(pk=leg.pk).update(call_sid=participant.call_sid)
    if requester:
        Call.objects.filter(pk=call.pk, call_sid__isnull=True).update(call_sid=participant.call_sid)


def _ring_seconds() -> int:
    return settings.TWILIO_AGENT_RING_SECONDS


def ring_agents(call_id: int) -> list[CallLeg]:
    """Ring every available staff member for a waiting caller (those already ringing or talking
    are left alone, so running this twice rings nobody twice)."""
    with transaction.atomic():
        call = (
            Call.objects.select_for_update(of=("self",))
            .select_related("queue", "language", "number")
            .get(pk=call_id)
        )
        if call.state != CallState.QUEUED:
            return []
        now = clock.now()
        legs = [
            CallLeg.objects.create(
                call=call,
                kind=LegKind.AGENT,
                user=agent.user,
                to_number=agent.phone,
                created_at=now,
            )
            for agent in agents_to_ring(call.queue, call.language)
        ]
    for leg in legs:
        dial_leg(leg)
    return legs


@transaction.atomic
def agent_accept(*, leg: CallLeg) -> Call | None:
    """A staff member pressed 1: give them the longest-waiting caller of the route they were rung
    for, or None when every such caller was taken or hung up."""
    leg = (
        CallLeg.objects.select_for_update(of=("self",))
        .select_related("call", "user")
        .get(pk=leg.pk)
    )
    if leg.accepted_at:  # Twilio retried the webhook
        return leg.call if leg.call.answered_by_id == leg.user_id else None
    route = leg.call
    skip_locked = connection.features.has_select_for_update_skip_locked
    call = (
        Call.objects.select_for_update(skip_locked=skip_locked)
        .filter(state=CallState.QUEUED, queue_id=route.queue_id, language_id=route.language_id)
        .order_by("enqueued_at", "id")
        .first()
    )
    now = clock.now()
    leg.accepted_at = now
    if call is None:
        leg.detail = "taken"
        leg.save(update_fields=["accepted_at", "detail"])
        return None
    call.state, call.answered_by = CallState.CONNECTING, leg.user
    call.conference_name = conference_name(call)
    call.save(update_fields=["state", "answered_by", "conference_name"])
    leg.call = call
    leg.save(update_fields=["accepted_at", "call"])
    enqueue_on_commit(_tasks().connect_caller, call.pk)
    enqueue_on_commit(_tasks().cancel_agent_legs, call.pk, leg.pk)
    return call


def connect_caller(call_id: int) -> None:
    """Take the claimed caller out of the queue into the conference (Twilio fetches our join URL)."""
    call = Call.objects.get(pk=call_id)
    if call.state != CallState.CONNECTING:
        return
    try:
        rest_client().calls(call.call_sid).update(url=public_url("voice_join"), method="POST")
    except (TwilioRestException, TwilioException, OSError) as error:
        # Most often the caller hung up a moment ago; their status callback ends the call.
        log.info("Could not connect caller of call %s: %s", call.pk, error)
        for leg in call.legs.filter(kind=LegKind.AGENT, accepted_at__isnull=False):
            _tasks().leg_release.enqueue(leg.pk)


@transaction.atomic
def caller_joined(*, call: Call) -> Call:
    """The caller arrived in the conference: answered, and how long they waited."""
    call = Call.objects.select_for_update(of=("self",)).select_related("queue").get(pk=call.pk)
    if call.state == CallState.CONNECTING:
        now = clock.now()
        call.state, call.result, call.answered_at = CallState.CONNECTED, CallResult.ANSWERED, now
        if call.queue_seconds is None and call.enqueued_at:
            call.queue_seconds = int((now - call.enqueued_at).total_seconds())
        call.save(update_fields=["state", "result", "answered_at", "queue_seconds"])
    return call


def cancel_agent_legs(call_id: int, keep_leg_id: int) -> None:
    """Stop the other phones ringing for this caller, unless more callers of the route wait."""
    call = Call.objects.get(pk=call_id)
    if Call.objects.filter(
        state=CallState.QUEUED, queue_id=call.queue_id, language_id=call.language_id
    ).exists():
        return
    live = CallLeg.objects.filter(
        kind=LegKind.AGENT,
        accepted_at__isnull=True,
        status__in=LIVE_LEG_STATUSES,
        call_sid__isnull=False,
    ).exclude(pk=keep_leg_id)
    same_route = Call.objects.filter(
        pk__in=list(live.values_list("call_id", flat=True)),
        queue_id=call.queue_id,
        language_id=call.language_id,
    ).values_list("pk", flat=True)
    legs = live.filter(call_id__in=list(same_route))
    for leg in legs:
        status = "completed" if leg.status == LegStatus.IN_PROGRESS else "canceled"
        try:
            rest_client().calls(leg.call_sid).update(status=status)
        except (TwilioRestException, TwilioException, OSError) as error:
            log.info("Could not stop leg %s ringing: %s", leg.pk, error)
            continue
        # Twilio's status callback will say the same; until it does, they are free again.
        CallLeg.objects.filter(pk=leg.pk, status__in=LIVE_LEG_STATUSES).update(
            status=status, ended_at=clock.now()
        )


def leg_release(leg_id: int) -> None:
    """Tell a staff member on the line that the caller is gone, and hang up."""
    leg = CallLeg.objects.select_related("user").get(pk=leg_id)
    if not leg.call_sid:
        return
    from ..twiml import staff_message

    try:
        text = gettext_noop("The caller has hung up. Thank you.")
        rest_client().calls(leg.call_sid).update(twiml=staff_message(leg.user, text))
    except (TwilioRestException, TwilioException, OSError) as error:
        log.info("Could not release leg %s: %s", leg.pk, error)


_RANK = {
    status: rank
    for rank, status in enumerate(
        [
            "initiated",
            "queued",
            "ringing",
            "in-progress",
            "completed",
            "busy",
            "no-answer",
            "failed",
            "canceled",
        ]
    )
}


@transaction.atomic
def leg_status(*, leg: CallLeg, status: str, duration: int | None = None) -> CallLeg:
    """Twilio's news about a leg. A final status is final (callbacks can arrive out of order).
    The requester's leg of a call back decides how that call ended."""
    leg = CallLeg.objects.select_for_update(of=("self",)).select_related("call").get(pk=leg.pk)
    if (
        status not in _RANK
        or leg.status in FINAL_LEG_STATUSES
        or _RANK[status] <= _RANK[leg.status]
    ):
        return leg
    now = clock.now()
    leg.status = status
    fields = ["status"]
    if status in FINAL_LEG_STATUSES:
        leg.ended_at = now
        fields.append("ended_at")
    leg.save(update_fields=fields)
    if leg.kind == LegKind.REQUESTER:
        _requester_leg_changed(leg, status, duration, now)
    elif leg.kind == LegKind.STAFF and status in FINAL_LEG_STATUSES and not leg.accepted_at:
        Call.objects.filter(pk=leg.call_id, result="").update(
            result=CallResult.FAILED, state=CallState.ENDED, ended_at=now
        )
    return leg


def _requester_leg_changed(leg: CallLeg, status: str, duration, now) -> None:
    call = Call.objects.select_for_update().get(pk=leg.call_id)
    if status == LegStatus.IN_PROGRESS and call.answered_at is None:
        call.answered_at, call.state, call.result = now, CallState.CONNECTED, CallResult.ANSWERED
        call.save(update_fields=["answered_at", "state", "result"])
    elif status in FINAL_LEG_STATUSES:
        if not call.result:
            call.result = CallResult.NO_ANSWER if status != LegStatus.FAILED else CallResult.FAILED
        call.state, call.ended_at = CallState.ENDED, call.ended_at or now
        if duration is not None:
            call.duration_seconds = duration
        call.save(update_fields=["result", "state", "ended_at", "duration_seconds"])
