"""Exports: the aggregated tables (CSV, XLSX) and one pseudonymised row per ticket (CSV, XLSX).

Per-ticket rows carry codes and timestamps only: no reference, name, address, number or text.
The ticket column is a keyed hash of the ticket's id (stable between exports, so two exports can
be compared, but not reversible without the server's secret key).

Both ticket exports stream: rows are read in pages of PAGE_SIZE by (created_at, id) and written
as they come, so memory stays flat for a million rows. CSV goes straight to the client; XLSX is
assembled by openpyxl's write-only mode in a temporary file (a zip cannot be sent before it is
finished) and then streamed from disk.
"""

import csv
import tempfile
from collections.abc import Iterator
from datetime import datetime

from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from helpdesk.models import (
    Language,
    Outcome,
    Queue,
    ReferralOrganisation,
    RequesterType,
    TicketTopic,
    Topic,
)

from .sections import Computed, Scope, Table
from .selectors.tickets import NONE, counted_tickets

PAGE_SIZE = 2000
XLSX_MAX_ROWS = 1_048_575  # Excel's limit, less the heading row

TICKET_COLUMNS = [
    "ticket",
    "queue",
    "channel",
    "language",
    "requester_type",
    "topics",
    "is_question",
    "outcome",
    "referral",
    "policy_signal",
    "status",
    "reopen_count",
    "created_at",
    "created_month",
    "first_response_at",
    "answered_at",
    "closed_at",
    "first_response_seconds",
    "first_response_open_seconds",
    "resolution_seconds",
    "resolution_open_seconds",
]


def pseudonym(ticket_id: int) -> str:
    return salted_hmac(
        "helpdesk.stats.export.ticket", str(ticket_id), algorithm="sha256"
    ).hexdigest()[:16]


def safe_cell(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _local(at: datetime | None) -> datetime | None:
    return None if at is None else timezone.localtime(at).replace(microsecond=0)


def _iso(at: datetime | None) -> str:
    return "" if at is None else _local(at).isoformat()


def _seconds(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return int(end.timestamp()) - int(start.timestamp())  # whole seconds, as the database does


def ticket_rows(scope: Scope) -> Iterator[dict]:
    """Every counted ticket of the scope as a dict of codes and timestamps, in creation order."""
    codes = {
        "queue": dict(Queue.objects.values_list("pk", "slug")),
        "requester_type": dict(RequesterType.objects.values_list("pk", "code")),
        "outcome": dict(Outcome.objects.values_list("pk", "code")),
        "referral": dict(ReferralOrganisation.objects.values_list("pk", "code")),
        "topic": dict(Topic.objects.values_list("pk", "code")),
        "language": set(Language.objects.values_list("pk", flat=True)),
    }
    non_question_topics = set(Topic.objects.filter(is_question=False).values_list("pk", flat=True))
    fields = [
        "id",
        "queue_id",
        "channel",
        "language_id",
        "requester_type_id",
        "outcome_id",
        "referral_id",
        "policy_signal",
        "status",
        "reopen_count",
        "created_at",
        "first_response_at",
        "answered_at",
        "closed_at",
        "first_response_open_seconds",
        "resolution_open_seconds",
    ]
    tickets = counted_tickets(scope)
    last = None
    while True:
        page = tickets
        if last is not None:
            # Keyset paging: each page starts where the last one ended (no OFFSET scans).
            page = page.filter(created_at__gte=last[0]).exclude(created_at=last[0], id__lte=last[1])
        page = list(page.order_by("created_at", "id").values(*fields)[:PAGE_SIZE])
        if not page:
            return
        topics: dict[int, list[int]] = {}
        for ticket_id, topic_id in TicketTopic.objects.filter(
            ticket_id__in=[t["id"] for t in page]
        ).values_list("ticket_id", "topic_id"):
            topics.setdefault(ticket_id, []).append(topic_id)
        for t in page:
            mine = topics.get(t["id"], [])
            yield {
                "ticket": pseudonym(t["id"]),
                "queue": codes["queue"].get(t["queue_id"], ""),
                "channel": t["channel"],
                "language": t["language_id"] or NONE,
                "requester_type": codes["requester_type"].get(t["requester_type_id"], NONE),
                "topics": " ".join(sorted(codes["topic"][pk] for pk in mine)),
                "is_question": int(not (mine and all(pk in non_question_topics for pk in mine))),
                "outcome": codes["outcome"].get(t["outcome_id"], NONE),
                "referral": codes["referral"].get(t["referral_id"], ""),
                "policy_signal": int(t["policy_signal"]),
                "status": t["status"],
                "reopen_count": t["reopen_count"],
                "created_at": t["created_at"],
                "created_month": f"{_local(t['created_at']):%Y-%m}",
                "first_response_at": t["first_response_at"],
                "answered_at": t["answered_at"],
                "closed_at": t["closed_at"],
                "first_response_seconds": _seconds(t["created_at"], t["first_response_at"]),
                "first_response_open_seconds": t["first_response_open_seconds"],
                "resolution_seconds": _seconds(t["created_at"], t["closed_at"]),
                "resolution_open_seconds": t["resolution_open_seconds"],
            }
        last = (page[-1]["created_at"], page[-1]["id"])


_TIMESTAMPS = {"created_at", "first_response_at", "answered_at", "closed_at"}


class _Echo:
    def write(self, value):
        return value


def tickets_csv(scope: Scope) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a BOM, so spreadsheet programs read the file as UTF-8
    yield writer.writerow(TICKET_COLUMNS)
    for row in ticket_rows(scope):
        yield writer.writerow(
            [
                _iso(row[c]) if c in _TIMESTAMPS else ("" if row[c] is None else row[c])
                for c in TICKET_COLUMNS
            ]
        )


def tickets_xlsx(scope: Scope):
    """A temporary file holding the workbook (write-only mode: memory stays flat)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Tickets")[:31])
    sheet.append(TICKET_COLUMNS)
    for row in ticket_rows(scope):
        sheet.append(
            [
                _local(row[c]).replace(tzinfo=None) if c in _TIMESTAMPS and row[c] else row[c]
                for c in TICKET_COLUMNS
            ]
        )
    _about_sheet(book, scope)
    return _saved(book)


def _saved(book):
    # Closed by the FileResponse that streams it (and deleted by the OS when closed).
    # Closed by the FileResponse that streams it (and deleted by the OS when closed).
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115  # noqa: SIM115
    book.save(handle)
    handle.seek(0)
    return handle


def _about_sheet(book, scope: Scope, tables: list[Table] | None = None):
    about = book.create_sheet(_("About")[:31])
    about.append([_("Period"), str(scope.period.start), str(scope.period.end)])
    about.append([_("Queue"), scope.queue.slug if scope.queue else _("All queues")])
    about.append([_("Exported at"), timezone.localtime().replace(microsecond=0).isoformat()])
    about.append([_("Time zone"), str(timezone.get_default_timezone())])
    about.append(
        [
            _("Counted"),
            _(
                "Tickets created in the period (local time); tickets merged into another are "
                "left out. Times are local; durations are whole seconds."
            ),
        ]
    )


def table_rows(computed: list[Computed]) -> Iterator[list]:
    """All tables in one long CSV: section, table, row code, row label, column, value."""
    for c in computed:
        for table in c.tables:
            for index, row in enumerate(table.rows):
                code = table.codes[index] if table.codes else ""
                for column, value in zip(table.columns[1:], row[1:], strict=False):
                    yield [c.section.key, table.key, code, row[0], column, value]


TABLE_COLUMNS = ["section", "table", "code", "label", "column", "value"]


def tables_csv(computed: list[Computed]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(TABLE_COLUMNS)
    for row in table_rows(computed):
        yield writer.writerow([safe_cell("" if v is None else v) for v in row])


def tables_xlsx(computed: list[Computed], scope: Scope):
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    _about_sheet(book, scope)
    used = set()
    for c in computed:
        for table in c.tables:
            name = _sheet_name(table.key, used)
            sheet = book.create_sheet(name)
            sheet.append([safe_cell(str(table.title))])
            sheet.append([_("code"), *[safe_cell(str(col)) for col in table.columns]])
            for index, row in enumerate(table.rows):
                code = table.codes[index] if table.codes else ""
                sheet.append([code, *[safe_cell(str(v)) if isinstance(v, str) else v for v in row]])
    return _saved(book)


def _sheet_name(key: str, used: set) -> str:
    name = key[:31]
    n = 2
    while name in used:
        name = f"{key[:28]}_{n}"
        n += 1
    used.add(name)
    return name


def table_row_count(computed: list[Computed]) -> int:
    return sum(len(t.rows) for c in computed for t in c.tables)
