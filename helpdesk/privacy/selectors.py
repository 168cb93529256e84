"""Reads of the privacy pages: the audit log, people, and what retention would do."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from helpdesk.models import Contact, Ticket
from helpdesk.privacy.models import AuditEntry, PrivacyRequest
from helpdesk.services.contacts import normalise_phone

REFERENCE_RE = re.compile(r"^[A-Za-z]{2,4}-\d{4}-\d{1,6}$")
NUMBER_RE = re.compile(r"^#?(\d{1,18})$")
PHONE_RE = re.compile(r"^\+?[\d\s()./-]{6,}$")


@dataclass
class AuditFilters:
    actor: str = ""
    action: str = ""
    target: str = ""
    ip: str | None = None
    since: date | None = None
    until: date | None = None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries(filters: AuditFilters) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.all()
    # Exact matches on indexed columns: an audit log of years must answer at once.
    if filters.actor:
        entries = entries.filter(actor_label=filters.actor.strip())
    if filters.action:
        if filters.action.endswith("."):
            entries = entries.filter(action__startswith=filters.action)
        else:
            entries = entries.filter(action=filters.action)
    target = filters.target.strip()
    if target:
        if number := NUMBER_RE.match(target):
            entries = entries.filter(target_type="contact", target_id=number.group(1))
        elif REFERENCE_RE.match(target):
            entries = entries.filter(target_label=target.upper())
        else:
            entries = entries.filter(target_label=target)
    if filters.ip:
        entries = entries.filter(ip=filters.ip)
    if filters.since:
        entries = entries.filter(at__gte=_start_of(filters.since))
    if filters.until:
        entries = entries.filter(at__lt=_start_of(filters.until + timedelta(days=1)))
    return entries


def contacts_matching(q: str, limit: int = 50) -> list[Contact]:
    """People whose number, email, phone, name or organisation match `q`, with their counts."""
    q = q.strip()
    if not q:
        return []
    contacts = Contact.objects.all()
    if (number := NUMBER_RE.match(q)) and (q.startswith("#") or len(q) < 6):
        contacts = contacts.filter(pk=int(number.group(1)))
        return list(_with_counts(contacts)[:limit])
    if "@" in q:
        contacts = contacts.filter(email__icontains=q)
    elif PHONE_RE.match(q):
        try:
            contacts = contacts.filter(phone=normalise_phone(q))
        except ValidationError:
            contacts = contacts.filter(phone__contains=re.sub(r"\D", "", q))
    else:
        contacts = contacts.filter(Q(name__icontains=q) | Q(organisation__icontains=q))
    return list(_with_counts(contacts).order_by("name", "pk")[:limit])


def _with_counts(contacts):
    return contacts.select_related("requester_type", "preferred_language").annotate(
        ticket_count=Count("tickets", distinct=True),
        participation_count=Count("participating_tickets", distinct=True),
    )


def contact_overview(contact: Contact) -> dict:
    own = Ticket.objects.filter(contact=contact).select_related("queue").order_by("-created_at")
    others = (
        Ticket.objects.filter(Q(participants=contact) | Q(messages__sender=contact))
        .exclude(contact=contact)
        .select_related("queue")
        .distinct()
        .order_by("-created_at")
    )
    return {
        "own_tickets": list(own),
        "other_tickets": list(others),
        "requests": list(PrivacyRequest.objects.filter(contact=contact)),
    }


def recent_requests(limit: int = 20) -> list[PrivacyRequest]:
    return list(PrivacyRequest.objects.all()[:limit])


def retention_months(*, channel: str) -> int:
    """How long, at most, a ticket from `channel` keeps its personal data after closing, in whole
    months (rounded up): what the privacy notice of that channel promises. The longest of the
    rules that can apply (a queue may keep longer), so the notice never promises too little."""
    from helpdesk.models import Queue
    from helpdesk.privacy.services.retention import RetentionPolicy

    policy = RetentionPolicy()
    queue_ids = [None, *Queue.objects.values_list("pk", flat=True)]
    days = max(policy.days("pseudonymise_after_days", pk, channel) for pk in queue_ids)
    return -(-days * 12 // 365)  # ceil: 365 days is 12 months, 400 days is 14
