"""The audit log's one way in: `audit_record(...)`.

Any app records what someone did with personal data or with access itself:

    from helpdesk.privacy.audit import AuditAction, audit_record

    audit_record(actor=request.user, action=AuditAction.STATS_EXPORT,
                 details={"format": "xlsx", "year": 2026})

Rules: name a ticket by passing it as `target` (it is stored by reference), a person by passing
the Contact (stored by number): never put a requester's name, address, number or words in
`target_label` or `details`, because the log outlives the data (it has its own retention).
The request's IP address is taken from the running request (PrivacyMiddleware), or from
`request=` where the middleware has not run yet; it is kept for what a logged-in person did and
for login attempts, never for what a requester did (a web form creating a ticket).
"""

import ipaddress
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

from helpdesk.privacy.models import AuditAction, AuditEntry

__all__ = ["AuditAction", "audit_record", "client_ip", "fingerprint_of"]


@dataclass(frozen=True)
class RequestContext:
    ip: str | None
    user: Any = None


_context: ContextVar[RequestContext | None] = ContextVar("privacy_audit_context", default=None)


@contextmanager
def request_context(request):
    """Make the request's address and user known to audit_record() calls made while it runs."""
    token = _context.set(RequestContext(ip=client_ip(request), user=getattr(request, "user", None)))
    try:
        yield
    finally:
        _context.reset(token)


def current_user():
    context = _context.get()
    user = context.user if context else None
    return user if user is not None and user.is_authenticated else None


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind our proxy the last hop it recorded."""
    if request is None:
        return None
    candidate = request.META.get("REMOTE_ADDR", "")
    if settings.PRIVACY_TRUST_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            candidate = forwarded.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def fingerprint_of(kind: str, value: str) -> str:
    """A keyed hash of something typed (a user name, an email address), for counting attempts.

    Keyed with SECRET_KEY, so the log cannot be matched against a list of guesses; a mistyped
    password in the user-name field is never stored.
    """
    normalised = (value or "").strip().casefold()
    return salted_hmac(f"infolijn.privacy.{kind}", normalised, algorithm="sha256").hexdigest()[:32]


def describe_target(target) -> tuple[str, str, str]:
    """(type, id, label) for a model instance, never showing a requester's personal data."""
    from helpdesk.models import Attachment, Contact, Message, Ticket, User

    if isinstance(target, Ticket):
        return "ticket", str(target.pk), target.reference
    if isinstance(target, Contact):
        return "contact", str(target.pk), f"#{target.pk}"
    if isinstance(target, User):
        return "user", str(target.pk), target.get_username()
    if isinstance(target, Message):
        return "ticket", str(target.ticket_id), target.ticket.reference
    if isinstance(target, Attachment):
        return "attachment", str(target.pk), target.message.ticket.reference
    if isinstance(target, models.Model):
        return target._meta.label_lower, str(target.pk), ""
    raise TypeError(f"Cannot describe {target!r} as an audit target")


def audit_record(
    *,
    actor=None,
    action: str,
    target=None,
    target_type: str = "",
    target_id: str | int = "",
    target_label: str = "",
    details: dict | None = None,
    request=None,
    fingerprint: str = "",
    at=None,
) -> AuditEntry:
    """Append one entry to the audit log and return it.

    `actor` is the user who acted (None for the system: retention, a task). `target` is the
    model instance acted on (or give target_type/target_id/target_label yourself). `details`
    holds codes and counts, JSON-serialisable. It writes in the caller's transaction: what is
    rolled back was not done, and is not logged either.
    """
    if target is not None:
        target_type, target_id, target_label = describe_target(target)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    context = _context.get()
    ip = client_ip(request) if request is not None else (context.ip if context else None)
    if actor is None and not str(action).startswith("auth."):
        # A requester's address (a web form, a private link) is not kept: the log outlives the
        # ticket. Addresses are kept for what staff do and for attempts to log in.
        ip = None
    return AuditEntry.objects.create(
        at=at or timezone.now(),
        actor=actor,
        actor_label=actor.get_username() if actor is not None else "",
        action=str(action),
        target_type=target_type,
        target_id=str(target_id)[:64],
        target_label=str(target_label)[:150],
        details=details or {},
        ip=ip,
        fingerprint=fingerprint,
    )
