"""Retention: how long personal data is kept, and the job that applies it.

`apply_retention()` is run by `manage.py apply_retention` and by the periodic task
(helpdesk.privacy.tasks). Each step is idempotent and each ticket is its own transaction, so a
crash or a second run halfway loses nothing and does nothing twice.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Case, DateTimeField, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone

from helpdesk.models import Attachment, Contact, Message, Status, Ticket
from helpdesk.privacy import registry
from helpdesk.privacy.audit import AuditAction, audit_record
from helpdesk.privacy.models import AuditEntry, PrivacyRequest, RetentionRule

from .pseudonymise import contact_pseudonymise, ticket_pseudonymise

log = logging.getLogger(__name__)

# Files younger than this are never swept: an upload may be between its file and its row.
ORPHAN_FILE_GRACE = timedelta(days=1)
ATTACHMENT_FOLDER = "attachments"


class RetentionPolicy:
    """The retention rules as of `now`: for each queue and channel, the moment before which data
    must be gone. The most specific rule wins (queue and channel, queue, channel, settings)."""

    def __init__(self, *, now: datetime | None = None):
        self.now = now or timezone.now()
        self.rules = list(RetentionRule.objects.all())

    def _ordered(self, attribute: str) -> list[RetentionRule]:
        rules = [rule for rule in self.rules if getattr(rule, attribute) is not None]
        return sorted(rules, key=lambda rule: -rule.specificity)

    def days(self, attribute: str, queue_id: int | None, channel: str) -> int:
        for rule in self._ordered(attribute):
            if rule.queue_id in (None, queue_id) and rule.channel in ("", channel):
                return getattr(rule, attribute)
        return self.default_days(attribute)

    @staticmethod
    def default_days(attribute: str) -> int:
        return {
            "pseudonymise_after_days": settings.PRIVACY_TICKET_RETENTION_DAYS,
            "recordings_after_days": settings.PRIVACY_RECORDING_RETENTION_DAYS,
        }[attribute]

    def _cutoff(self, attribute: str, prefix: str):
        """A database expression: now minus the days of the rule governing each row's ticket."""
        default = Value(
            self.now - timedelta(days=self.default_days(attribute)), output_field=DateTimeField()
        )
        whens = []
        for rule in self._ordered(attribute):
            match = {}
            if rule.queue_id:
                match[f"{prefix}queue_id"] = rule.queue_id
            if rule.channel:
                match[f"{prefix}channel"] = rule.channel
            cutoff = self.now - timedelta(days=getattr(rule, attribute))
            whens.append(When(Q(**match), then=Value(cutoff, output_field=DateTimeField())))
        if not whens:
            return default
        return Case(*whens, default=default, output_field=DateTimeField())

    def ticket_cutoff(self, prefix: str = ""):
        """Closed before this, a ticket is pseudonymised. `prefix` reaches the ticket ("ticket__")."""
        return self._cutoff("pseudonymise_after_days", prefix)

    def recording_cutoff(self, prefix: str = ""):
        """Made before this, a recording of the ticket reached through `prefix` is deleted."""
        return self._cutoff("recordings_after_days", prefix)

    def tickets_due(self):
        """Closed tickets whose retention period is over, not yet pseudonymised."""
        return (
            Ticket.objects.filter(
                status=Status.CLOSED, closed_at__isnull=False, pseudonymised_at__isnull=True
            )
            .alias(cutoff=self.ticket_cutoff())
            .filter(closed_at__lt=F("cutoff"))
        )

    def tickets_left_open(self):
        """Tickets never closed, with no activity for longer than their retention period.

        Retention only touches closed tickets (an open question may still need its details), so
        these keep their data until someone closes them: the report names them.
        """
        return (
            Ticket.objects.exclude(status=Status.CLOSED)
            .filter(pseudonymised_at__isnull=True)
            .alias(cutoff=self.ticket_cutoff())
            .filter(updated_at__lt=F("cutoff"))
        )

    def orphan_contacts_due(self):
        """People named by no ticket (a call record's caller, an abandoned form) past the default
        period since we last heard of them."""
        cutoff = self.now - timedelta(days=settings.PRIVACY_TICKET_RETENTION_DAYS)
        return Contact.objects.filter(pseudonymised_at__isnull=True, updated_at__lt=cutoff).exclude(
            Q(Exists(Ticket.objects.filter(contact=OuterRef("pk"))))
            | Q(Exists(Ticket.participants.through.objects.filter(contact=OuterRef("pk"))))
            | Q(Exists(Message.objects.filter(sender=OuterRef("pk"))))
        )


def contacts_released_by(tickets) -> int:
    """How many people would be left with no ticket once `tickets` are pseudonymised."""
    ids = tickets.values("pk")
    links = Q(tickets__in=ids) | Q(participating_tickets__in=ids) | Q(messages__ticket__in=ids)
    live_ticket = Ticket.objects.exclude(pk__in=ids)
    still_named = (
        Exists(live_ticket.filter(contact=OuterRef("pk")))
        | Exists(live_ticket.filter(participants=OuterRef("pk")))
        | Exists(Message.objects.exclude(ticket__in=ids).filter(sender=OuterRef("pk")))
    )
    return (
        Contact.objects.filter(links, pseudonymised_at__isnull=True)
        .exclude(still_named)
        .distinct()
        .count()
    )


@dataclass
class RetentionReport:
    dry_run: bool
    now: datetime
    tickets: int = 0
    by_queue_channel: dict[tuple[str, str], int] = field(default_factory=dict)
    contacts: int = 0
    attachments: int = 0
    erased: dict[str, int] = field(default_factory=dict)
    expired: dict[str, int] = field(default_factory=dict)
    orphan_contacts: int = 0
    orphan_files: int = 0
    audit_entries: int = 0
    privacy_requests: int = 0
    sessions_cleared: bool = False
    left_open: list[str] = field(default_factory=list)
    left_open_count: int = 0
    failures: list[str] = field(default_factory=list)

    def as_details(self) -> dict:
        return {
            "tickets": self.tickets,
            "contacts": self.contacts,
            "attachments": self.attachments,
            "orphan_contacts": self.orphan_contacts,
            "orphan_files": self.orphan_files,
            "audit_entries": self.audit_entries,
            "privacy_requests": self.privacy_requests,
            "erased": self.erased,
            "expired": self.expired,
            "left_open": self.left_open_count,
            "failures": len(self.failures),
        }


def _orphan_attachment_files(now: datetime) -> list[str]:
    """Stored attachment files no row points at (a deletion interrupted after its commit)."""
    storage = default_storage
    if not storage.exists(ATTACHMENT_FOLDER):
        return []
    known = set(Attachment.objects.values_list("file", flat=True))
    orphans, folders = [], [ATTACHMENT_FOLDER]
    while folders:
        folder = folders.pop()
        subfolders, files = storage.listdir(folder)
        folders += [f"{folder}/{name}" for name in subfolders]
        for name in files:
            path = f"{folder}/{name}"
            if path not in known and storage.get_modified_time(path) < now - ORPHAN_FILE_GRACE:
                orphans.append(path)
    return orphans


def apply_retention(*, dry_run: bool = False, now: datetime | None = None) -> RetentionReport:
    """Apply every retention period; with dry_run, only count what would change."""
    policy = RetentionPolicy(now=now)
    now = policy.now
    report = RetentionReport(dry_run=dry_run, now=now)
    due = policy.tickets_due()

    for queue, channel in due.values_list("queue__slug", "channel"):
        key = (queue, channel)
        report.by_queue_channel[key] = report.by_queue_channel.get(key, 0) + 1
    left_open = policy.tickets_left_open().order_by("updated_at")
    report.left_open_count = left_open.count()
    report.left_open = list(left_open.values_list("reference", flat=True)[:50])
    audit_cutoff = now - timedelta(days=settings.PRIVACY_AUDIT_RETENTION_DAYS)
    old_audit = AuditEntry.objects.filter(at__lt=audit_cutoff)
    old_requests = PrivacyRequest.objects.filter(handled_at__lt=audit_cutoff)

    if dry_run:
        report.tickets = sum(report.by_queue_channel.values())
        report.contacts = contacts_released_by(due)
        report.attachments = Attachment.objects.filter(message__ticket__in=due).count()
        report.orphan_contacts = policy.orphan_contacts_due().count()
        report.orphan_files = len(_orphan_attachment_files(now))
        report.audit_entries = old_audit.count()
        report.privacy_requests = old_requests.count()
        for expiry in registry.expiries():
            report.expired[expiry.name] = expiry.expire(policy, dry_run=True) or 0
        return report

    for ticket_id in list(due.values_list("pk", flat=True)):
        try:
            counts = ticket_pseudonymise(ticket_id=ticket_id, now=now)
        except Exception as error:
            # One broken ticket must not stop the others; it is retried on the next run.
            log.exception("Retention could not pseudonymise ticket %s", ticket_id)
            report.failures.append(f"ticket {ticket_id}: {type(error).__name__}")
            continue
        if counts is None:
            continue
        report.tickets += 1
        report.contacts += counts.pop("contacts", 0)
        report.attachments += counts.pop("attachments", 0)
        counts.pop("messages", None)
        for name, count in counts.items():
            report.erased[name] = report.erased.get(name, 0) + count
    for contact_id in list(policy.orphan_contacts_due().values_list("pk", flat=True)):
        if contact_pseudonymise(contact_id=contact_id, now=now):
            report.orphan_contacts += 1
    for expiry in registry.expiries():
        try:
            report.expired[expiry.name] = expiry.expire(policy, dry_run=False) or 0
        except Exception as error:
            log.exception("Retention: %s failed", expiry.name)
            report.failures.append(f"{expiry.name}: {type(error).__name__}")
    for path in _orphan_attachment_files(now):
        default_storage.delete(path)
        report.orphan_files += 1

    report.audit_entries = old_audit.prune()
    report.privacy_requests = old_requests.prune()
    engine = import_module(settings.SESSION_ENGINE)
    try:
        engine.SessionStore.clear_expired()
        report.sessions_cleared = True
    except NotImplementedError:  # cookie sessions clear themselves
        pass
    audit_record(action=AuditAction.RETENTION_RUN, details=report.as_details(), at=now)
    return report
