"""Background work of the phone and messaging channel. Each task takes ids and is idempotent;
the work itself lives in the services."""

from datetime import timedelta

from django.tasks import task

from config.tasks import periodic
from helpdesk.services import clock

from .models import CallLeg, InboundMessage, InboundStatus
from .services import messaging, recordings, routing, sending


@task
def ring_agents(call_id: int):
    routing.ring_agents(call_id)


@task
def connect_caller(call_id: int):
    routing.connect_caller(call_id)


@task
def cancel_agent_legs(call_id: int, keep_leg_id: int):
    routing.cancel_agent_legs(call_id, keep_leg_id)


@task
def leg_release(leg_id: int):
    routing.leg_release(leg_id)


@task
def dial_leg(leg_id: int):
    leg = CallLeg.objects.select_related("call__number", "call__queue").get(pk=leg_id)
    if leg.call_sid is None and leg.status == "initiated":
        routing.dial_leg(leg)


@task
def dial_participant(leg_id: int):
    leg = CallLeg.objects.select_related("call__number", "call__queue").get(pk=leg_id)
    if leg.call_sid is None and leg.status == "initiated":
        routing.dial_participant(leg)


@task
def inbound_process(inbound_id: int, attempt: int = 1):
    messaging.inbound_message_process(inbound_id, attempt)


@task
def media_delete_at_twilio(inbound_id: int):
    messaging.media_delete_at_twilio(inbound_id)


@task
def message_send(message_id: int, attempt: int = 1):
    return sending.message_send(message_id, attempt)


@task
def recording_download(recording_id: int, attempt: int = 1):
    recordings.recording_download(recording_id, attempt)


@task
def recording_delete_at_twilio(recording_sid: str):
    recordings.recording_delete_at_twilio(recording_sid)


@task
def expire_recordings():
    """Delete recordings older than TWILIO_RECORDING_RETENTION_DAYS."""
    return recordings.recordings_expire()


@task
def catch_up():
    """Finish what a lost webhook or a crashed worker left: recordings not downloaded, messages
    not yet on a ticket."""
    stale = clock.now() - timedelta(minutes=5)
    for inbound in InboundMessage.objects.filter(
        status=InboundStatus.RECEIVED, received_at__lt=stale, attempts__lt=messaging.MAX_ATTEMPTS
    ):
        inbound_process.enqueue(inbound.pk, inbound.attempts + 1)
    return recordings.recordings_catch_up()


periodic("twilio.expire_recordings", expire_recordings, every=timedelta(hours=1))
periodic("twilio.catch_up", catch_up, every=timedelta(minutes=10))
