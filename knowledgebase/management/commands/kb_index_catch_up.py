"""Bring this machine's search index up to date with the database.

Run it on every web machine at start-up (ExecStartPre) and every minute (a systemd timer): it
reads the articles changed since the index's watermark. Nothing to do on the shared PostgreSQL
backend.
"""

from django.core.management.base import BaseCommand

from knowledgebase.search.sync import index_catch_up


class Command(BaseCommand):
    help = "Catch this machine's knowledge-base search index up with the database."

    def handle(self, *args, **options):
        result = index_catch_up()
        self.stdout.write(
            f"rebuilt={result.rebuilt} upserted={result.upserted} deleted={result.deleted} "
            f"watermark={result.watermark.isoformat() if result.watermark else '-'}"
        )
