"""Archives brought in from a shared mailbox: .eml files, mbox files and Maildir folders.

Every message goes through the same path as polled mail (stored raw, then processed), in the
order it was written, so replies find the question they answer. An archive is never
acknowledged: these people wrote long ago.
"""

import mailbox
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import parsedate_to_datetime
from pathlib import Path

from .inbound import inbound_process, inbound_store
from .models import InboundOutcome, InboundStatus, Origin

NO_DATE = datetime.max.replace(tzinfo=UTC)


@dataclass
class Source:
    """One message of an archive: where it is, and how to read it (read lazily)."""

    label: str
    read: callable


def _is_maildir(path: Path) -> bool:
    return path.is_dir() and all((path / sub).is_dir() for sub in ("cur", "new", "tmp"))


def _is_mbox(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


class ArchiveError(Exception):
    pass


def sources(paths: list[str]) -> Iterator[Source]:
    """Every message under `paths`: Maildirs (and their sub-folders), mbox files, .eml files."""
    for name in paths:
        path = Path(name)
        if not path.exists():
            raise ArchiveError(f"{name}: no such file or folder")
        yield from _sources(path)


def _sources(path: Path) -> Iterator[Source]:
    if _is_maildir(path):
        box = mailbox.Maildir(path, factory=None, create=False)
        for key in sorted(box.iterkeys()):
            yield Source(f"{path}:{key}", lambda box=box, key=key: box.get_bytes(key))
        for folder in sorted(box.list_folders()):  # Maildir++ sub-folders (.Sent, .Archive)
            yield from _sources(path / f".{folder}")
    elif path.is_dir():
        for child in sorted(path.iterdir()):
            if (
                _is_maildir(child)
                or child.is_dir()
                or child.suffix.lower() in (".eml", ".mbox", ".msg", ".txt")
                or _is_mbox(child)
            ):
                yield from _sources(child)
    elif _is_mbox(path):
        box = mailbox.mbox(path, factory=None, create=False)
        for index, key in enumerate(box.iterkeys()):
            yield Source(f"{path}#{index + 1}", lambda box=box, key=key: box.get_bytes(key))
    else:
        yield Source(str(path), path.read_bytes)


def _date(raw: bytes) -> datetime:
    end = raw.find(b"\n\n")
    headers = BytesHeaderParser(policy=compat32).parsebytes(raw[: end if end > 0 else 65536])
    try:
        value = parsedate_to_datetime(str(headers.get("Date", "")))
    except (TypeError, ValueError, IndexError, OverflowError):
        return NO_DATE
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass
class ImportSummary:
    imported: int = 0  # new tickets
    threaded: int = 0  # replies (and automatic replies) on a ticket
    duplicates: int = 0  # stored before: nothing done
    rejected: int = 0
    failed: int = 0
    other: int = 0  # bounces recorded on the mail they are about
    reasons: Counter = field(default_factory=Counter)
    unreadable: list[str] = field(default_factory=list)


def import_archive(
    paths: list[str], *, queue, progress=lambda iterable, **kw: iterable
) -> ImportSummary:
    """Store every message, then process the new ones oldest first; returns what happened."""
    summary = ImportSummary()
    stored: list[tuple[datetime, int]] = []
    seen: set[int] = set()
    for source in progress(sources(paths), desc="storing", unit="msg"):
        try:
            raw = source.read()
        except OSError as error:
            summary.unreadable.append(f"{source.label}: {error}")
            continue
        if not raw or not raw.strip():
            summary.unreadable.append(f"{source.label}: empty file")
            continue
        inbound, created = inbound_store(
            raw, origin=Origin.IMPORT, queue=queue, origin_detail=source.label, enqueue=False
        )
        if created or (inbound.status == InboundStatus.STORED and inbound.pk not in seen):
            # New, or stored by an earlier import that stopped halfway: process it now.
            stored.append((_date(raw), inbound.pk))
            seen.add(inbound.pk)
        else:
            summary.duplicates += 1
    stored.sort()
    for pk in progress([pk for _at, pk in stored], desc="processing", unit="msg"):
        inbound = inbound_process(pk)
        if inbound is None:
            continue
        if inbound.status == InboundStatus.PROCESSED:
            if inbound.outcome in (InboundOutcome.TICKET, InboundOutcome.RELATED):
                summary.imported += 1
            elif inbound.outcome in (InboundOutcome.REPLY, InboundOutcome.AUTO_REPLY):
                summary.threaded += 1
            else:
                summary.other += 1
        elif inbound.status == InboundStatus.REJECTED:
            summary.rejected += 1
            summary.reasons[inbound.reason] += 1
        elif inbound.status == InboundStatus.FAILED:
            summary.failed += 1
            summary.reasons[inbound.reason.split("\n", 1)[0]] += 1
    return summary
