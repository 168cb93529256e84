from pathlib import Path

from django.core.management.base import BaseCommand

from knowledgebase.selectors.transfer import articles_export_lines


class Command(BaseCommand):
    help = "Write every knowledge-base article as JSON lines (the format kb_import reads)."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", type=Path, help="A file (default: standard output).")

    def handle(self, *args, output: Path | None, **options):
        if output:
            count = 0
            with output.open("w", encoding="utf-8") as out:
                for line in articles_export_lines():
                    out.write(line + "\n")
                    count += 1
            self.stderr.write(f"{count} articles written to {output}")
        else:
            for line in articles_export_lines():
                self.stdout.write(line)
