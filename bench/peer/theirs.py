# ruff: noqa: I001 - "helpdesk" here is django-helpdesk (the peer), not this project's package
"""django-helpdesk's side of the peer benchmark (run by bench/peer/run.py in the peer's virtualenv).

    /tmp/infolijn-peer/bin/python bench/peer/theirs.py load --database-url URL --tickets N ...
    /tmp/infolijn-peer/bin/python bench/peer/theirs.py measure --database-url URL --runs 20
    /tmp/infolijn-peer/bin/python bench/peer/theirs.py ingest --database-url URL --maildir DIR

The same counts and texts as ours.py (data.py), written in bulk; the same in-process timing
(Django's test client, DEBUG off). Prints one JSON line for run.py.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

QUEUES = [("Infolijn", "infolijn", 80), ("Legal helpdesk", "legal-helpdesk", 15), ("Education", "education", 5)]  # fmt: skip
START = datetime(2025, 1, 1, tzinfo=UTC)
END = datetime(2026, 11, 22, tzinfo=UTC)


def setup(database_url: str):
    os.environ.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="peer_site.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def staff_user():
    from django.contrib.auth.models import User

    user, _created = User.objects.get_or_create(username="bench-staff", defaults={"is_staff": True})
    return user


def load(args):
    import random

    import data
    from django.db import transaction
    from helpdesk.models import FollowUp, KBCategory, KBItem, Queue, Ticket

    started = time.perf_counter()
    staff = staff_user()
    queues = []
    for title, slug, weight in QUEUES:
        queue, _created = Queue.objects.get_or_create(
            slug=slug, defaults={"title": title, "email_address": f"{slug}@infolijn.test"}
        )
        queues.append((queue, weight))
    have = Ticket.objects.count()
    rng = random.Random(have + 1)
    span = (END - START).total_seconds()
    # Like Infolijn's generator: most tickets closed, a few open; creation spread over the range.
    tickets, followups = [], []
    for n in range(have + 1, args.tickets + 1):
        subject, body = data.ticket_text(n)
        created = START + timedelta(seconds=span * (n - 1) / max(args.tickets, 1))
        queue = rng.choices([q for q, _w in queues], [w for _q, w in queues])[0]
        status = Ticket.OPEN_STATUS if rng.random() < 0.08 else Ticket.CLOSED_STATUS
        tickets.append(
            Ticket(
                id=n,
                title=subject,
                queue=queue,
                created=created,
                modified=created,
                submitter_email=f"person{n % 2500}@example.org",
                status=status,
                description=body,
                priority=3,
                assigned_to=staff if rng.random() < 0.5 else None,
            )
        )
        for i, (from_staff, text) in enumerate(data.followups(n, args.messages), start=1):
            followups.append(
                FollowUp(
                    ticket_id=n,
                    date=created + timedelta(hours=i),
                    title="Comment",
                    comment=text,
                    public=True,
                    user=staff if from_staff else None,
                )
            )
        if len(tickets) >= 10_000:
            _flush(tickets, followups)
    _flush(tickets, followups)
    _reset_sequences()
    with transaction.atomic():
        category, _created = KBCategory.objects.get_or_create(
            slug="asylum",
            defaults={"name": "Asylum", "title": "Asylum", "description": "Asylum procedure"},
        )
        existing = KBItem.objects.count()
        KBItem.objects.bulk_create(
            [
                KBItem(category=category, title=t, question=q, answer=a, order=n, last_updated=END)
                for n in range(existing, args.kb)
                for t, q, a in [data.kb_item(n)]
            ]
        )
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh planner statistics, as on Infolijn's side
            cursor.execute("ANALYZE")
    print(
        json.dumps(
            {
                "tickets": Ticket.objects.count(),
                "added": Ticket.objects.count() - have,
                # The first message of a ticket is its description; the others are follow-ups.
                "messages": Ticket.objects.count() + FollowUp.objects.count(),
                "kb_items": KBItem.objects.count(),
                "load_seconds": round(time.perf_counter() - started, 1),
            }
        )
    )


def _reset_sequences():
    """Tickets are written with their ids: move PostgreSQL's id sequences past them."""
    import bulk
    from helpdesk.models import FollowUp, KBItem, Ticket

    bulk.reset_sequences(Ticket, FollowUp, KBItem)


def _flush(tickets, followups):
    """Both kinds of rows, the same way as Infolijn's messages (bulk.py: COPY on PostgreSQL)."""
    import bulk
    from django.db import transaction
    from helpdesk.models import FollowUp, Ticket

    with transaction.atomic():
        # Their creation dates spread over the range like Infolijn's (auto_now_add would write
        # the time of loading; bulk_create did, in this script's first version).
        bulk.write(Ticket, tickets, keep=("created", "modified"))
        bulk.write(FollowUp, followups)
    tickets.clear()
    followups.clear()


def add(a: dict, b: dict) -> dict:
    """A page whose rows arrive by a second request (the ticket list's data call): both."""
    return {key: round(a[key] + b[key], 1) for key in a}


def measure(args):
    import data
    from timing import timed
    from django.test import Client
    from helpdesk.models import Ticket
    from helpdesk.query import query_to_base64

    client = Client()
    client.force_login(staff_user())
    count = Ticket.objects.count()
    ticket = Ticket.objects.order_by("pk")[count // 2]
    # The ticket list is a page and a datatables call that brings its rows (what the page
    # itself asks for first: open tickets, newest first, 25 rows).
    default = {
        "filtering": {"status__in": [1, 2]},
        "filtering_null": {},
        "sorting": "created",
        "sortreverse": False,
        "search_string": "",
    }
    rows = {"draw": "1", "start": "0", "length": "25"}
    data_url = f"/helpdesk/datatables_ticket_list/{query_to_base64(default)}"
    list_page = timed(client, "/helpdesk/tickets/", {}, args.runs)
    list_data = timed(client, data_url, rows, args.runs)
    search_query = {**default, "filtering": {}, "search_string": data.SEARCH_WORD}
    search_page = timed(client, "/helpdesk/tickets/", {"q": data.SEARCH_WORD}, args.runs)
    search_data = timed(
        client, f"/helpdesk/datatables_ticket_list/{query_to_base64(search_query)}", rows, args.runs
    )
    reports = max(3, args.runs // 4)
    results = {
        "tickets": count,
        "inbox": add(list_page, list_data),
        "inbox_data_call": list_data,
        "ticket": timed(client, f"/helpdesk/tickets/{ticket.pk}/", {}, args.runs),
        "search": add(search_page, search_data),
        "stats": None if args.no_stats else timed(client, "/helpdesk/reports/", {}, reports),
        "stats_queuemonth": None
        if args.no_stats
        else timed(client, "/helpdesk/reports/queuemonth/", {}, reports),
        "kb_search": None,  # django-helpdesk's knowledge base has categories and items, no search
    }
    print(json.dumps(results))


def ingest(args):
    from django.db import connection
    from helpdesk.email import process_queue
    from helpdesk.models import Queue, Ticket

    # django-helpdesk reads a flat folder of message files (email_box_type "local") and deletes
    # each one it turned into a ticket or a follow-up: give it a copy of the Maildir's files.
    folder = Path(tempfile.mkdtemp(prefix="peer-mail-"))
    files = sorted(p for p in Path(args.maildir).glob("*/*") if p.is_file())
    for n, path in enumerate(files):
        shutil.copy(path, folder / f"{n:06d}")
    _reset_sequences()
    queue = Queue.objects.get(slug="infolijn")
    queue.email_box_type = "local"
    queue.email_box_local_dir = str(folder)
    queue.allow_email_submission = True
    queue.save()
    before = Ticket.objects.count()
    queries = {"n": 0}

    def count(execute, sql, params, many, context):
        queries["n"] += 1
        return execute(sql, params, many, context)

    import logging

    logger = logging.getLogger("peer-bench")
    logger.disabled = True
    started, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(count):
        process_queue(queue, logger)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    left = len(list(folder.iterdir()))
    shutil.rmtree(folder, ignore_errors=True)
    print(
        json.dumps(
            {
                "messages": len(files),
                "imported": Ticket.objects.count() - before,
                "left_unprocessed": left,
                "seconds": round(seconds, 2),
                "per_second": round(len(files) / seconds, 1),
                "per_cpu_second": round(len(files) / cpu, 1),
                "queries_per_message": round(queries["n"] / len(files), 1),
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["load", "measure", "ingest"])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=4)
    parser.add_argument("--kb", type=int, default=100)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--no-stats", action="store_true", help="skip the reports pages (run.py's repeats)"
    )
    parser.add_argument("--maildir")
    args = parser.parse_args()
    setup(args.database_url)
    {"load": load, "measure": measure, "ingest": ingest}[args.action](args)


if __name__ == "__main__":
    main()
