"""Privacy benchmarks: how fast retention pseudonymises, and whether the audit log stays fast
to write, to count login failures in and to search when it holds years of entries.

    DATABASE_URL=sqlite:////tmp/bench-privacy.sqlite3 .venv/bin/python bench/privacy.py
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_privacy .venv/bin/python bench/privacy.py

It creates (and on SQLite deletes) its own database; never point it at real data.
Options: --tickets N (closed tickets to pseudonymise, default 2000), --audit N (audit entries,
default 500000).
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")


def timed(function, repeat=1):
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        runs.append(time.perf_counter() - start)
    return result, runs


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--audit", type=int, default=500_000)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url or "bench" not in url:
        sys.exit("Set DATABASE_URL to a database whose name contains 'bench' (it is emptied).")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.client import RequestFactory
    from django.utils import timezone

    call_command("flush", interactive=False, verbosity=0) if _has_tables(connection) else None
    call_command("migrate", verbosity=0)

    from helpdesk.models import Channel, Contact, Message, Outcome, Queue, Status, Ticket
    from helpdesk.privacy.auth import login_wait_seconds
    from helpdesk.privacy.models import AuditAction, AuditEntry
    from helpdesk.privacy.selectors import AuditFilters, audit_entries
    from helpdesk.privacy.services.retention import apply_retention

    print(f"Database: {connection.vendor}")
    now = timezone.now()
    queue = Queue.objects.get(slug="infolijn")
    outcome = Outcome.objects.get(code="information-given")
    closed_at = now - timedelta(days=400)

    # Closed tickets with a person, three messages and two events each, written in bulk: what is
    # measured is their pseudonymisation, not their creation.
    contacts = Contact.objects.bulk_create(
        Contact(name=f"Person {i}", email=f"p{i}@example.org") for i in range(args.tickets)
    )
    tickets = Ticket.objects.bulk_create(
        Ticket(
            reference=f"IL-2025-{i:06d}",
            queue=queue,
            contact=contacts[i],
            channel=Channel.EMAIL,
            subject=f"Subject {i}",
            status=Status.CLOSED,
            outcome=outcome,
            created_at=closed_at - timedelta(days=2),
            closed_at=closed_at,
            access_token=f"token-{i}",
        )
        for i in range(args.tickets)
    )
    Message.objects.bulk_create(
        Message(
            ticket=ticket,
            direction=direction,
            channel=Channel.EMAIL,
            body="Some words " * 40,
            status="received",
            sender=ticket.contact if direction == "in" else None,
        )
        for ticket in tickets
        for direction in ("in", "out", "note")
    )

    report, (dry,) = timed(lambda: apply_retention(dry_run=True))
    print(f"apply_retention --dry-run over {args.tickets} due tickets: {dry:.2f} s")
    report, (real,) = timed(lambda: apply_retention())
    assert report.tickets == args.tickets, report
    print(
        f"apply_retention over {args.tickets} tickets: {real:.1f} s "
        f"({args.tickets / real:.0f} tickets/s, {1000 * real / args.tickets:.1f} ms each), "
        f"{report.contacts} people"
    )

    # Years of audit log: does counting login failures and searching stay fast?
    batch = 10_000
    start = time.perf_counter()
    actions = [AuditAction.TICKET_VIEW, AuditAction.TICKET_CHANGE, AuditAction.LOGIN]
    for offset in range(0, args.audit, batch):
        AuditEntry.objects.bulk_create(
            AuditEntry(
                at=now - timedelta(minutes=(offset + i) % (730 * 24 * 60)),
                actor_label=f"user{i % 40}",
                action=actions[i % 3],
                target_type="ticket",
                target_id=str(i % 20000),
                target_label=f"IL-2025-{i % 20000:06d}",
                ip=f"10.0.{i % 250}.{i % 200}",
            )
            for i in range(offset, min(offset + batch, args.audit))
        )
    print(f"{args.audit} audit entries written in bulk in {time.perf_counter() - start:.1f} s")
    connection.cursor().execute("ANALYZE") if connection.vendor == "postgresql" else None

    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="10.0.1.1")
    _wait, runs = timed(lambda: login_wait_seconds(request, "user7"), repeat=200)
    print(f"login throttle check: median {1000 * statistics.median(runs):.2f} ms")

    from helpdesk.privacy.audit import audit_record

    _entry, runs = timed(
        lambda: audit_record(action=AuditAction.TICKET_VIEW, target_type="ticket", target_id="1"),
        repeat=500,
    )
    print(f"audit_record (one insert): median {1000 * statistics.median(runs):.2f} ms")
    for name, filters in (
        ("newest page", AuditFilters()),
        ("one user", AuditFilters(actor="user7")),
        ("one ticket", AuditFilters(target="IL-2025-000042")),
        ("one action", AuditFilters(action="auth.login")),
    ):
        _rows, runs = timed(lambda filters=filters: list(audit_entries(filters)[:100]), repeat=20)
        print(f"audit search, {name}, first 100: median {1000 * statistics.median(runs):.1f} ms")

    if connection.vendor == "sqlite":
        name = connection.settings_dict["NAME"]
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)


def _has_tables(connection):
    return bool(connection.introspection.table_names())


if __name__ == "__main__":
    main()
