"""How fast the phone channel answers Twilio, and how fast the phone figures are counted.

    DATABASE_URL=sqlite:////tmp/bench_twilio.sqlite3 .venv/bin/python bench/twilio_phone.py --calls 530000
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_twilio .venv/bin/python bench/twilio_phone.py

Fills the database with a year of calls (530,000: a national helpline's year), then measures
- phone_figures for a year and for a month (the statistics page's three queries);
- the webhooks of one call (incoming, menu choice into the queue, the wait music) and an SMS,
  through Django's full stack, signed, in-process (no network), p50 and p95.
Twilio waits 15 seconds for a webhook; we aim far below 100 ms.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TWILIO_ACCOUNT_SID", "AC" + "0" * 32)
os.environ.setdefault("TWILIO_AUTH_TOKEN", "bench-token")
os.environ.setdefault("TWILIO_PUBLIC_BASE_URL", "https://infolijn.example.org")
os.environ.setdefault("TWILIO_FAKE_API", "true")
os.environ.setdefault("DEBUG", "true")  # the fake API refuses to run without it
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.dummy.DummyBackend")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from twilio.request_validator import RequestValidator  # noqa: E402

from helpdesk.channels.twilio.models import Call, MenuOption, PhoneNumber, StaffPhone  # noqa: E402
from helpdesk.channels.twilio.models.calls import hour_of_week  # noqa: E402
from helpdesk.channels.twilio.selectors.stats import phone_figures  # noqa: E402
from helpdesk.models import Language, OpeningHours, Queue, User  # noqa: E402

TZ = ZoneInfo("Europe/Brussels")


def fill(count: int):
    queue = Queue.objects.get(slug="infolijn")
    if Call.objects.count() >= count:
        return queue
    rng = random.Random(7)
    codes = ["nl", "fr", "en", "ar", "prs", "ps", "ti", "uk"]
    start = datetime(2025, 1, 1, tzinfo=TZ)
    batch = []
    for _ in range(count - Call.objects.count()):
        started = start + timedelta(seconds=rng.randint(0, 365 * 86400))
        result = rng.choices(
            ["answered", "abandoned", "voicemail", "callback", "menu"], [72, 11, 9, 4, 4]
        )[0]
        wait = int(rng.expovariate(1 / 45))
        batch.append(
            Call(
                queue=queue,
                language_id=rng.choice(codes),
                started_at=started,
                started_hour_of_week=hour_of_week(started),
                state="ended",
                result=result,
                queue_seconds=wait,
                callback_requested=result in ("abandoned", "callback"),
            )
        )
        if len(batch) == 10000:
            Call.objects.bulk_create(batch)
            batch = []
    Call.objects.bulk_create(batch)
    return queue


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def report(name, times):
    times = sorted(times)
    p95 = times[int(len(times) * 0.95) - 1] if len(times) >= 20 else times[-1]
    print(
        f"{name:45} p50 {statistics.median(times):8.1f} ms   p95 {p95:8.1f} ms   (n={len(times)})"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=530_000)
    parser.add_argument("--webhooks", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    queue = fill(args.calls)
    with (
        connection.cursor() as cursor
    ):  # fresh planner statistics, as `PRAGMA optimize` or autovacuum keep them
        cursor.execute("ANALYZE")
    print(f"{connection.vendor}: {Call.objects.count():,} call records")

    year = (datetime(2025, 1, 1, tzinfo=TZ), datetime(2026, 1, 1, tzinfo=TZ))
    month = (datetime(2025, 3, 1, tzinfo=TZ), datetime(2025, 4, 1, tzinfo=TZ))
    report(
        "phone_figures, a year, all queues",
        timed(lambda: phone_figures(start=year[0], end=year[1]), 5),
    )
    report(
        "phone_figures, a month, one queue",
        timed(lambda: phone_figures(start=month[0], end=month[1], queue=queue), 10),
    )

    # A number with an eight-language menu, the queue always open, one staff member on duty.
    number, _ = PhoneNumber.objects.get_or_create(number="+3225550100", defaults={"queue": queue})
    for digit, code in enumerate(["nl", "fr", "en", "ar", "prs", "ps", "ti", "uk"], start=1):
        MenuOption.objects.get_or_create(number=number, digit=digit, defaults={"language_id": code})
    OpeningHours.objects.filter(queue=queue).delete()
    user, _ = User.objects.get_or_create(username="bench-agent")
    user.queues.add(queue)
    user.spoken_languages.add(Language.objects.get(code="ar"))
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name="Info-line staff"))
    from django.utils import timezone

    StaffPhone.objects.update_or_create(
        user=user, defaults={"phone": "+32470000001", "available_on": timezone.localdate()}
    )

    client = Client(HTTP_HOST="127.0.0.1")  # an allowed host; no test environment here
    validator = RequestValidator(settings.TWILIO_AUTH_TOKEN)

    def post(name, data):
        path = reverse(f"twilio_channel:{name}")
        signature = validator.compute_signature(settings.TWILIO_PUBLIC_BASE_URL + path, data)
        response = client.post(
            path,
            urlencode(data),
            content_type="application/x-www-form-urlencoded",
            HTTP_X_TWILIO_SIGNATURE=signature,
        )
        assert response.status_code in (200, 204), response.status_code

    incoming, menu, wait, sms = [], [], [], []
    for index in range(args.webhooks):
        params = {"CallSid": f"CA{index:032x}", "From": f"+3247{index:07d}", "To": number.number}
        incoming += timed(lambda p=params: post("voice", p), 1)
        menu += timed(lambda p=params: post("voice_menu", {**p, "Digits": "4"}), 1)
        wait += timed(
            lambda p=params: post("voice_wait", {**p, "QueuePosition": "3", "QueueTime": "20"}), 1
        )
        message = {
            "MessageSid": f"SM{index:032x}",
            "From": f"+3247{index:07d}",
            "To": number.number,
            "Body": "Hello",
            "NumMedia": "0",
        }
        sms += timed(lambda m=message: post("messaging", m), 1)
        reset_queries()
    report("webhook: incoming call (language menu)", incoming)
    report("webhook: menu choice (into the queue)", menu)
    report("webhook: wait music (position)", wait)
    report("webhook: incoming SMS (stored, task enqueued)", sms)


if __name__ == "__main__":
    main()
