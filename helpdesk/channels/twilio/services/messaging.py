"""Incoming SMS and WhatsApp messages.

The webhook only stores what Twilio sent (one row per MessageSid, so a retry is a no-op) and
enqueues the processing; the task downloads the media, then puts the message on the requester's
open ticket or a new one, with the files that pass the attachment rules and a note of those that
did not.
"""

import logging
import mimetypes
from urllib.parse import urlparse

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from twilio.base.exceptions import TwilioException, TwilioRestException

from config.tasks import enqueue_on_commit, retry_later
from helpdesk.models import Channel
from helpdesk.services import clock
from helpdesk.services.attachments import IncomingFile, partition_files

from ..client import DownloadError, download, rest_client
from ..models import InboundMessage, InboundStatus, PhoneNumber
from .intake import caller_number, contact_for, intake

log = logging.getLogger(__name__)

MAX_MEDIA = 10
MAX_ATTEMPTS = 5
# WhatsApp and MMS types, and the extension we store them under (the attachment rules decide
# by extension).
MEDIA_EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/heic": ".heic",
    "audio/ogg": ".ogg",
    "audio/mpeg": ".mp3",
    "audio/amr": ".amr",
    "audio/mp4": ".m4a",
    "audio/aac": ".m4a",
    "video/mp4": ".mp4",
    "application/pdf": ".pdf",
    "text/plain": ".txt",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
}


def _tasks():
    from .. import tasks

    return tasks


def channel_of(sender: str) -> str:
    return Channel.WHATSAPP if sender.startswith("whatsapp:") else Channel.SMS


def inbound_message_record(params) -> InboundMessage | None:
    """Keep what Twilio sent and enqueue its processing; None when Twilio sent it before."""
    sid = params.get("MessageSid") or params.get("SmsSid") or ""
    sender = params.get("From", "")
    count = min(_int(params.get("NumMedia")), MAX_MEDIA)
    payload = {
        "from": sender,
        "to": params.get("To", ""),
        "body": params.get("Body", ""),
        "media": [
            {
                "url": params.get(f"MediaUrl{i}", ""),
                "content_type": params.get(f"MediaContentType{i}", ""),
            }
            for i in range(count)
            if params.get(f"MediaUrl{i}")
        ],
    }
    try:
        with transaction.atomic():
            inbound = InboundMessage.objects.create(
                message_sid=sid,
                channel=channel_of(sender),
                payload=payload,
                received_at=clock.now(),
            )
            enqueue_on_commit(_tasks().inbound_process, inbound.pk)
    except IntegrityError:
        return None
    return inbound


def _int(value) -> int:
    try:
        return max(int(value or 0), 0)
    except (TypeError, ValueError):
        return 0


def _media_name(channel: str, index: int, content_type: str) -> str:
    extension = MEDIA_EXTENSIONS.get(content_type) or mimetypes.guess_extension(content_type) or ""
    return f"{channel}-{index}{extension}"


def _download_media(inbound: InboundMessage) -> tuple[list[IncomingFile], int]:
    files, failed = [], 0
    for index, media in enumerate(inbound.payload.get("media", []), start=1):
        try:
            content, content_type = download(media["url"])
        except DownloadError as error:
            log.warning("Media %s of %s not downloaded: %s", index, inbound.message_sid, error)
            failed += 1
            continue
        content_type = (content_type or media.get("content_type", "")).split(";")[0].strip()
        files.append(
            IncomingFile(_media_name(inbound.channel, index, content_type), content, content_type)
        )
    return files, failed


def inbound_message_process(inbound_id: int, attempt: int = 1) -> InboundMessage:
    """Put a received message on a ticket (idempotent: a processed message is left alone)."""
    inbound = InboundMessage.objects.get(pk=inbound_id)
    if inbound.status == InboundStatus.DONE:
        return inbound
    number = _our_number(inbound)
    if number is None:
        inbound.status = InboundStatus.FAILED
        inbound.error = _("No active number is set up for %(to)s.") % {
            "to": inbound.payload.get("to", "?")
        }
        inbound.save(update_fields=["status", "error"])
        log.error("Message %s to an unknown number: %s", inbound.message_sid, inbound.error)
        return inbound
    # Downloads happen outside the transaction: never hold the database while the network works.
    files, failed = _download_media(inbound)
    if failed and retry_later(
        _tasks().inbound_process, inbound_id, attempt=attempt, max_attempts=MAX_ATTEMPTS
    ):
        InboundMessage.objects.filter(pk=inbound_id).update(attempts=attempt)
        return inbound
    with transaction.atomic():
        inbound = InboundMessage.objects.select_for_update().get(pk=inbound_id)
        if inbound.status == InboundStatus.DONE:
            return inbound
        _put_on_ticket(inbound, number, files, failed)
    return inbound


def _our_number(inbound: InboundMessage) -> PhoneNumber | None:
    number = caller_number(inbound.payload.get("to", ""))
    found = PhoneNumber.objects.select_related("queue").filter(
        number=number, is_active=True, queue__is_active=True
    )
    if inbound.channel == Channel.WHATSAPP:
        return found.filter(handles_whatsapp=True).first()
    return found.filter(handles_sms=True).first()


def _put_on_ticket(inbound: InboundMessage, number: PhoneNumber, files, failed: int) -> None:
    payload = inbound.payload
    accepted, refused = partition_files(files)
    sender = payload.get("from", "")
    phone = caller_number(sender)
    with translation.override(_site_language()):
        notes = [_("File not kept: %(reason)s") % {"reason": reason} for reason in refused]
        if failed:
            notes.append(
                _("%(count)s file(s) could not be downloaded from Twilio.") % {"count": failed}
            )
        if not phone and sender:
            notes.append(_("Sent from %(sender)s.") % {"sender": sender.removeprefix("whatsapp:")})
        body = payload.get("body", "").strip()
        if not body and not accepted:
            body = _("(empty message)")
    if notes:
        body = "\n\n".join(filter(None, [body, "\n".join(f"[{note}]" for note in notes)]))
    _ticket, message = intake(
        queue=number.queue,
        channel=inbound.channel,
        contact=contact_for(phone),
        body=body,
        external_id=inbound.message_sid,
        source=inbound,
        attachments=accepted,
    )
    media_sids = [urlparse(m["url"]).path.rsplit("/", 1)[-1] for m in payload.get("media", [])]
    inbound.status, inbound.message, inbound.processed_at = InboundStatus.DONE, message, clock.now()
    inbound.error = ""
    # The message is on the ticket now: keep no second copy of what the person wrote.
    inbound.payload = {"to": payload.get("to", ""), "media_sids": media_sids}
    inbound.save(update_fields=["status", "message", "processed_at", "error", "payload"])
    if media_sids and settings.TWILIO_DELETE_AT_TWILIO:
        enqueue_on_commit(_tasks().media_delete_at_twilio, inbound.pk)


def _site_language() -> str:
    return settings.LANGUAGE_CODE


def media_delete_at_twilio(inbound_id: int) -> None:
    """Delete the media at Twilio once they are attachments here (they stay in one place)."""
    inbound = InboundMessage.objects.get(pk=inbound_id)
    for media_sid in inbound.payload.get("media_sids", []):
        try:
            rest_client().messages(inbound.message_sid).media(media_sid).delete()
        except TwilioRestException as error:
            if error.status != 404:
                log.warning("Media %s not deleted at Twilio: %s", media_sid, error)
        except (TwilioException, OSError) as error:
            log.warning("Media %s not deleted at Twilio: %s", media_sid, error)


def inbound_messages_forget(*, before) -> int:
    """For the retention rules: clear what is still kept of messages received before `before`
    (the text and media addresses of those that could not be put on a ticket)."""
    return (
        InboundMessage.objects.filter(received_at__lt=before).exclude(payload={}).update(payload={})
    )
