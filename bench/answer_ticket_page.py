"""The ticket page with knowledge-base suggestions: p50 time and SQL queries, as ines.

Run against a database with the demo data and a built index (see bench/README.md):

    export VAR_DIR=/tmp/answer_bench DATABASE_URL=sqlite:////tmp/answer_bench/db.sqlite3 \\
           TASKS_BACKEND=django.tasks.backends.immediate.ImmediateBackend
    ./dev manage migrate && ./dev manage load_demo_data && ./dev manage kb_rebuild_index
    export SECRET_KEY=bench DEBUG=false ALLOWED_HOSTS=127.0.0.1 STATIC_ROOT=/tmp/answer_bench/static
    .venv/bin/python manage.py collectstatic --no-input -v0
    .venv/bin/python manage.py shell -c "exec(open('bench/answer_ticket_page.py').read())"
"""

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import helpdesk.answer.selectors as answer_selectors
from helpdesk.models import Ticket, User

RUNS = 25
user = User.objects.get(username="ines")
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(user)
ticket = (
    Ticket.objects.filter(queue__slug="infolijn", merged_into__isnull=True)
    .exclude(subject="")
    .order_by("-pk")
    .first()
)
url = f"/desk/tickets/{ticket.reference}/"


def measure(params):
    times, queries, response = [], 0, None
    for _ in range(RUNS):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params, secure=True)
        times.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
    assert response.status_code == 200, response.status_code
    return statistics.median(times[3:]), queries, response.content.decode()


for label, params in (("search in place", {"kbq": "Dublin"}), ("suggestions", {})):
    p50, queries, body = measure(params)
    shown = body.count('class="kb-suggestion"')
    print(f"{label}: p50 {p50:.1f} ms, {queries} queries, {shown} articles shown")

real = answer_selectors.article_panel
answer_selectors.article_panel = lambda **kw: answer_selectors.Panel(
    language=answer_selectors.language_info("nl"), query=""
)
p50, queries, _body = measure({})
print(f"without the panel: p50 {p50:.1f} ms, {queries} queries")
answer_selectors.article_panel = real
