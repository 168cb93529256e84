"""A Twilio number for the demo's info line, staff phones, an interpreter, a WhatsApp template
and a year of call records (for the statistics), so `simulate_twilio` works out of the box:

    ./dev manage load_demo_data && ./dev manage load_twilio_demo
    TWILIO_ACCOUNT_SID=AC00000000000000000000000000000000 TWILIO_AUTH_TOKEN=demo \\
        TWILIO_FAKE_API=true ./dev demo        # in one terminal
    TWILIO_AUTH_TOKEN=demo ./dev manage simulate_twilio call --press 4 --then answer --as ines

Deterministic and idempotent (run it again: nothing doubles).
"""

import random
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from helpdesk.models import Language, Queue, User
from helpdesk.services import clock

from ...models import (
    Call,
    CallDirection,
    CallResult,
    CallState,
    Interpreter,
    MenuOption,
    PhoneNumber,
    StaffPhone,
    WhatsAppTemplate,
)
from ...models.calls import hour_of_week

DEMO_NUMBER = "+3225550100"
MENU = ["nl", "fr", "en", "ar", "prs", "ps", "ti", "uk"]
STAFF_PHONES = {"ines": "+32470000001", "youssef": "+32470000002", "lars": "+32470000003"}
# The languages callers choose, roughly as the info line hears them.
CALLER_LANGUAGES = {"nl": 20, "fr": 14, "en": 10, "ar": 18, "prs": 9, "ps": 8, "ti": 7, "uk": 6}


class Command(BaseCommand):
    help = "Demo data for the phone line: a number with a language menu, staff phones, calls."

    def add_arguments(self, parser):
        parser.add_argument(
            "--calls", type=int, default=600, help="call records over the last year"
        )
        parser.add_argument("--seed", type=int, default=2026)

    @transaction.atomic
    def handle(self, *args, calls, seed, **options):
        queue = Queue.objects.filter(slug="infolijn").first()
        if queue is None:
            raise CommandError("Run load_demo_data (or migrate) first: there is no Infolijn queue.")
        languages = Language.objects.in_bulk(MENU)
        number, created = PhoneNumber.objects.get_or_create(
            number=DEMO_NUMBER,
            defaults={
                "label": "Infolijn (demo)",
                "queue": queue,
                "default_language": languages.get("nl"),
                "handles_whatsapp": True,
            },
        )
        for digit, code in enumerate(MENU, start=1):
            if code in languages:
                MenuOption.objects.get_or_create(
                    number=number, digit=digit, defaults={"language": languages[code]}
                )
        today = timezone.localdate(clock.now())
        for username, phone in STAFF_PHONES.items():
            if user := User.objects.filter(username=username).first():
                StaffPhone.objects.update_or_create(
                    user=user, defaults={"phone": phone, "available_on": today}
                )
        interpreter, _ = Interpreter.objects.get_or_create(
            name="Farid (demo)",
            defaults={"phone": "+32470000009", "organisation": "Interpreting service"},
        )
        interpreter.languages.add(*[languages[c] for c in ("ar", "prs", "ps") if c in languages])
        if "ar" in languages:
            WhatsAppTemplate.objects.get_or_create(
                content_sid="HX" + "0" * 32,
                defaults={
                    "name": "We have an answer",
                    "language": languages["ar"],
                    "body": "We have an answer to your question {{1}}. Reply to this message to read it.",
                    "variables": {"1": "reference"},
                },
            )
        if created:
            self.create_calls(random.Random(seed), number, queue, calls)
        self.stdout.write(
            f"Demo number {DEMO_NUMBER} (Infolijn); ines, youssef and lars take calls today. "
            "Try: manage.py simulate_twilio call --press 4 --then answer --as ines"
        )

    def create_calls(self, rng, number, queue, count):
        """A year of calls within opening hours, for the statistics page."""
        now = clock.now()
        codes = list(CALLER_LANGUAGES)
        weights = list(CALLER_LANGUAGES.values())
        users = list(User.objects.filter(username__in=STAFF_PHONES))
        rows = []
        for _ in range(count):
            day = now - timedelta(days=rng.randint(1, 365))
            while day.weekday() >= 5:
                day -= timedelta(days=1)
            started = timezone.localtime(day).replace(
                hour=rng.choice([9, 10, 11, 12, 13, 14, 15, 16]),
                minute=rng.randint(0, 59),
                second=0,
            )
            result = rng.choices(
                [
                    CallResult.ANSWERED,
                    CallResult.ABANDONED,
                    CallResult.VOICEMAIL,
                    CallResult.CALLBACK,
                    CallResult.MENU,
                ],
                weights=[72, 11, 9, 4, 4],
            )[0]
            wait = int(rng.expovariate(1 / 45)) if result != CallResult.MENU else None
            rows.append(
                Call(
                    direction=CallDirection.INBOUND,
                    number=number,
                    queue=queue,
                    language_id=rng.choices(codes, weights)[0]
                    if result != CallResult.MENU
                    else None,
                    state=CallState.ENDED,
                    result=result,
                    was_open=True,
                    callback_requested=result in (CallResult.ABANDONED, CallResult.CALLBACK),
                    started_at=started,
                    started_hour_of_week=hour_of_week(started),
                    enqueued_at=started + timedelta(seconds=15) if wait is not None else None,
                    answered_at=started + timedelta(seconds=15 + wait)
                    if result == CallResult.ANSWERED
                    else None,
                    queue_seconds=wait,
                    duration_seconds=(wait or 0) + rng.randint(60, 900),
                    answered_by=rng.choice(users)
                    if users and result == CallResult.ANSWERED
                    else None,
                )
            )
        Call.objects.bulk_create(rows)
