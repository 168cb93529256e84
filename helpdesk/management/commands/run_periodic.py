from django.core.management.base import BaseCommand

from helpdesk.services.scheduler import run_periodic


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs that are due (mail polling, retention, index catch-up, ...) and "
        "requeue tasks whose worker died. Call it every minute from a systemd timer or cron."
    )

    def handle(self, *args, **options):
        enqueued, reaped = run_periodic()
        for name in enqueued:
            self.stdout.write(f"enqueued {name}")
        if reaped:
            self.stdout.write(f"requeued {reaped} task(s) left running by a dead worker")
