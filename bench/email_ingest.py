"""Email ingestion throughput: messages per second from a Maildir of generated mail.

    .venv/bin/python bench/email_ingest.py                       # SQLite, 10,000 messages
    .venv/bin/python bench/email_ingest.py --database-url postgresql://postgres@127.0.0.1:5432/infolijn_email_bench
    .venv/bin/python bench/email_ingest.py --messages 2000       # a quicker look

It generates a Maildir (bench/out/email_maildir_<n>/, reused when present) of mail as the info
line gets it: questions in Dutch, French, English, Arabic (windows-1256), Russian (koi8-r),
Persian (HTML only), replies to earlier mail (threading), PDFs, quoted replies and auto-replies,
from ~2,500 senders. It then migrates a fresh database (the SQLite file bench/out/email_bench.sqlite3,
or the PostgreSQL database named in the URL, dropped and created again) and runs the import
path in this one process (one worker): store every raw message, then process each into a
ticket or reply, with the production task backend (django-tasks-db) receiving the follow-up
tasks. It prints the messages per second of each phase and of the whole.
"""

import argparse
import os
import random
import secrets
import sys
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
START = datetime(2026, 1, 1, tzinfo=UTC)

QUESTIONS = [
    (
        "nl",
        "utf-8",
        "Goedendag, ik heb geen plaats in een opvangcentrum. Waar kan ik vannacht slapen? Mijn dossier loopt bij de DVZ.",
    ),
    (
        "fr",
        "utf-8",
        "Bonjour, j'ai reçu une décision négative du CGRA. Combien de temps ai-je pour introduire un recours ?",
    ),
    (
        "en",
        "utf-8",
        "Hello, my brother arrived in Belgium last week. How does family reunification work for recognised refugees?",
    ),
    (
        "ar",
        "windows-1256",
        "مرحبا، ليس لدي مكان في مركز الاستقبال. أين يمكنني أن أنام الليلة؟ شكرا جزيلا لكم على المساعدة.",
    ),
    (
        "ru",
        "koi8-r",
        "Здравствуйте, у меня нет места в центре приёма. Где я могу переночевать сегодня? Спасибо за помощь.",
    ),
    (
        "fa",
        "utf-8",
        "سلام، من جای خواب در مرکز پذیرش ندارم. امشب کجا می‌توانم بخوابم؟ از کمک شما متشکرم.",
    ),
]


def generate(path: Path, count: int, seed: int = 4):
    import mailbox

    rng = random.Random(seed)
    box = mailbox.Maildir(path, create=True)
    senders = [f"person{n}@example.org" for n in range(2500)]
    sent: list[tuple[str, str]] = []  # (message id, sender) of earlier questions
    for n in range(count):
        msg = EmailMessage()
        kind = rng.random()
        msg["Date"] = format_datetime(START + timedelta(minutes=n))
        msg["Message-ID"] = f"<bench-{n}@example.org>"
        msg["To"] = "infolijn@infolijn.test"
        if kind < 0.2 and sent:
            # A reply to an earlier question, from the same person, quoting it.
            earlier, sender = rng.choice(sent)
            msg["From"] = sender
            msg["Subject"] = "Re: Mijn vraag"
            msg["In-Reply-To"] = f"<{earlier}>"
            msg["References"] = f"<{earlier}>"
            msg.set_content(
                f"Nog een vraag over mijn dossier, nummer {n}.\n\nOp 1 jan. 2026 schreef {sender}:\n> Goedendag, ik heb geen plaats.\n> Groeten"
            )
        elif kind < 0.25:
            msg["From"] = rng.choice(senders)
            msg["Subject"] = "Automatisch antwoord: afwezig"
            msg["Auto-Submitted"] = "auto-replied"
            msg.set_content("Ik ben afwezig tot maandag.")
        else:
            language, charset, text = rng.choice(QUESTIONS)
            sender = rng.choice(senders)
            msg["From"] = f"Persoon {n} <{sender}>"
            msg["Subject"] = f"Vraag {n} ({language})"
            if language == "fa":
                msg.set_content(
                    f"<html><body><p>{text}</p><p>{n}</p></body></html>", subtype="html"
                )
            else:
                msg.set_content(f"{text}\n\nDossier {n}.", charset=charset)
            if rng.random() < 0.05:
                msg.add_attachment(
                    b"%PDF-1.4\n" + os.urandom(20_000),
                    maintype="application",
                    subtype="pdf",
                    filename=f"brief-{n}.pdf",
                )
            sent.append((f"bench-{n}@example.org", sender))
        box.add(msg.as_bytes())


def fresh_database(url: str):
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    base, _slash, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--database-url", default=f"sqlite:///{OUT / 'email_bench.sqlite3'}")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    maildir = OUT / f"email_maildir_{args.messages}"
    if not (maildir / "cur").exists():
        started = time.perf_counter()
        generate(maildir, args.messages)
        print(
            f"generated {args.messages} messages in {time.perf_counter() - started:.1f} s: {maildir}"
        )

    fresh_database(args.database_url)
    os.environ.update(
        DATABASE_URL=args.database_url,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        MEDIA_ROOT=str(OUT / "email_media"),
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("PYTEST_VERSION", None)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    from helpdesk.channels.email import importer
    from helpdesk.models import Queue, Ticket

    phases, cpu, queries = {}, {}, {"count": 0}

    def count_queries(execute, sql, params, many, context):
        queries["count"] += 1
        return execute(sql, params, many, context)

    def progress(iterable, desc, **kwargs):
        started, started_cpu = time.perf_counter(), time.process_time()
        yield from iterable  # the import's loop body runs between these yields
        phases[desc] = time.perf_counter() - started
        cpu[desc] = time.process_time() - started_cpu

    started = time.perf_counter()
    with connection.execute_wrapper(count_queries):
        summary = importer.import_archive(
            [str(maildir)], queue=Queue.objects.get(slug="infolijn"), progress=progress
        )
    total = time.perf_counter() - started
    count = args.messages
    print(f"database: {connection.vendor} ({args.database_url.split('@')[-1]})")
    print(
        f"messages: {count}; tickets: {Ticket.objects.count()}; imported {summary.imported}, threaded {summary.threaded}, rejected {summary.rejected}, failed {summary.failed}"
    )
    store, process = phases["storing"], phases["processing"]
    print(f"queries:   {queries['count'] / count:.1f} per message")
    print(
        f"store raw: {store:.1f} s = {count / store:.0f} msg/s (CPU of this process: {cpu['storing']:.1f} s)"
    )
    print(
        f"process:   {process:.1f} s = {count / process:.0f} msg/s (CPU of this process: {cpu['processing']:.1f} s)"
    )
    print(f"total:     {total:.1f} s = {count / total:.0f} msg/s wall clock, one worker")
    busy = cpu["storing"] + cpu["processing"]
    print(
        f"           {count / busy:.0f} msg/s per CPU-second of this process (the rate on an idle core)"
    )
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
