"""Two web processes and two task workers on one PostgreSQL database, under a bounded burst.

What production looks like on several machines (docs/deploy.md), shrunk onto loopback: two
gunicorn instances (each its own process with its own local-memory cache, as two machines have),
two `manage.py db_worker` processes, one database. The burst mixes signed Twilio SMS webhooks
(some sent twice at once to both web processes, as Twilio retries), web-form posts (some pages
posted twice at once to both processes), inbox pages and inbox searches; ines works the
Infolijn queue, otto works Education and must see none of it.

Afterwards: every request answered without a server error, every inbound SMS stored once, every
form page made one ticket, every task finished exactly once (one worker each, and exactly one
acknowledgement mail per web-form ticket at a real SMTP listener), and no lock error or
traceback in any process's log.

Runs on PostgreSQL only (SQLite is one file on one machine: nothing to learn here); on SQLite it
is skipped. Bounded: about 150 requests, well under 90 seconds on two shared cores.
"""

import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.test import Client
from twilio.request_validator import RequestValidator

from helpdesk.channels.twilio.models import InboundMessage, InboundStatus, PhoneNumber
from helpdesk.channels.webform.models import SentForm
from helpdesk.channels.webform.tokens import read_thanks_token
from helpdesk.models import Channel, Language, Message, Queue, RequesterType, Ticket
from tests.channels.webform.conftest import served_token

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="the burst runs on PostgreSQL only (set DATABASE_URL=postgresql://...)",
    ),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TOKEN = "burst-auth-token-0123456789abcdef"
ACCOUNT = "AC" + "1" * 32
PUBLIC = "https://infolijn.example.org"
OUR_NUMBER = "+3225550199"
SMS_COUNT, SMS_RESENT = 30, 10
FORMS, FORMS_TWICE = 20, 10
INBOX_PAGES, SEARCHES, OTTO_PAGES, FORM_PAGES = 20, 12, 6, 8
DRAIN_SECONDS = 45
# What must never appear in the log of a web process or a worker.
LOG_PROBLEMS = re.compile(
    r"LockError|deadlock detected|could not obtain lock|database is locked|"
    r"could not serialize|Traceback|\"level\": \"(ERROR|CRITICAL)\"|\[CRITICAL\]|WORKER TIMEOUT",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgresql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class SmtpListener:
    """A real SMTP server on loopback (aiosmtpd) that keeps the recipients of every mail."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.recipients: list[str] = []
        listener = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                listener.recipients.extend(envelope.rcpt_tos)
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


@pytest.fixture
def smtp():
    with SmtpListener() as listener:
        yield listener


@pytest.fixture
def cluster(tmp_path, smtp, seeded_transactional_db):
    """Two gunicorn instances and two db_workers with production settings, on the test database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO_SETTINGS"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url(),
        DEBUG="false",
        # TESTING keeps static files served from the app folders (no collectstatic here) and
        # fast password hashes; everything the burst is about is production's: the database
        # task backend, gunicorn, separate processes with their own caches.
        TESTING="true",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        SECRET_KEY=settings.SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        VAR_DIR=str(tmp_path / "var"),
        MEDIA_ROOT=str(tmp_path / "media"),
        LOG_FORMAT="json",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port),
        TWILIO_ACCOUNT_SID=ACCOUNT,
        TWILIO_AUTH_TOKEN=TOKEN,
        TWILIO_PUBLIC_BASE_URL=PUBLIC,
        TWILIO_DELETE_AT_TWILIO="false",
        WEBFORM_SUBMISSIONS_PER_ADDRESS_PER_HOUR="0",
        WEBFORM_SUBMISSIONS_PER_CONTACT_PER_HOUR="0",
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="4",
        PYTHONUNBUFFERED="1",
    )
    ports = [free_port(), free_port()]
    commands = [
        *(
            (
                f"web{n}",
                [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
                {"GUNICORN_BIND": f"127.0.0.1:{port}"},
            )
            for n, port in enumerate(ports, start=1)
        ),
        *(
            (
                f"worker{n}",
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--queue-name",
                    "*",
                    "--interval",
                    "0.2",
                    "--no-startup-delay",
                    "--worker-id",
                    f"burst-{n}",
                ],
                {},
            )
            for n in (1, 2)
        ),
    ]
    processes, logs = [], {}
    try:
        for name, command, extra in commands:
            logs[name] = tmp_path / f"{name}.log"
            with open(logs[name], "wb") as out:
                processes.append(
                    subprocess.Popen(
                        command,
                        cwd=ROOT,
                        env={**env, **extra},
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        _wait_until_up(bases, processes, logs)
        yield {"bases": bases, "logs": logs, "processes": processes}
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _wait_until_up(bases, processes, logs, timeout=45):
    deadline = time.monotonic() + timeout
    pending = set(bases)
    while pending and time.monotonic() < deadline:
        for process, (name, log) in zip(processes, logs.items(), strict=True):
            if process.poll() is not None:
                pytest.fail(f"{name} exited at start:\n{log.read_text()[-3000:]}")
        for base in list(pending):
            try:
                if requests.get(f"{base}/health/", timeout=15).status_code == 200:
                    pending.discard(base)
            except requests.RequestException:
                pass
        time.sleep(0.2)
    assert not pending, f"web processes did not start: {pending}"


def session_cookie(user) -> dict:
    client = Client()
    client.force_login(user)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


def sms_params(message_sid: str, sender: str) -> dict:
    return {
        "MessageSid": message_sid,
        "AccountSid": ACCOUNT,
        "From": sender,
        "To": OUR_NUMBER,
        "Body": f"Waar moet ik me registreren? ({message_sid[-6:]})",
        "NumMedia": "0",
    }


def signed_sms(base: str, params: dict) -> requests.Response:
    path = "/channels/twilio/messaging/"
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC + path, params)
    return requests.post(
        base + path,
        data=urlencode(params),
        headers={
            "X-Twilio-Signature": signature,
            "Content-Type": "application/x-www-form-urlencoded",
        },
        timeout=30,
    )


def form_data(n: int, lists: dict) -> dict:
    return {
        "form_token": served_token().encode(),
        "requester_type": lists["requester_type"],
        "organisation": "",
        "name": "",
        "email": f"burst-{n}@caw.example.org",
        "phone": "",
        "language": lists["language"],
        "queue": lists["queue"],
        "topic": "",
        "question": f"Question {n}: where can a family without a reception place sleep tonight?",
        "consent": "on",
        "website_address": "",
    }


def confirmed_ticket(response: requests.Response) -> int | None:
    """The ticket the redirect to the confirmation page names (its signed ?t=)."""
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    return read_thanks_token(query.get("t", [""])[0])


def post_form(base: str, data: dict) -> requests.Response:
    return requests.post(f"{base}/nl/ask/embed/", data=data, allow_redirects=False, timeout=30)


def at_once(*calls) -> list:
    """Run the calls in threads released together (two copies of a post, to two processes)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        barrier.wait(timeout=30)
        try:
            results[index] = call()
        except Exception as error:  # recorded and asserted on, never swallowed
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_web_processes_and_two_workers_store_everything_once_under_a_burst(
    cluster, smtp, ines, otto
):
    from django_tasks_db.models import DBTaskResult

    web1, web2 = cluster["bases"]
    infolijn = Queue.objects.get(slug="infolijn")
    PhoneNumber.objects.create(
        number=OUR_NUMBER,
        label="Burst",
        queue=infolijn,
        default_language=Language.objects.get(code="nl"),
    )
    lists = {
        "requester_type": RequesterType.objects.get(code="social-worker").pk,
        "language": Language.objects.get(code="nl").pk,
        "queue": infolijn.pk,
    }
    ines_cookie, otto_cookie = session_cookie(ines), session_cookie(otto)
    rng = random.Random(11)

    sms = [sms_params(f"SM{uuid.uuid4().hex}", f"+3247{n:07d}") for n in range(SMS_COUNT)]
    resent = sms[:SMS_RESENT]
    forms = [form_data(n, lists) for n in range(FORMS)]
    twice = forms[:FORMS_TWICE]

    # The single requests, shuffled, alternating between the two web processes.
    single = (
        [("sms", p) for p in sms[SMS_RESENT:]]
        + [("form", d) for d in forms[FORMS_TWICE:]]
        + [("inbox", None)] * INBOX_PAGES
        + [("search", q) for q in ["IL-", "registreren", "burst-3", "Dublin"] * (SEARCHES // 4)]
        + [("otto", None)] * OTTO_PAGES
        + [("form_page", None)] * FORM_PAGES
    )
    rng.shuffle(single)

    def send(index_item):
        index, (kind, payload) = index_item
        base = (web1, web2)[index % 2]
        match kind:
            case "sms":
                return kind, signed_sms(base, payload)
            case "form":
                return kind, post_form(base, payload)
            case "inbox":
                return kind, requests.get(f"{base}/desk/", cookies=ines_cookie, timeout=30)
            case "search":
                return kind, requests.get(
                    f"{base}/desk/", params={"q": payload}, cookies=ines_cookie, timeout=30
                )
            case "otto":
                return kind, requests.get(f"{base}/desk/", cookies=otto_cookie, timeout=30)
            case "form_page":
                return kind, requests.get(f"{base}/nl/ask/", timeout=30)

    started = time.monotonic()
    twins: list = []

    def send_twins():
        for params in resent:  # Twilio retrying a message while the first delivery is in flight
            twins.extend(
                ("sms", r)
                for r in at_once(
                    lambda p=params: signed_sms(web1, p), lambda p=params: signed_sms(web2, p)
                )
            )
        for data in twice:  # a double click whose two posts reach two machines
            twins.extend(
                ("form", r)
                for r in at_once(
                    lambda d=data: post_form(web1, d), lambda d=data: post_form(web2, d)
                )
            )

    twin_thread = threading.Thread(target=send_twins)
    twin_thread.start()
    with ThreadPoolExecutor(max_workers=6) as pool:
        answered = list(pool.map(send, enumerate(single)))
    twin_thread.join(timeout=120)
    burst_seconds = time.monotonic() - started

    # Every request answered, and as it should be.
    expected = {"sms": {200}, "form": {302}, "inbox": {200}, "search": {200}, "otto": {200},
                "form_page": {200}}  # fmt: skip
    problems = [
        (kind, getattr(r, "status_code", repr(r)))
        for kind, r in answered + twins
        if not isinstance(r, requests.Response) or r.status_code not in expected[kind]
    ]
    assert not problems, problems
    assert len(answered) + len(twins) == len(single) + 2 * (SMS_RESENT + FORMS_TWICE)

    # The two copies of a form page lead to the same ticket's confirmation.
    form_twins = [r for _kind, r in twins[2 * SMS_RESENT :]]
    confirmed = [confirmed_ticket(r) for r in form_twins]
    assert None not in confirmed
    assert confirmed[0::2] == confirmed[1::2]

    # Let the two workers drain the queue.
    deadline = time.monotonic() + DRAIN_SECONDS
    unfinished = DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "FAILED"])
    while time.monotonic() < deadline and (
        unfinished.exists() or InboundMessage.objects.exclude(status=InboundStatus.DONE).exists()
    ):
        time.sleep(0.5)

    # Every inbound SMS stored once and put on a ticket once.
    assert InboundMessage.objects.count() == SMS_COUNT
    assert set(InboundMessage.objects.values_list("status", flat=True)) == {InboundStatus.DONE}
    sids = list(Message.objects.filter(channel=Channel.SMS).values_list("external_id", flat=True))
    assert sorted(sids) == sorted(p["MessageSid"] for p in sms)

    # Every form page made one ticket, whichever process each copy reached.
    webform = Ticket.objects.filter(channel=Channel.WEBFORM)
    assert webform.count() == FORMS
    assert SentForm.objects.filter(ticket__isnull=False).count() == FORMS
    assert sorted(webform.values_list("contact__email", flat=True)) == sorted(
        d["email"] for d in forms
    )

    # No task lost or run twice: all finished, each by one worker, one acknowledgement per ticket.
    tasks = list(DBTaskResult.objects.values("task_path", "status", "worker_ids"))
    assert tasks
    assert [t for t in tasks if t["status"] != "SUCCESSFUL"] == []
    assert [t for t in tasks if len(t["worker_ids"]) != 1] == []
    assert {w for t in tasks for w in t["worker_ids"]} <= {"burst-1", "burst-2"}
    assert sorted(smtp.recipients) == sorted(d["email"] for d in forms)

    # otto (Education) saw no Infolijn ticket on any of his pages.
    reference = webform.first().reference
    otto_page = requests.get(f"{web2}/desk/", cookies=otto_cookie, timeout=30)
    assert otto_page.status_code == 200
    assert reference not in otto_page.text
    ines_page = requests.get(f"{web1}/desk/", params={"q": reference}, cookies=ines_cookie, timeout=30)  # fmt: skip
    assert reference in ines_page.text

    # No lock errors, tracebacks or errors in any process's log.
    for process in cluster["processes"]:
        assert process.poll() is None, "a process died during the burst"
    for name, log in cluster["logs"].items():
        found = LOG_PROBLEMS.findall(log.read_text(errors="replace"))
        assert not found, f"{name}: {found}\n{log.read_text(errors='replace')[-3000:]}"
    assert burst_seconds < 60, f"the burst took {burst_seconds:.0f} s"
