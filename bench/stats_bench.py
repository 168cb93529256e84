"""Time the statistics page and the summary API for a full year.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/infolijn_stats_bench \
        .venv/bin/python bench/stats_bench.py --year 2025 [--queue infolijn] [--runs 5]

Generate the data first (see bench/README.md). Runs in-process through Django's test client
(DEBUG off, the real middleware and templates, no network), after one warm-up request, and
prints min / median / max per request with the number of SQL queries.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ["DEBUG"] = "false"
# TESTING only swaps what needs a deployment (the static manifest, HTTPS redirects); DEBUG stays off.
os.environ["TESTING"] = "true"

import django

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from helpdesk import roles  # noqa: E402
from helpdesk.models import Ticket, User  # noqa: E402
from helpdesk.stats.periods import Period  # noqa: E402
from helpdesk.stats.sections import Scope  # noqa: E402
from helpdesk.stats.selectors.tickets import counted_tickets  # noqa: E402


def coordinator() -> User:
    user, _created = User.objects.get_or_create(username="bench-coordinator")
    user.groups.add(Group.objects.get(name=roles.COORDINATOR))
    return User.objects.get(pk=user.pk)


def login(client: Client, user: User) -> None:
    """A finished login, the second factor included (coordinators must have one)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def backend_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (same machine only).

    On a machine shared with other work, wall time says more about the neighbours than about
    us; the CPU both processes spend is what the same request costs on an idle machine (when
    PostgreSQL runs it without parallel workers: PGOPTIONS="-c max_parallel_workers_per_gather=0").
    """
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(client: Client, url: str, params: dict, runs: int, cold: bool = False):
    client.get(url, params)  # warm-up: caches, connection, template loading
    timings, cpu, db_cpu = [], [], []
    for _ in range(runs):
        if cold:  # forget the cached percentiles: what the first request after a change costs
            cache.clear()
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            db_before, py_before = backend_cpu(), time.process_time()
            started = time.perf_counter()
            response = client.get(url, params)
            body = b"".join(response) if response.streaming else response.content
            timings.append(time.perf_counter() - started)
            db_cpu.append(backend_cpu() - db_before)
            cpu.append(db_cpu[-1] + time.process_time() - py_before)
        assert response.status_code == 200, (url, response.status_code, body[:300])
    return timings, cpu, db_cpu, queries.captured_queries, len(body)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--start", help="first day (YYYY-MM-DD) instead of a whole year")
    parser.add_argument("--end", help="last day (YYYY-MM-DD) instead of a whole year")
    parser.add_argument("--queue", default="")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--slowest", type=int, default=0, help="show the N slowest queries")
    parser.add_argument(
        "--cold", action="store_true", help="empty the cache before every request (percentiles)"
    )
    args = parser.parse_args()

    client = Client()
    login(client, coordinator())
    start = args.start or f"{args.year}-01-01"
    end = args.end or f"{args.year}-12-31"
    scope = Scope(Period(date.fromisoformat(start), date.fromisoformat(end)))
    counted = counted_tickets(scope).count()
    print(
        f"{connection.vendor}: {Ticket.objects.count():,} tickets in all, {counted:,} counted "
        f"from {start} to {end}; queue={args.queue or 'all'}; {args.runs} runs{' (cold cache)' if args.cold else ''}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    page = {"period": "custom", "start": start, "end": end}
    api = {"from": start, "to": end}
    if args.queue:
        page["queue"] = api["queue"] = args.queue
    targets = [
        ("statistics page", "/stats/", page),
        ("summary API", "/api/v1/stats/summary/", api),
    ]
    if not args.start:
        report = {"year": args.year, **({"queue": args.queue} if args.queue else {})}
        targets.append(("annual report", "/stats/annual-report/", report))
    for name, url, params in targets:
        timings, cpu, db_cpu, queries, size = measure(client, url, params, args.runs, args.cold)
        print(
            f"  {name:16} wall: min {min(timings) * 1000:6.0f} ms  median "
            f"{statistics.median(timings) * 1000:6.0f} ms  max {max(timings) * 1000:6.0f} ms | "
            f"CPU median {statistics.median(cpu) * 1000:6.0f} ms "
            f"(database {statistics.median(db_cpu) * 1000:.0f}) | "
            f"{len(queries)} queries  {size / 1024:.0f} KiB"
        )
        if args.slowest:
            for query in sorted(queries, key=lambda q: -float(q["time"]))[: args.slowest]:
                print(f"      {float(query['time']) * 1000:6.0f} ms  {query['sql'][:110]}")


if __name__ == "__main__":
    main()
