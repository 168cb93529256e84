"""The email channel's background work. Each task takes ids and is safe to run twice."""

from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from config.tasks import retry_later

from . import inbound, outbound, poller
from .models import InboundEmail, InboundStatus, Mailbox


@task
def process_inbound(inbound_id: int):
    inbound.inbound_process(inbound_id)


@task(queue_name="mail")
def poll_mailboxes():
    """Periodic: one poll task per active mailbox."""
    for mailbox_id in Mailbox.objects.filter(is_active=True).values_list("pk", flat=True):
        poll_mailbox.enqueue(mailbox_id)


@task(queue_name="mail")
def poll_mailbox(mailbox_id: int):
    result = poller.poll_mailbox(mailbox_id)
    return {"fetched": result.fetched, "stored": result.stored, "error": result.error}


@task(queue_name="mail")
def send_email(outbound_id: int, attempt: int = 1):
    def retry(current):
        return retry_later(
            send_email,
            outbound_id,
            attempt=current,
            max_attempts=settings.EMAIL_SEND_MAX_ATTEMPTS,
            base_delay=60,
        )

    state = outbound.outbound_send(outbound_id, attempt=attempt, retry=retry)
    return str(state) if state else None


@task(queue_name="mail")
def send_reply(message_id: int):
    """Deliver a staff answer (the outbound channel's `deliver` enqueues this)."""
    from helpdesk.models import Message

    message = (
        Message.objects.select_related("ticket__contact", "ticket__queue")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return None
    row = outbound.outbound_for_reply(message)
    return send_email.call(row.pk)


@task(queue_name="mail")
def acknowledge(ticket_id: int):
    row = outbound.acknowledgement_prepare(ticket_id)
    if row is not None:
        send_email.call(row.pk)


@task
def sweep_stored():
    """Periodic safety net: a stored message whose task was lost is processed now."""
    before = timezone.now() - timedelta(minutes=5)
    for pk in InboundEmail.objects.filter(
        status=InboundStatus.STORED, received_at__lt=before
    ).values_list("pk", flat=True)[:500]:
        process_inbound.enqueue(pk)


@task
def purge_raw():
    """Periodic: forget the raw bytes of processed mail after EMAIL_RAW_RETENTION_DAYS.

    The ticket keeps the text and files; the Message-ID and dedupe key stay, so a re-import of
    the same archive still finds every message already there.
    """
    if not settings.EMAIL_RAW_RETENTION_DAYS:
        return 0
    before = timezone.now() - timedelta(days=settings.EMAIL_RAW_RETENTION_DAYS)
    return InboundEmail.objects.filter(
        status=InboundStatus.PROCESSED, processed_at__lt=before, raw_purged_at__isnull=True
    ).update(raw=b"", raw_purged_at=timezone.now())
