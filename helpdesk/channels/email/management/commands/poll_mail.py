from django.core.management.base import BaseCommand

from ...models import Mailbox
from ...poller import poll_mailbox


class Command(BaseCommand):
    help = "Poll every active mailbox now (the periodic job does this every interval)."

    def handle(self, *args, **options):
        for mailbox in Mailbox.objects.filter(is_active=True):
            result = poll_mailbox(mailbox.pk)
            line = f"{mailbox}: {result.stored} new, {result.duplicates} already stored"
            if result.error:
                self.stderr.write(self.style.ERROR(f"{line}; error: {result.error}"))
            else:
                self.stdout.write(line)
