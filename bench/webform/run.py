"""How fast the web form, the private page and the "answered by the knowledge base" count are
with a large database. See bench/webform/README.md for how to run it and the last figures.

It builds its own database (var/bench/webform.sqlite3 unless DATABASE_URL is set), fills it with
TICKETS tickets and VISITS form visits that opened suggestions in bulk, then times requests through Django's
test client (the whole middleware stack, templates included; no network).
"""

import os
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TESTING", "true")  # a development secret key; tasks run inline
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var/bench/webform.sqlite3'}")

TICKETS = int(os.environ.get("TICKETS", "100000"))
VISITS = int(os.environ.get("VISITS", "1000000"))
REQUESTS = int(os.environ.get("REQUESTS", "200"))


def percentiles(samples):
    samples = sorted(samples)
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def timed(label, function, times):
    durations = []
    for _n in range(times):
        start = time.perf_counter()
        function()
        durations.append((time.perf_counter() - start) * 1000)
    p50, p95 = percentiles(durations)
    print(f"{label:<55} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   ({times} runs)")


def main():
    import django

    django.setup()
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)  # not a line per 404

    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from helpdesk.channels.webform.models import SuggestionOpen, SuggestionVisit
    from helpdesk.channels.webform.selectors import kb_deflections
    from helpdesk.channels.webform.tokens import issue_form_token
    from helpdesk.models import Channel, Language, Message, Queue, RequesterType, Ticket
    from helpdesk.services.clock import travel_to
    from helpdesk.services.references import new_access_token

    if connection.vendor == "sqlite":
        Path(settings.DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    settings.WEBFORM_SUBMISSIONS_PER_ADDRESS_PER_HOUR = 0
    settings.WEBFORM_SUBMISSIONS_PER_CONTACT_PER_HOUR = 0
    settings.WEBFORM_PRIVATE_REQUESTS_PER_ADDRESS_PER_10_MINUTES = 0
    queue = Queue.objects.get(slug="infolijn")

    have = Ticket.objects.count()
    if have < TICKETS:
        print(f"Creating {TICKETS - have} tickets with a question and an answer each ...")
        batch = 5000
        for start in range(have, TICKETS, batch):
            tickets = Ticket.objects.bulk_create(
                Ticket(
                    reference=f"BN-2026-{n:07d}",
                    queue=queue,
                    channel=Channel.WEBFORM,
                    subject=f"Question {n}",
                    access_token=new_access_token(),
                )
                for n in range(start, min(start + batch, TICKETS))
            )
            Message.objects.bulk_create(
                m
                for t in tickets
                for m in (
                    Message(
                        ticket=t,
                        direction="in",
                        channel="webform",
                        body="Q " * 80,
                        status="received",
                    ),
                    Message(
                        ticket=t, direction="out", channel="email", body="A " * 120, status="sent"
                    ),
                )
            )
    have = SuggestionVisit.objects.count()
    if have < VISITS:
        print(f"Creating {VISITS - have} visits that opened suggestions, over two years ...")
        languages = [code for code, _name in settings.LANGUAGES]
        first = date(2025, 1, 1)
        batch = 20000
        for start in range(have, VISITS, batch):
            visits = SuggestionVisit.objects.bulk_create(
                SuggestionVisit(
                    form_id=uuid.uuid4(),
                    day=first + timedelta(days=n % 700),
                    language=languages[n % len(languages)],
                    submitted=n % 3 == 0,
                )
                for n in range(start, min(start + batch, VISITS))
            )
            SuggestionOpen.objects.bulk_create(
                SuggestionOpen(
                    visit=visit,
                    article_slug=f"article-{(visit.pk * 7 + k) % 300}",
                    article_language=visit.language,
                )
                for visit in visits
                for k in range(1 + visit.pk % 2)  # one or two articles each
            )
    with connection.cursor() as cursor:
        # Fresh statistics (and, on PostgreSQL, the visibility map index-only scans need).
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")

    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(
        f"\n{connection.vendor}, {Ticket.objects.count()} tickets, "
        f"{SuggestionVisit.objects.count()} visits with "
        f"{SuggestionOpen.objects.count()} opened suggestions, "
        f"{os.cpu_count()} CPUs, load average {load}\n"
    )
    client = Client(SERVER_NAME="localhost")
    tokens = list(Ticket.objects.order_by("?").values_list("access_token", flat=True)[:REQUESTS])
    token_iter = iter(tokens * 2)

    def private_page():
        cache.clear()
        response = client.get(f"/t/{next(token_iter)}/")
        assert response.status_code == 200, response.status_code

    def wrong_token():
        cache.clear()
        assert client.get(f"/t/{new_access_token()}/").status_code == 404

    timed("GET /t/<token>/ (private page, random ticket)", private_page, REQUESTS)
    timed("GET /t/<wrong token>/ (404)", wrong_token, REQUESTS)
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/t/{tokens[0]}/")
    print(f"{'  queries on the private page':<55} {len(queries)}")

    timed("GET /nl/ask/ (the form)", lambda: client.get("/nl/ask/"), REQUESTS)
    language = Language.objects.get(code="ar")
    requester_type = RequesterType.objects.get(code="lawyer")

    def submit():
        with travel_to(issue_form_token().issued_at - timedelta(minutes=1)):
            token = issue_form_token().encode()
        response = client.post(
            "/nl/ask/",
            {
                "form_token": token,
                "requester_type": requester_type.pk,
                "email": f"bench-{uuid.uuid4().hex[:8]}@example.org",
                "language": language.pk,
                "queue": queue.pk,
                "question": "Mijn cliënt kreeg een Dublin-beslissing. Welke termijn geldt voor beroep?",
                "consent": "on",
            },
        )
        assert response.status_code == 302, response.status_code

    timed("POST /nl/ask/ (a question becomes a ticket)", submit, min(REQUESTS, 100))

    timed(
        "kb_deflections, a whole year, per day and language",
        lambda: list(kb_deflections(start=date(2025, 1, 1), end=date(2025, 12, 31))),
        10,
    )


if __name__ == "__main__":
    main()
