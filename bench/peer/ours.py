"""Infolijn's side of the peer benchmark (run by bench/peer/run.py with the project's .venv).

    .venv/bin/python bench/peer/ours.py load --database-url URL --tickets N --messages 4 --kb 100
    .venv/bin/python bench/peer/ours.py measure --database-url URL --runs 20
    .venv/bin/python bench/peer/ours.py ingest --database-url URL --maildir DIR

`load` adds tickets up to N (so a second, larger size appends to the first); `measure` and
`ingest` print one JSON line that run.py reads. Pages are timed in-process through Django's test
client (DEBUG off, the real middleware and templates), like bench/stats_bench.py.
"""

import argparse
import io
import json
import os
import secrets
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def shared_cache(redis_url: str) -> str:
    """REDIS_URL as production sets it (docs/deploy.md: sessions and rate limits in Redis), or
    "" when no Redis answers there: the run then says so and keeps sessions in the database."""
    if not redis_url:
        return ""
    try:
        import redis

        redis.Redis.from_url(redis_url, socket_timeout=1).ping()
    except Exception as error:
        print(f"no Redis at {redis_url} ({type(error).__name__}): sessions in the database",
              file=sys.stderr)  # fmt: skip
        return ""
    return redis_url


def setup(database_url: str, media: Path, redis_url: str = ""):
    os.environ.update(
        REDIS_URL=shared_cache(redis_url),
        DATABASE_URL=database_url,
        DEBUG="false",
        # As in bench/stats_bench.py: TESTING only swaps the static manifest and HTTPS redirects.
        TESTING="true",
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        MEDIA_ROOT=str(media),
        # The knowledge-base search index of this benchmark's database, next to its media.
        KB_INDEX_DIR=str(media.parent / "ours-kb-index"),
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    os.environ.pop("PYTEST_VERSION", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def staff_user():
    from helpdesk import roles
    from helpdesk.models import Queue, User

    user, created = User.objects.get_or_create(username="bench-staff")
    if created:  # staff of every queue, like django-helpdesk's staff user who sees every ticket
        user.groups.add(*roles_groups(roles.INFO_LINE_STAFF))
        user.queues.set(Queue.objects.all())
    return User.objects.get(pk=user.pk)


def roles_groups(name):
    from django.contrib.auth.models import Group

    return [Group.objects.get(name=name)]


def coordinator():
    from helpdesk import roles
    from helpdesk.models import User

    user, _created = User.objects.get_or_create(username="bench-coordinator")
    user.groups.add(*roles_groups(roles.COORDINATOR))
    return User.objects.get(pk=user.pk)


def load(args):
    import bulk
    import data
    from django.db import connection
    from django.db.models import Max

    from helpdesk.models import Direction, Message, Ticket
    from helpdesk.models.message import DeliveryStatus
    from helpdesk.stats.generator import Plan, generate
    from helpdesk.stats.services import day_counts_refresh

    have = Ticket.objects.count()
    wanted = args.tickets - have
    before = Ticket.objects.aggregate(m=Max("pk"))["m"] or 0
    timings = {}
    started = time.perf_counter()
    if wanted > 0:
        # The project's realistic generator writes the tickets (bulk_create, 5,000 at a time).
        generate(
            Plan(tickets=wanted, start=date(2025, 1, 1), end=date(2026, 11, 22), seed=have + 1)
        )
    timings["tickets_seconds"] = round(time.perf_counter() - started, 1)
    staff = staff_user()
    # The same subjects as django-helpdesk's tickets (data.ticket_text), numbered by id, in one
    # statement: the subject is not a column the statistics' triggers watch.
    subjects = " ".join(f"WHEN {i} THEN %s" for i in range(len(data.SUBJECTS)))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE helpdesk_ticket SET subject = (CASE id %% {len(data.SUBJECTS)} {subjects} END)"
            " || ' #' || CAST(id AS VARCHAR(20)) WHERE id > %s",
            [*data.SUBJECTS, before],
        )
    # The same messages: the first one the question (data.ticket_text), then the follow-ups.
    mark = time.perf_counter()
    new = (
        Ticket.objects.filter(pk__gt=before)
        .order_by("pk")
        .values_list("pk", "created_at", "channel")
        .iterator(chunk_size=10_000)
    )
    batch = []
    for pk, created_at, channel in new:
        _subject, body = data.ticket_text(pk)
        batch.append(
            Message(
                ticket_id=pk,
                direction=Direction.INBOUND,
                channel=channel,
                body=body,
                status=DeliveryStatus.RECEIVED,
                created_at=created_at,
            )
        )
        for i, (from_staff, text) in enumerate(data.followups(pk, args.messages), start=1):
            batch.append(
                Message(
                    ticket_id=pk,
                    direction=Direction.OUTBOUND if from_staff else Direction.INBOUND,
                    channel=channel,
                    author_id=staff.pk if from_staff else None,
                    body=text,
                    status=DeliveryStatus.SENT if from_staff else DeliveryStatus.RECEIVED,
                    created_at=created_at + timedelta(hours=i),
                )
            )
        if len(batch) >= 20_000:
            bulk.write(Message, batch)
            batch = []
    bulk.write(Message, batch)
    timings["messages_seconds"] = round(time.perf_counter() - mark, 1)
    # The triggers marked every day that got tickets; the project's own refresh recounts them
    # into the statistics' rollup, as its periodic task would after an import.
    mark = time.perf_counter()
    day_counts_refresh()
    timings["rollup_seconds"] = round(time.perf_counter() - mark, 1)
    mark = time.perf_counter()
    kb = load_kb(args.kb)
    timings["kb_seconds"] = round(time.perf_counter() - mark, 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh planner statistics, as autovacuum would give
            cursor.execute("ANALYZE")
    print(
        json.dumps(
            {
                "tickets": Ticket.objects.count(),
                "added": Ticket.objects.count() - have,
                "messages": Message.objects.count(),
                "kb_items": kb,
                "load_seconds": round(time.perf_counter() - started, 1),
                **timings,
            }
        )
    )


def load_kb(count: int) -> int:
    """Knowledge-base articles through the project's own service, then the real index rebuild.

    The same items as django-helpdesk's (data.kb_item): title, question as the summary, answer as
    the body, English, public, in one category. The index is rebuilt by kb_rebuild_index into
    KB_INDEX_DIR (bench/out/peer/ours-kb-index), as on a web machine.
    """
    import data
    from django.core.management import call_command

    from knowledgebase.models import Article
    from knowledgebase.services.articles import article_save

    existing = Article.objects.count()
    for n in range(existing, count):
        title, question, answer = data.kb_item(n)
        article_save(
            slug=f"kb-item-{n}",
            category="asylum",
            visibility="public",
            source_language="en",
            translations={"en": {"title": title, "summary": question, "body": answer}},
        )
    call_command("kb_rebuild_index", no_progress=True, verbosity=0, stdout=io.StringIO())
    return Article.objects.count()


def measure(args):
    import data
    from django.test import Client
    from timing import timed

    from helpdesk.models import Ticket

    staff = Client()
    staff.force_login(staff_user())
    coordinator_client = Client()
    # Coordinators need a second factor: the tests' helper gives one and verifies the session.
    from tests.privacy.two_factor import force_login

    force_login(coordinator_client, coordinator())
    count = Ticket.objects.count()
    # A ticket in the middle of the data, with its messages.
    ticket = Ticket.objects.order_by("pk")[count // 2]
    first, last = (
        Ticket.objects.order_by("created_at").values_list("created_at", flat=True)[0],
        Ticket.objects.order_by("-created_at").values_list("created_at", flat=True)[0],
    )
    found = staff.get("/api/v1/kb/search/", {"q": data.KB_SEARCH_WORDS, "lang": "en"})
    assert found.json()["results"], "the knowledge-base index finds nothing: was it rebuilt?"
    results = {
        "tickets": count,
        "cache": "redis" if os.environ["REDIS_URL"] else "local memory",
        "inbox": timed(staff, "/desk/", {}, args.runs),
        "ticket": timed(staff, f"/desk/tickets/{ticket.reference}/", {}, args.runs),
        "search": timed(staff, "/desk/", {"q": data.SEARCH_WORD}, args.runs),
        "stats": None
        if args.no_stats
        else timed(
            coordinator_client,
            "/stats/",
            {"period": "custom", "start": first.date().isoformat(), "end": last.date().isoformat()},
            max(3, args.runs // 4),
        ),
        # The knowledge base's search: the API a page or the web form calls, and the staff and
        # volunteers' search page (internal articles included), over the loaded items.
        "kb_search": timed(
            staff, "/api/v1/kb/search/", {"q": data.KB_SEARCH_WORDS, "lang": "en"}, args.runs
        ),
        "kb_search_page": timed(staff, "/en/kb/search/", {"q": data.KB_SEARCH_WORDS}, args.runs),
    }
    print(json.dumps(results))


def ingest(args):
    from django.db import connection

    from helpdesk.channels.email import importer
    from helpdesk.models import Queue

    queries = {"n": 0}

    def count(execute, sql, params, many, context):
        queries["n"] += 1
        return execute(sql, params, many, context)

    def quiet(iterable, desc, **kwargs):
        yield from iterable

    messages = sum(1 for _ in Path(args.maildir).glob("*/*") if _.is_file())
    started, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(count):
        result = importer.import_archive(
            [args.maildir], queue=Queue.objects.get(slug="infolijn"), progress=quiet
        )
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        json.dumps(
            {
                "messages": messages,
                "imported": result.imported,
                "threaded": result.threaded,
                "rejected": result.rejected,
                "failed": result.failed,
                "seconds": round(seconds, 2),
                "per_second": round(messages / seconds, 1),
                "per_cpu_second": round(messages / cpu, 1),
                "queries_per_message": round(queries["n"] / messages, 1),
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["load", "measure", "ingest"])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--media", default=str(ROOT / "bench" / "out" / "peer" / "ours-media"))
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=4)
    parser.add_argument("--kb", type=int, default=100)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--no-stats", action="store_true", help="skip the statistics page (run.py's repeats)"
    )
    parser.add_argument("--maildir")
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/14",
        help='the shared cache, as production has one ("" for none)',
    )
    args = parser.parse_args()
    setup(args.database_url, Path(args.media), args.redis_url)
    {"load": load, "measure": measure, "ingest": ingest}[args.action](args)


if __name__ == "__main__":
    main()
