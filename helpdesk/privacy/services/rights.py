"""The rights of the people in the tickets: access (an export), rectification and erasure.

Each is done by someone allowed to (privacy.handle_rights_requests: administrators), for a reason
they give, and leaves a PrivacyRequest and an audit entry saying who did it, when and why.
"""

import json
import shutil
import zipfile
from collections import Counter
from dataclasses import dataclass
from tempfile import SpooledTemporaryFile

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from helpdesk.models import Contact, Direction, EventKind, Ticket
from helpdesk.privacy import registry
from helpdesk.privacy.audit import AuditAction, audit_record
from helpdesk.privacy.models import PrivacyRequest, RequestKind
from helpdesk.selectors.timeline import ticket_timeline
from helpdesk.services.attachments import safe_filename
from helpdesk.services.contacts import normalise_email, normalise_phone

from .pseudonymise import contact_pseudonymise, contact_withdraw_from_ticket, ticket_pseudonymise

PERMISSION = "privacy.handle_rights_requests"
EXPORT_FORMAT = "infolijn-subject-access/1"
# Kept in memory up to this size, then spilled to a temporary file (deleted when closed).
SPOOL_BYTES = 16 * 1024 * 1024


def can_handle_rights_requests(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(PERMISSION))


def _require(actor, reason: str) -> str:
    if not can_handle_rights_requests(actor):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say how and when the person asked.")})
    return reason


def _record(kind, *, contact, actor, reason, tickets, summary, action) -> PrivacyRequest:
    request = PrivacyRequest.objects.create(
        kind=kind,
        contact=contact,
        handled_by=actor,
        handled_by_label=actor.get_username(),
        reason=reason,
        tickets=sorted(tickets),
        summary=summary,
    )
    audit_record(
        actor=actor,
        action=action,
        target=contact,
        details={"request": request.pk, **summary},
    )
    return request


def tickets_of(contact: Contact):
    """(tickets they asked, other people's tickets they took part in)."""
    own = Ticket.objects.filter(contact=contact)
    others = (
        Ticket.objects.filter(Q(participants=contact) | Q(messages__sender=contact))
        .exclude(contact=contact)
        .distinct()
    )
    return own, others


# --- Erasure ---------------------------------------------------------------------------------


@transaction.atomic
def contact_erase(*, contact: Contact, actor, reason: str) -> PrivacyRequest:
    """Erase everything about the person, at their request, whatever the retention says.

    Their own tickets are pseudonymised (open ones too: they stay, empty, for staff to close);
    on other people's tickets their messages lose their words and files; then their own record
    and whatever the channels hold about them. The figures stay, as after retention.
    """
    reason = _require(actor, reason)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    own, others = tickets_of(contact)
    own, others = (
        list(own.values_list("pk", "reference")),
        list(others.values_list("pk", "reference")),
    )
    totals: Counter = Counter()
    for pk, _reference in own:
        counts = (
            ticket_pseudonymise(
                ticket_id=pk, actor=actor, reason="erasure", leave_contact=contact.pk
            )
            or {}
        )
        counts.pop("contacts", None)
        totals.update(counts)
    for pk, _reference in others:
        ticket = Ticket.objects.get(pk=pk)
        totals.update(contact_withdraw_from_ticket(contact=contact, ticket=ticket))
    contact_pseudonymise(contact_id=contact.pk, actor=actor, reason="erasure", force=True)
    summary = {
        "tickets": len(own),
        "other_tickets": len(others),
        **dict(sorted(totals.items())),
    }
    return _record(
        RequestKind.ERASURE,
        contact=contact,
        actor=actor,
        reason=reason,
        tickets=[reference for _pk, reference in own + others],
        summary=summary,
        action=AuditAction.CONTACT_ERASE,
    )


# --- Rectification ---------------------------------------------------------------------------

RECTIFIABLE = ("name", "email", "phone", "organisation")


@transaction.atomic
def contact_rectify(
    *,
    contact: Contact,
    actor,
    reason: str,
    name: str,
    email: str,
    phone: str,
    organisation: str,
) -> PrivacyRequest | None:
    """Correct what we hold about the person. None when nothing changed."""
    reason = _require(actor, reason)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.pseudonymised_at is not None:
        raise ValidationError(_("This person's data was already removed."))
    errors = {}
    try:
        email = normalise_email(email)
    except ValidationError as error:
        errors["email"] = error.messages
    try:
        phone = normalise_phone(phone)
    except ValidationError as error:
        errors["phone"] = error.messages
    others = Contact.objects.exclude(pk=contact.pk)
    if "email" not in errors and email and others.filter(email=email).exists():
        errors["email"] = [_("Another person has this email address.")]
    if "phone" not in errors and phone and others.filter(phone=phone).exists():
        errors["phone"] = [_("Another person has this phone number.")]
    if errors:
        raise ValidationError(errors)
    values = {"name": name.strip(), "email": email, "phone": phone, "organisation": organisation}
    values["organisation"] = values["organisation"].strip()
    changed = [field for field in RECTIFIABLE if getattr(contact, field) != values[field]]
    if not changed:
        return None
    for field in changed:
        setattr(contact, field, values[field])
    contact.save(update_fields=[*changed, "updated_at"])
    return _record(
        RequestKind.RECTIFICATION,
        contact=contact,
        actor=actor,
        reason=reason,
        tickets=[],
        summary={"fields": changed},
        action=AuditAction.CONTACT_CHANGE,
    )


# --- Access (subject access request) ---------------------------------------------------------


@dataclass
class ExportArchive:
    file: SpooledTemporaryFile
    filename: str
    size: int
    request: PrivacyRequest


def export_language(contact: Contact, wanted: str = "") -> str:
    """The site language to write the export in: the one asked for, else the person's own."""
    site_languages = {code for code, _name in settings.LANGUAGES}
    if wanted in site_languages:
        return wanted
    preferred = contact.preferred_language
    if preferred is not None:
        for code in (preferred.interface_language, preferred.code):
            if code in site_languages:
                return code
    return settings.LANGUAGE_CODE


def _label(entry) -> str | None:
    return str(entry) if entry is not None else None


def _code(entry) -> str | None:
    return getattr(entry, "code", None) if entry is not None else None


class _Archive:
    """Writes the archive and collects the JSON alongside, so both list the same files."""

    def __init__(self):
        self.file = SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by the caller
        self.zip = zipfile.ZipFile(self.file, "w", compression=zipfile.ZIP_DEFLATED)
        self.files = 0

    def add_stream(self, name: str, opener) -> bool:
        try:
            with opener() as source, self.zip.open(name, "w", force_zip64=True) as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
        except (OSError, ValueError):
            return False
        self.files += 1
        return True

    def add_text(self, name: str, text: str):
        self.zip.writestr(name, text.encode("utf-8"))

    def close(self) -> int:
        self.zip.close()
        size = self.file.tell()
        self.file.seek(0)
        return size


def _message_entry(
    message, *, reference: str, archive: _Archive, own_ticket: bool, contact, attachments=None
) -> dict:
    """`attachments`: the message's files if already read (a timeline entry's), else queried."""
    if message.direction == Direction.INBOUND:
        who = "you" if message.sender_id == contact.pk or not own_ticket else "someone-else"
    else:
        who = "organisation"
    entry = {
        "at": message.created_at,
        "direction": message.direction,
        "from": who,
        "channel": message.channel,
        "channel_label": message.get_channel_display(),
        "text": message.body,
        "delivery": message.status if message.direction == Direction.OUTBOUND else None,
        "attachments": [],
    }
    for attachment in message.attachments.all() if attachments is None else attachments:
        path = f"files/{reference}/{attachment.pk}-{safe_filename(attachment.filename)}"
        stored = bool(attachment.file) and archive.add_stream(
            path, lambda attachment=attachment: attachment.file.open("rb")
        )
        entry["attachments"].append(
            {
                "name": attachment.filename,
                "type": attachment.content_type,
                "size": attachment.size,
                "sha256": attachment.sha256,
                "file": path if stored else None,
            }
        )
    return entry


def _ticket_entry(ticket: Ticket, *, contact, archive: _Archive, include_notes: bool) -> dict:
    messages, history = [], []
    for entry in ticket_timeline(ticket):
        if entry.is_message:
            if entry.message.direction == Direction.NOTE and not include_notes:
                continue
            messages.append(
                _message_entry(
                    entry.message,
                    reference=ticket.reference,
                    archive=archive,
                    own_ticket=True,
                    contact=contact,
                    attachments=entry.attachments,
                )
            )
        elif entry.event.kind != EventKind.ASSIGNED:  # which colleague: internal, not about them
            history.append({"at": entry.at, "what": entry.text})
    return {
        "reference": ticket.reference,
        "role": "requester",
        "queue": str(ticket.queue),
        "channel": ticket.channel,
        "channel_label": ticket.get_channel_display(),
        "language": _label(ticket.language),
        "subject": ticket.subject,
        "status": ticket.status,
        "status_label": ticket.get_status_display(),
        "topics": [str(topic) for topic in ticket.topics.all()],
        "requester_type": _label(ticket.requester_type),
        "outcome": _label(ticket.outcome),
        "referred_to": _label(ticket.referral),
        "created_at": ticket.created_at,
        "closed_at": ticket.closed_at,
        "personal_data_removed_at": ticket.pseudonymised_at,
        "messages": messages,
        "history": history,
    }


def _participation_entry(ticket: Ticket, *, contact, archive: _Archive) -> dict:
    messages = ticket.messages.filter(sender=contact).prefetch_related("attachments")
    return {
        "reference": ticket.reference,
        "role": "participant",
        "created_at": ticket.created_at,
        "messages": [
            _message_entry(
                message,
                reference=ticket.reference,
                archive=archive,
                own_ticket=False,
                contact=contact,
            )
            for message in messages
        ],
    }


def _channel_parts(contact: Contact, tickets: list[Ticket], archive: _Archive) -> dict:
    parts: dict[str, list] = {}
    for exporter in registry.exporters():
        found = []
        if exporter.contact is not None:
            found.append(exporter.contact(contact))
        if exporter.ticket is not None:
            found += [exporter.ticket(ticket) for ticket in tickets]
        data = []
        for part in filter(None, found):
            files = []
            for file in part.files:
                path = f"channels/{safe_filename(exporter.name)}/{safe_filename(file.name)}"
                if archive.add_stream(path, file.open):
                    files.append(path)
            data.append({"data": part.data, "files": files})
        if data:
            parts[exporter.name] = data
    return parts


def contact_export(
    *,
    contact: Contact,
    actor,
    reason: str,
    include_notes: bool = True,
    language: str = "",
) -> ExportArchive:
    """Everything we hold about the person, as one ZIP file: data.json (complete, for machines
    and for moving it elsewhere), index.html (the same, readable, in their language) and the
    files they sent or received. The caller streams `file` and closes it."""
    reason = _require(actor, reason)
    language = export_language(contact, language)
    own, others = tickets_of(contact)
    own = list(
        own.select_related("queue", "language", "requester_type", "outcome", "referral")
        .prefetch_related("topics")
        .order_by("created_at")
    )
    others = list(others.order_by("created_at"))
    archive = _Archive()
    now = timezone.now()
    with translation.override(language):
        data = {
            "format": EXPORT_FORMAT,
            "organisation": settings.SITE_NAME,
            "generated_at": now,
            "language": language,
            "person": {
                "number": contact.pk,
                "name": contact.name,
                "email": contact.email,
                "phone": contact.phone,
                "organisation": contact.organisation,
                "requester_type": _label(contact.requester_type),
                "preferred_language": _label(contact.preferred_language),
                "first_contact": contact.created_at,
                "personal_data_removed_at": contact.pseudonymised_at,
            },
            "tickets": [
                _ticket_entry(ticket, contact=contact, archive=archive, include_notes=include_notes)
                for ticket in own
            ]
            + [_participation_entry(ticket, contact=contact, archive=archive) for ticket in others],
            "channels": _channel_parts(contact, own, archive),
            "requests": [
                {
                    "right": request.kind,
                    "label": request.get_kind_display(),
                    "at": request.handled_at,
                }
                for request in PrivacyRequest.objects.filter(contact=contact).order_by("handled_at")
            ],
        }
        archive.add_text(
            "data.json", json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        )
        archive.add_text(
            "index.html",
            render_to_string(
                "privacy/export/index.html",
                {
                    "data": data,
                    "include_notes": include_notes,
                    "rtl": translation.get_language_bidi(),
                },
            ),
        )
    summary = {
        "tickets": len(own),
        "other_tickets": len(others),
        "messages": sum(len(ticket["messages"]) for ticket in data["tickets"]),
        "files": archive.files,
        "include_notes": include_notes,
        "language": language,
    }
    size = archive.close()
    summary["bytes"] = size
    with transaction.atomic():
        request = _record(
            RequestKind.ACCESS,
            contact=contact,
            actor=actor,
            reason=reason,
            tickets=[ticket.reference for ticket in own + others],
            summary=summary,
            action=AuditAction.CONTACT_EXPORT,
        )
    filename = f"{slugify(settings.SITE_NAME) or 'export'}-person-{contact.pk}-{now:%Y%m%d}.zip"
    return ExportArchive(file=archive.file, filename=filename, size=size, request=request)
