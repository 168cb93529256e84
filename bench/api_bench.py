"""Time the ticket list of the API: the first page and pages deep in a cursor walk.

    .venv/bin/python bench/api_bench.py                      # SQLite under bench/out/, 10,000 tickets
    .venv/bin/python bench/api_bench.py --database-url postgresql://postgres@127.0.0.1:5432/infolijn_api_bench
    .venv/bin/python bench/api_bench.py --tickets 100000 --runs 5

The database is migrated and filled by `generate_tickets` when it holds fewer tickets than asked
(its name must contain "bench"). Requests go in-process through Django's test client (DEBUG off,
the real middleware, token authentication, no network), after one warm-up request; the script
prints min / median / max wall-clock time per request, the median CPU time of this process (on
a shared machine the wall clock mostly measures the neighbours; with SQLite the CPU time
includes the database, with PostgreSQL it does not) and the number of SQL queries.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument(
    "--database-url", default=f"sqlite:///{ROOT / 'bench' / 'out' / 'api_bench.sqlite3'}"
)
parser.add_argument("--tickets", type=int, default=10_000)
parser.add_argument("--runs", type=int, default=5)
parser.add_argument("--page-size", type=int, default=50)
parser.add_argument("--depth", type=int, default=40, help="cursor pages to walk for the deep page")
args = parser.parse_args()
if "bench" not in args.database_url.rsplit("/", 1)[-1]:
    sys.exit("The database name must contain 'bench' (it is filled with generated tickets).")
(ROOT / "bench" / "out").mkdir(exist_ok=True)

os.environ["DATABASE_URL"] = args.database_url
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ["DEBUG"] = "false"
os.environ["TESTING"] = "true"  # the static manifest and HTTPS redirects need a deployment
os.environ["API_RATE_PER_CLIENT"] = "1000000/hour"

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from helpdesk import roles  # noqa: E402
from helpdesk.api.services.tokens import api_token_create  # noqa: E402
from helpdesk.models import Queue, Ticket, User  # noqa: E402


def prepare() -> str:
    call_command("migrate", verbosity=0)
    have = Ticket.objects.count()
    if have < args.tickets:
        print(f"Generating {args.tickets - have:,} tickets...", flush=True)
        call_command("generate_tickets", tickets=args.tickets - have, verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    user, _created = User.objects.get_or_create(username="bench-staff")
    user.groups.add(Group.objects.get(name=roles.INFO_LINE_STAFF))
    user.queues.set(Queue.objects.all())
    return api_token_create(user=user, name="bench", created_by=None).raw


def measure(client, params, runs):
    client.get("/api/v1/tickets/", params)  # warm-up
    timings, cpu, queries = [], [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get("/api/v1/tickets/", params)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, response.content[:300]
        queries = len(captured)
    return (timings, cpu), queries, response.json()


def report(label, measured, queries, rows):
    timings, cpu = measured
    print(
        f"{label:<58} {min(timings):7.1f} {statistics.median(timings):7.1f} "
        f"{max(timings):7.1f} ms  cpu {statistics.median(cpu):6.1f} ms  "
        f"{queries:3d} queries  {rows:3d} rows"
    )


def main():
    token = prepare()
    client = Client(headers={"Authorization": f"Bearer {token}"})
    total = Ticket.objects.count()
    print(f"{connection.vendor}, {total:,} tickets, page size {args.page_size}, {args.runs} runs")
    print(
        f"{'request (wall clock; cpu: this process, SQLite included)':<58} {'min':>7} {'median':>7} {'max':>7}"
    )
    cases = [
        ("all statuses, -updated", {}),
        ("open work (inbox default), -updated", None),
        ("all statuses, -created", {"sort": "-created"}),
        ("one queue, all statuses, -updated", {"queue": "infolijn"}),
        ("channel=phone, all statuses, -priority", {"channel": "phone", "sort": "-priority"}),
    ]
    every_status = {"status": ["new", "open", "waiting", "answered", "closed"]}
    for label, extra in cases:
        params = {
            "page_size": args.page_size,
            **(every_status if extra is not None else {}),
            **(extra or {}),
        }
        timings, queries, body = measure(client, params, args.runs)
        report(f"first page: {label}", timings, queries, len(body["results"]))
        # Walk the cursor to page `depth`, then time that page.
        cursor_params = dict(params)
        for _page in range(args.depth - 1):
            if not body["next_cursor"]:
                break
            cursor_params["cursor"] = body["next_cursor"]
            body = client.get("/api/v1/tickets/", cursor_params).json()
        timings, queries, body = measure(client, cursor_params, args.runs)
        report(f"page {args.depth} by cursor: {label}", timings, queries, len(body["results"]))


if __name__ == "__main__":
    main()
