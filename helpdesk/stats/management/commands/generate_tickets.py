"""Write many tickets in bulk with realistic distributions (benchmarks, load tests).

manage.py generate_tickets --tickets 1000000 --start 2025-01-01 --end 2026-11-22
"""

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from helpdesk.stats.generator import Plan, generate
from helpdesk.stats.services import day_counts_refresh


class Command(BaseCommand):
    help = "Write N tickets in bulk, spread over a date range with realistic distributions."

    def add_arguments(self, parser):
        parser.add_argument("--tickets", type=int, default=100_000)
        parser.add_argument("--start", type=date.fromisoformat, help="first day (YYYY-MM-DD)")
        parser.add_argument("--end", type=date.fromisoformat, help="last day (default: yesterday)")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--batch", type=int, default=5000)

    def handle(self, *args, tickets, start, end, seed, batch, **options):
        end = end or timezone.localdate() - timedelta(days=1)
        start = start or date(end.year - 1, 1, 1)
        if start > end:
            raise CommandError("--start must be before --end.")
        if tickets < 1:
            raise CommandError("--tickets must be at least 1.")
        with tqdm(total=tickets, desc="Tickets", disable=options["verbosity"] < 1) as bar:
            written = generate(
                Plan(tickets=tickets, start=start, end=end, seed=seed, batch=batch),
                progress=bar.update,
            )
        self.stdout.write(f"Wrote {written} tickets created between {start} and {end}.")
        days = day_counts_refresh()
        self.stdout.write(f"Recounted {days} days of the statistics' rollup.")
