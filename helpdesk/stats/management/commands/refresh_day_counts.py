"""Recount the statistics' daily rollup now (after a bulk import, or with --all from scratch)."""

from django.core.management.base import BaseCommand

from helpdesk.stats.services import day_counts_refresh


class Command(BaseCommand):
    help = "Recount the days whose tickets changed into the statistics' daily rollup."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="recount every day")

    def handle(self, *args, **options):
        days = day_counts_refresh(everything=options["all"])
        self.stdout.write(f"Recounted {days} days.")
