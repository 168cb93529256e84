from django.core.management.base import BaseCommand

from helpdesk.privacy.services.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Remove personal data past its retention period (closed tickets, people with no ticket "
        "left, recordings), prune the audit log, and report. --dry-run only reports."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; change nothing."
        )

    def handle(self, *args, dry_run, **options):
        report = apply_retention(dry_run=dry_run)
        verb = "Would remove" if dry_run else "Removed"
        out = self.stdout.write
        out(f"{'Dry run: nothing was changed.' if dry_run else 'Retention applied.'}")
        out(f"{verb} the personal data of {report.tickets} closed ticket(s).")
        for (queue, channel), count in sorted(report.by_queue_channel.items()):
            out(f"  {queue:<20} {channel:<12} {count}")
        out(f"{verb} {report.attachments} attachment(s).")
        out(f"{verb} the data of {report.contacts} person(s) left with no ticket.")
        out(f"{verb} the data of {report.orphan_contacts} person(s) never on a ticket.")
        for name, count in sorted(report.erased.items()):
            out(f"  {name}: {count} item(s) erased")
        for name, count in sorted(report.expired.items()):
            out(f"{verb} {count} item(s) of {name} (shorter retention).")
        out(f"{verb} {report.orphan_files} stored file(s) no attachment points to.")
        out(
            f"{verb} {report.audit_entries} audit entr{'y' if report.audit_entries == 1 else 'ies'}"
            f" and {report.privacy_requests} rights request record(s) past their retention."
        )
        if report.left_open_count:
            out(
                self.style.WARNING(
                    f"{report.left_open_count} ticket(s) were never closed and have been quiet "
                    "longer than their retention period; they keep their data until closed:"
                )
            )
            out("  " + ", ".join(report.left_open))
        for failure in report.failures:
            self.stderr.write(self.style.ERROR(f"Failed: {failure} (retried on the next run)"))
