from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from knowledgebase.services.transfer import articles_import


class Command(BaseCommand):
    help = (
        "Create or update knowledge-base articles from a JSON-lines file (one article a line, "
        "matched by slug). Bad lines are reported with their number and skipped; the rest are "
        "imported. Running it twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--rejects",
            type=Path,
            help="Where to keep the rejected lines with their reasons (default: under VAR_DIR).",
        )

    def handle(self, *args, file: Path, rejects: Path | None, **options):
        try:
            with file.open(encoding="utf-8-sig") as lines:
                report = articles_import(lines)
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        for number, reason, _text in report.rejected:
            self.stderr.write(f"{file}:{number}: skipped: {reason}")
        if report.rejected:
            # Nothing received is lost: the rejected lines are kept, to be fixed and imported.
            rejects = rejects or Path(settings.VAR_DIR) / "kb-import" / (
                f"{file.stem}-{timezone.now():%Y%m%d-%H%M%S}.rejected.jsonl"
            )
            rejects.parent.mkdir(parents=True, exist_ok=True)
            with rejects.open("w", encoding="utf-8") as out:
                for number, reason, text in report.rejected:
                    out.write(f"# line {number}: {reason}\n{text}\n")
            self.stderr.write(f"Rejected lines kept in {rejects}")
        self.stdout.write(
            f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
            f"{len(report.rejected)} rejected."
        )
        if report.rejected and not (report.created or report.updated or report.unchanged):
            raise CommandError("No line could be imported.")
