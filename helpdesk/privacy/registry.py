"""What other apps hold about a ticket or a person, and how they erase, export and expire it.

The privacy app pseudonymises tickets, erases and exports a person's data and applies the
retention periods; the channel apps keep their own records (the raw email, the call record with
the caller's number, the voicemail recording). Each registers here, in its AppConfig.ready():

    from helpdesk.privacy import registry

    registry.register_eraser(
        "email.raw_messages",
        ticket=erase_raw_messages_of_ticket,    # (ticket) -> int: how many items were removed
        contact=erase_raw_messages_of_contact,  # (contact) -> int
    )
    registry.register_exporter(
        "email.raw_messages",
        contact=export_raw_messages_of_contact,  # (contact) -> ExportPart | None
    )
    registry.register_expiry("twilio.recordings", delete_old_recordings)  # (policy, *, dry_run) -> int

Contracts:
- An eraser runs inside the transaction that pseudonymises the ticket (or erases the person):
  change rows freely; delete files and remote copies (Twilio's) only after the commit, with
  `delete_file_on_commit()` or `transaction.on_commit`, so a rollback loses nothing. It must be
  idempotent: it may run again for a ticket it already cleaned. It runs before the core fields
  are cleared, so `message.source`, `message.external_id` and `ticket.contact` are still there.
  A ticket eraser removes what the app holds for that ticket; a contact eraser removes what the
  app holds that came from or identifies that person anywhere (their messages on other people's
  tickets, call records from their number without a ticket).
- An exporter returns an ExportPart: JSON-serialisable `data` (codes, texts, dates) and `files`
  (ExportFile, opened only while the archive is written). Return None when there is nothing.
- An expiry deletes what has a shorter life than the ticket (recordings) and returns how many
  items it removed (or, with dry_run, would remove). `policy.recording_cutoff(path)` is the
  moment before which a recording of a ticket (reached through `path`, e.g. "message__ticket__")
  must be gone, per the queue and channel rules:

      Recording.objects.alias(cutoff=policy.recording_cutoff("message__ticket__"))
          .filter(recorded_at__lt=F("cutoff"))
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.core.files.storage import Storage, default_storage
from django.db import transaction

if TYPE_CHECKING:
    from helpdesk.models import Contact, Ticket

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExportFile:
    """A file for the archive: `name` inside the channel's folder, `open` gives a binary stream."""

    name: str
    open: Callable[[], IO[bytes]]
    content_type: str = "application/octet-stream"


@dataclass
class ExportPart:
    data: Any
    files: list[ExportFile] = field(default_factory=list)


@dataclass(frozen=True)
class Eraser:
    name: str
    ticket: Callable[[Ticket], int] | None = None
    contact: Callable[[Contact], int] | None = None


@dataclass(frozen=True)
class Exporter:
    name: str
    ticket: Callable[[Ticket], ExportPart | None] | None = None
    contact: Callable[[Contact], ExportPart | None] | None = None


@dataclass(frozen=True)
class Expiry:
    name: str
    expire: Callable[..., int]


_ERASERS: dict[str, Eraser] = {}
_EXPORTERS: dict[str, Exporter] = {}
_EXPIRIES: dict[str, Expiry] = {}


def register_eraser(name: str, *, ticket=None, contact=None) -> None:
    """Register (or replace) what to erase when a ticket is pseudonymised or a person erased."""
    if ticket is None and contact is None:
        raise ValueError("An eraser needs a ticket or a contact function.")
    _ERASERS[name] = Eraser(name, ticket, contact)


def register_exporter(name: str, *, ticket=None, contact=None) -> None:
    """Register (or replace) what to add to a person's export (subject access request)."""
    if ticket is None and contact is None:
        raise ValueError("An exporter needs a ticket or a contact function.")
    _EXPORTERS[name] = Exporter(name, ticket, contact)


def register_expiry(name: str, expire: Callable[..., int]) -> None:
    """Register (or replace) a job deleting data with a shorter life: expire(policy, *, dry_run)."""
    _EXPIRIES[name] = Expiry(name, expire)


def unregister(name: str) -> None:
    for table in (_ERASERS, _EXPORTERS, _EXPIRIES):
        table.pop(name, None)


def erasers() -> list[Eraser]:
    return [_ERASERS[name] for name in sorted(_ERASERS)]


def exporters() -> list[Exporter]:
    return [_EXPORTERS[name] for name in sorted(_EXPORTERS)]


def expiries() -> list[Expiry]:
    return [_EXPIRIES[name] for name in sorted(_EXPIRIES)]


def delete_file_on_commit(name: str, storage: Storage | None = None) -> None:
    """Delete a stored file once the transaction commits (never for a rolled-back erasure)."""
    if not name:
        return
    storage = storage or default_storage

    def delete():
        try:
            storage.delete(name)
        except OSError:
            # Logged; apply_retention sweeps orphaned attachment files on its next run.
            log.exception("Could not delete %s", name)

    transaction.on_commit(delete)
