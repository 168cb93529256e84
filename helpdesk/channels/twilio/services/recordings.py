"""Recordings: downloaded into our own storage, deleted at Twilio, deleted here after
TWILIO_RECORDING_RETENTION_DAYS (or earlier, from the ticket). The call record keeps when and by
whom a recording was deleted, never the recording."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from twilio.base.exceptions import TwilioException, TwilioRestException

from config.tasks import enqueue_on_commit, retry_later
from helpdesk.models import User
from helpdesk.selectors.access import queue_ids_for
from helpdesk.services import clock

from ..client import DownloadError, download, rest_client
from ..models import Call, Recording, RecordingStatus

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6


def _tasks():
    from .. import tasks

    return tasks


def recording_available(*, recording: Recording) -> None:
    """Twilio says the recording is ready: fetch it."""
    if recording.status != RecordingStatus.STORED:
        enqueue_on_commit(_tasks().recording_download, recording.pk)


def recording_download(recording_id: int, attempt: int = 1) -> Recording | None:
    """Copy the recording into our storage (idempotent), then have Twilio delete theirs."""
    recording = Recording.objects.filter(pk=recording_id).first()
    if recording is None or recording.status == RecordingStatus.STORED:
        return recording
    try:
        content, _type = download(recording.twilio_url, suffix=".mp3")
    except DownloadError as error:
        Recording.objects.filter(pk=recording_id).update(
            download_attempts=attempt, last_error=str(error)[:255]
        )
        if (
            not retry_later(
                _tasks().recording_download,
                recording_id,
                attempt=attempt,
                max_attempts=MAX_ATTEMPTS,
            )
            and attempt >= MAX_ATTEMPTS
        ):
            Recording.objects.filter(pk=recording_id).update(status=RecordingStatus.FAILED)
        log.warning("Recording %s not downloaded (attempt %s): %s", recording_id, attempt, error)
        return recording
    with transaction.atomic():
        recording = Recording.objects.select_for_update().filter(pk=recording_id).first()
        if recording is None or recording.status == RecordingStatus.STORED:
            return recording
        recording.file.save("recording.mp3", ContentFile(content), save=False)
        recording.size = len(content)
        recording.status, recording.stored_at = RecordingStatus.STORED, clock.now()
        recording.download_attempts, recording.last_error = attempt, ""
        recording.save()
        if settings.TWILIO_DELETE_AT_TWILIO:
            enqueue_on_commit(_tasks().recording_delete_at_twilio, recording.recording_sid)
    return recording


def recording_delete_at_twilio(recording_sid: str) -> None:
    try:
        rest_client().recordings(recording_sid).delete()
    except TwilioRestException as error:
        if error.status != 404:
            log.warning("Recording %s not deleted at Twilio: %s", recording_sid, error)
    except (TwilioException, OSError) as error:
        log.warning("Recording %s not deleted at Twilio: %s", recording_sid, error)


def recording_transcribed(*, recording: Recording, text: str) -> Recording:
    """Twilio's transcription (English only): kept with the recording and on the message, so
    it can be read and searched."""
    from helpdesk.models import Message

    text = text.strip()
    with transaction.atomic():
        recording = Recording.objects.select_for_update().get(pk=recording.pk)
        if not text or recording.transcription:
            return recording
        recording.transcription = text
        recording.save(update_fields=["transcription"])
        if recording.message_id:
            message = Message.objects.select_for_update().get(pk=recording.message_id)
            message.body = f"{message.body}\n\n{text}".strip()
            message.save(update_fields=["body"])
    return recording


def can_delete_recording(user: User, recording: Recording) -> bool:
    return recording.call.queue_id in queue_ids_for(user)


@transaction.atomic
def recording_delete(*, recording: Recording, actor: User | None = None) -> None:
    """Delete a recording and its file (from the ticket, or by the retention job: actor None).
    The file goes when the transaction commits; if we never downloaded it, Twilio's copy goes."""
    if actor is not None and not can_delete_recording(actor, recording):
        raise PermissionDenied
    recording = Recording.objects.select_for_update().filter(pk=recording.pk).first()
    if recording is None:
        return
    Call.objects.filter(pk=recording.call_id).update(
        recording_deleted_at=clock.now(), recording_deleted_by=actor
    )
    if recording.file:
        storage, name = recording.file.storage, recording.file.name
        transaction.on_commit(lambda: storage.delete(name))
    if recording.status != RecordingStatus.STORED:
        enqueue_on_commit(_tasks().recording_delete_at_twilio, recording.recording_sid)
    recording.delete()


def recordings_expire() -> int:
    """Delete every recording older than TWILIO_RECORDING_RETENTION_DAYS; return how many."""
    before = clock.now() - timedelta(days=settings.TWILIO_RECORDING_RETENTION_DAYS)
    count = 0
    for recording in Recording.objects.filter(created_at__lt=before).iterator():
        recording_delete(recording=recording)
        count += 1
    return count


def recordings_catch_up() -> int:
    """Download what Twilio's callback should have announced (a lost webhook, a failed task)."""
    stale = clock.now() - timedelta(minutes=5)
    pending = Recording.objects.filter(
        status=RecordingStatus.PENDING, created_at__lt=stale, download_attempts__lt=MAX_ATTEMPTS
    ).values_list("pk", flat=True)
    for pk in pending:
        _tasks().recording_download.enqueue(pk)
    return len(pending)


def calls_forget_numbers(*, before) -> int:
    """Remove the requesters' phone numbers from call records started before `before` (for the
    retention rules); the counted fields (language, times, result) stay."""
    from ..models import CallDirection, CallLeg, LegKind

    now = clock.now()
    calls = Call.objects.filter(started_at__lt=before, numbers_removed_at__isnull=True)
    CallLeg.objects.filter(call__in=calls, kind=LegKind.REQUESTER).update(to_number="")
    count = calls.filter(direction=CallDirection.INBOUND).update(
        from_number="", numbers_removed_at=now
    )
    count += calls.filter(direction=CallDirection.OUTBOUND).update(
        to_number="", numbers_removed_at=now
    )
    return count
