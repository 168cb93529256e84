"""Read a queue's IMAP mailbox: fetch without marking seen, store and commit, then move.

The order is the guarantee. A message is fetched with BODY.PEEK[] (the server's "seen" flag does
not change), stored raw and committed; only then is it moved to the processed folder. A crash
before the move leaves it in the inbox: the next poll finds it stored already (same dedupe key)
and only moves it. Nothing is deleted on the server.
"""

import logging
import ssl
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from imap_tools import BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted, MailMessage

from .inbound import inbound_store
from .models import Mailbox, Origin, Security

log = logging.getLogger(__name__)


class RawMessage(MailMessage):
    """imap-tools' message, keeping the exact bytes the server sent (and not parsing them)."""

    def __init__(self, fetch_data: list) -> None:
        raw, uid_data, flag_data = self._get_message_data_parts(fetch_data)
        self._raw_uid_data = uid_data
        self._raw_flag_data = flag_data
        self.raw = raw


@dataclass
class PollResult:
    fetched: int = 0
    stored: int = 0
    duplicates: int = 0
    moved: int = 0
    error: str = ""


def connect(mailbox: Mailbox) -> BaseMailBox:
    timeout = settings.EMAIL_IMAP_TIMEOUT_SECONDS
    if mailbox.security == Security.TLS:
        client = MailBox(
            mailbox.host, mailbox.port, timeout=timeout, ssl_context=ssl.create_default_context()
        )
    elif mailbox.security == Security.STARTTLS:
        client = MailBoxStartTls(
            mailbox.host, mailbox.port, timeout=timeout, ssl_context=ssl.create_default_context()
        )
    else:
        client = MailBoxUnencrypted(mailbox.host, mailbox.port, timeout=timeout)
    client.email_message_class = RawMessage
    return client.login(mailbox.username, mailbox.password(), initial_folder=mailbox.folder)


def _claim(mailbox_id: int) -> Mailbox | None:
    """Lease the mailbox to this poller; None when another one holds it."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.EMAIL_POLL_LEASE_SECONDS)
    claimed = (
        Mailbox.objects.filter(pk=mailbox_id, is_active=True)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=lease)
    )
    return Mailbox.objects.select_related("queue").get(pk=mailbox_id) if claimed else None


def _renew(mailbox: Mailbox):
    """Keep the lease while working through a large mailbox. It is short, so that after a
    poller dies the next one takes over within minutes."""
    lease = timezone.now() + timedelta(seconds=settings.EMAIL_POLL_LEASE_SECONDS)
    Mailbox.objects.filter(pk=mailbox.pk).update(lease_until=lease)


def move_processed(client: BaseMailBox, uids: list[str], folder: str):
    """Move what is safely stored out of the inbox (MOVE where the server has it)."""
    if uids:
        client.move(uids, folder, chunks=100)


def poll_mailbox(mailbox_id: int, *, batch: int = 25) -> PollResult:
    result = PollResult()
    mailbox = _claim(mailbox_id)
    if mailbox is None:
        return result
    try:
        with connect(mailbox) as client:
            if not client.folder.exists(mailbox.processed_folder):
                client.folder.create(mailbox.processed_folder)
            uids = client.uids("ALL")
            for start in range(0, len(uids), batch):
                chunk = uids[start : start + batch]
                done = []
                for message in client.fetch(uid_list=chunk, mark_seen=False, bulk=batch):
                    result.fetched += 1
                    _inbound, created = inbound_store(
                        message.raw,
                        origin=Origin.IMAP,
                        queue=mailbox.queue,
                        mailbox=mailbox,
                        imap_uid=message.uid or "",
                        origin_detail=mailbox.folder,
                    )
                    result.stored += created
                    result.duplicates += not created
                    done.append(message.uid)
                # Every message of the chunk is committed: now, and only now, move them.
                move_processed(client, [uid for uid in done if uid], mailbox.processed_folder)
                result.moved += len(done)
                _renew(mailbox)
    except Exception as error:  # recorded on the mailbox for the administrator
        log.warning("Polling %s failed: %s", mailbox, error)
        result.error = f"{type(error).__name__}: {error}"
    finally:
        now = timezone.now()
        fields = {"lease_until": None, "last_polled_at": now}
        if result.error:
            fields |= {"last_error": result.error[:2000], "last_error_at": now}
        else:
            fields |= {"last_error": ""}
        Mailbox.objects.filter(pk=mailbox.pk).update(**fields)
    return result
