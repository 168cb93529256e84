import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from helpdesk.models import Queue

from ...importer import ArchiveError, import_archive


class Command(BaseCommand):
    help = (
        "Import mail from .eml files, mbox files and Maildir folders (an archive from a shared "
        "mailbox) through the same path as polled mail. Messages already stored are skipped; "
        "nothing imported is acknowledged."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--queue",
            default=None,
            help=f"Queue slug for new tickets (default: {settings.EMAIL_DEFAULT_QUEUE}).",
        )

    def handle(self, *args, paths, queue, **options):
        slug = queue or settings.EMAIL_DEFAULT_QUEUE
        target = Queue.objects.filter(slug=slug).first()
        if target is None:
            known = ", ".join(Queue.objects.values_list("slug", flat=True))
            raise CommandError(f"No queue “{slug}”. Queues: {known}.")
        show = options["verbosity"] > 0 and sys.stderr.isatty()

        def progress(iterable, **kwargs):
            return tqdm(iterable, disable=not show, file=sys.stderr, **kwargs)

        try:
            summary = import_archive(paths, queue=target, progress=progress)
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        out = self.stdout
        out.write(f"imported as new tickets:  {summary.imported}")
        out.write(f"threaded as replies:      {summary.threaded}")
        if summary.other:
            out.write(f"delivery reports matched: {summary.other}")
        out.write(f"skipped as duplicates:    {summary.duplicates}")
        out.write(f"rejected:                 {summary.rejected}")
        out.write(f"failed (kept for review): {summary.failed}")
        for reason, count in summary.reasons.most_common():
            out.write(f"  {count} × {reason}")
        for problem in summary.unreadable:
            out.write(self.style.WARNING(f"unreadable: {problem}"))
        if summary.failed or summary.unreadable:
            out.write("Failed messages are kept: see Received emails in the admin.")
