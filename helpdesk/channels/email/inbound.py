"""Mail that arrives: one path for the mailbox poller, provider webhooks and archive imports.

1. `inbound_store` keeps the raw bytes and commits, before anything else happens; a message
   stored before (same Message-ID, or same content where there is none) is not stored again.
2. `inbound_process` (in a task) reads it and makes it a ticket, a reply on a ticket, an
   automatic reply recorded on its ticket, or a bounce recorded on the mail it is about; or it
   records why not. All of that happens in one transaction with the status change, so a crash
   leaves the message "stored" and the next run does the whole work once.
"""

import functools
import logging
import re
import traceback

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.tasks import enqueue_on_commit
from helpdesk.models import Channel, Language, Message, Queue, Ticket
from helpdesk.services.attachments import partition_files
from helpdesk.services.contacts import contact_find, contact_find_or_create
from helpdesk.services.tickets import message_receive, ticket_add_note, ticket_create

from .language import detect_language
from .models import InboundEmail, InboundOutcome, InboundStatus, Mailbox, OutboundEmail
from .outbound import outbound_bounced, own_addresses
from .parsing import MACHINE_SENDER, ParsedEmail, dedupe_key, parse_email
from .quoting import fold_point

log = logging.getLogger(__name__)

RESULT_FIELDS = [
    "msgid", "subject", "from_address", "is_automatic", "status", "outcome", "reason",
    "attempts", "processed_at", "ticket", "message",
]  # fmt: skip
REFERENCE = re.compile(r"\b([A-Z]{2,4}-\d{4}-\d{6})\b")


# --- Storing --------------------------------------------------------------------------------


def queue_for(addresses: list[str]) -> Queue:
    """The queue a message was sent to (a mailbox's or queue's address among the recipients),
    else the default queue (EMAIL_DEFAULT_QUEUE)."""
    wanted = [a.lower() for a in addresses if a]
    if wanted:
        mailbox = Mailbox.objects.filter(address__in=wanted).select_related("queue").first()
        if mailbox:
            return mailbox.queue
        queue = Queue.objects.filter(email__in=wanted).first()
        if queue:
            return queue
    return Queue.objects.get(slug=settings.EMAIL_DEFAULT_QUEUE)


def inbound_store(
    raw: bytes,
    *,
    origin: str,
    queue: Queue,
    mailbox: Mailbox | None = None,
    imap_uid: str = "",
    origin_detail: str = "",
    enqueue: bool = True,
) -> tuple[InboundEmail, bool]:
    """Keep the raw message (committed when this returns outside a transaction).

    Returns (the stored message, whether it is new). A message seen before returns the first
    copy and False: a second delivery, poll or import changes nothing.
    """
    key, message_id = dedupe_key(raw)
    existing = InboundEmail.objects.filter(dedupe_key=key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            inbound = InboundEmail.objects.create(
                dedupe_key=key,
                msgid=message_id,
                raw=raw,
                size=len(raw),
                origin=origin,
                origin_detail=origin_detail[:255],
                mailbox=mailbox,
                imap_uid=str(imap_uid)[:20],
                queue=queue,
            )
            if enqueue:
                from .tasks import process_inbound

                enqueue_on_commit(process_inbound, inbound.pk)
    except IntegrityError:
        # Stored by another process a moment ago.
        return InboundEmail.objects.get(dedupe_key=key), False
    return inbound, True


# --- Processing -----------------------------------------------------------------------------


def inbound_process(inbound_id: int) -> InboundEmail | None:
    """Turn a stored message into what it is. Idempotent: a processed message is left alone."""
    try:
        with transaction.atomic():
            inbound = (
                InboundEmail.objects.select_for_update(of=("self",))
                .select_related("queue")
                .filter(pk=inbound_id)
                .first()
            )
            if inbound is None or inbound.status != InboundStatus.STORED:
                return inbound
            inbound.attempts += 1
            _process(inbound)
            inbound.processed_at = timezone.now()
            inbound.save(update_fields=RESULT_FIELDS)  # not the raw bytes again
    except Exception as error:  # kept for a person, never dropped
        log.exception("Could not process received email %s", inbound_id)
        detail = "".join(traceback.format_exception_only(error)).strip()
        InboundEmail.objects.filter(pk=inbound_id, status=InboundStatus.STORED).update(
            status=InboundStatus.FAILED,
            reason=f"{detail}\n\n{traceback.format_exc()[-4000:]}".replace("\x00", "\\x00"),
            processed_at=timezone.now(),
        )
        return InboundEmail.objects.filter(pk=inbound_id).first()
    return inbound


def inbound_retry(inbound: InboundEmail) -> InboundEmail:
    """Process a failed (or rejected) message again, after a person fixed the cause."""
    updated = InboundEmail.objects.filter(
        pk=inbound.pk, status__in=[InboundStatus.FAILED, InboundStatus.REJECTED]
    ).update(status=InboundStatus.STORED, reason="")
    if updated:
        from .tasks import process_inbound

        enqueue_on_commit(process_inbound, inbound.pk)
    inbound.refresh_from_db()
    return inbound


def _reject(inbound: InboundEmail, reason: str):
    inbound.status = InboundStatus.REJECTED
    inbound.reason = reason


def _done(inbound: InboundEmail, outcome: str, ticket: Ticket, message: Message | None):
    inbound.status = InboundStatus.PROCESSED
    inbound.outcome = outcome
    inbound.ticket = ticket
    inbound.message = message


def find_thread(parsed: ParsedEmail) -> tuple[Ticket | None, bool]:
    """The ticket this mail continues, and whether its headers (not only the subject) say so.

    In-Reply-To, then References (newest first), against our own mails and earlier received
    ones; then a ticket reference in the subject. A merged ticket leads to the one it went into.
    """
    ids = parsed.thread_ids
    ticket = None
    by_headers = False
    if ids:
        found: dict[str, int] = {}
        for mid, ticket_id in OutboundEmail.objects.filter(msgid__in=ids).values_list(
            "msgid", "ticket_id"
        ):
            found.setdefault(mid, ticket_id)
        for mid, ticket_id in Message.objects.filter(
            channel=Channel.EMAIL, external_id__in=ids
        ).values_list("external_id", "ticket_id"):
            found.setdefault(mid, ticket_id)
        for mid, ticket_id in InboundEmail.objects.filter(
            msgid__in=ids, ticket__isnull=False
        ).values_list("msgid", "ticket_id"):
            found.setdefault(mid, ticket_id)
        for mid in ids:
            if mid in found:
                ticket = Ticket.objects.filter(pk=found[mid]).first()
                by_headers = ticket is not None
                break
    if ticket is None and (match := REFERENCE.search(parsed.subject or "")):
        ticket = Ticket.objects.filter(reference=match.group(1)).first()
    seen = set()
    while ticket is not None and ticket.merged_into_id and ticket.pk not in seen:
        seen.add(ticket.pk)
        ticket = ticket.merged_into
    return ticket, by_headers


def _contact(parsed: ParsedEmail):
    address = parsed.from_address
    if not address:
        return None
    try:
        if MACHINE_SENDER.match(address):
            return contact_find(email=address.lower())
        return contact_find_or_create(email=address, name=parsed.from_name[:200])
    except ValidationError:
        return None  # an address Django does not accept: the ticket stays anonymous


def _language(text: str) -> Language | None:
    code = detect_language(text)
    if not code:
        return None
    return active_languages().get(code)


@functools.cache
def active_languages() -> dict[str, Language]:
    """The coded list of languages, read once per process (cleared when one is saved)."""
    return {language.code: language for language in Language.objects.filter(is_active=True)}


def forget_languages(**kwargs):
    active_languages.cache_clear()


def _process(inbound: InboundEmail):
    parsed = parse_email(bytes(inbound.raw))
    inbound.msgid = parsed.message_id or inbound.msgid
    inbound.subject = parsed.subject[:255]
    inbound.from_address = parsed.from_address[:254]
    inbound.is_automatic = bool(parsed.automatic or parsed.bounce)
    notes = (
        [_("Read with problems: %(list)s") % {"list": "; ".join(parsed.problems)}]
        if parsed.problems
        else []
    )

    if (
        parsed.message_id.startswith("infolijn-")
        and OutboundEmail.objects.filter(msgid=parsed.message_id).exists()
    ):
        return _reject(inbound, _("A mail we sent came back into the mailbox."))
    if parsed.bounce is not None:
        ticket = outbound_bounced(parsed.bounce)
        if ticket is None:
            return _reject(
                inbound,
                _("A delivery failure report about a mail we did not send (or no longer know)."),
            )
        return _done(inbound, InboundOutcome.BOUNCE, ticket, None)
    if parsed.from_address and parsed.from_address in own_addresses():
        return _reject(
            inbound,
            _("Sent from our own address %(address)s: a mail loop.")
            % {"address": parsed.from_address},
        )

    accepted, refused = partition_files(parsed.attachments)
    body = parsed.text
    if not body.strip() and not accepted:
        if not parsed.from_address and not parsed.subject:
            return _reject(
                inbound, _("The message has no sender, no subject, no text and no files.")
            )
        body = parsed.subject or _("(The email was empty.)")
    folded_at = fold_point(body)
    contact = _contact(parsed)
    thread, by_headers = find_thread(parsed)

    message = None
    if thread is not None:
        known = contact is not None and (
            contact.pk == thread.contact_id or thread.participants.filter(pk=contact.pk).exists()
        )
        if parsed.automatic and by_headers:
            # An out-of-office answer to our mail: on the ticket, but nothing reopens.
            message = message_receive(
                ticket=thread,
                channel=Channel.EMAIL,
                body=body,
                sender=contact if known else None,
                external_id=parsed.message_id,
                source=inbound,
                attachments=accepted,
                reopen=False,
            )
            ticket, outcome = thread, InboundOutcome.AUTO_REPLY
        elif known:
            message = message_receive(
                ticket=thread,
                channel=Channel.EMAIL,
                body=body,
                sender=contact,
                external_id=parsed.message_id,
                source=inbound,
                attachments=accepted,
            )
            ticket, outcome = thread, InboundOutcome.REPLY
        else:
            # Someone else answering on this ticket: never appended to another person's
            # question. A new ticket, linked, for staff to merge if it belongs.
            ticket = _new_ticket(inbound, parsed, body, folded_at, contact, accepted, thread)
            outcome = InboundOutcome.RELATED
    else:
        ticket = _new_ticket(inbound, parsed, body, folded_at, contact, accepted, None)
        outcome = InboundOutcome.TICKET
    if message is None:
        message = ticket.messages.filter(source_id=str(inbound.pk)).order_by("pk").first()
    if message is not None and folded_at:
        Message.objects.filter(pk=message.pk).update(body_folded_at=folded_at)
    if refused:
        notes.insert(0, _("Not kept from the email of %(sender)s: %(reasons)s")
                     % {"sender": parsed.from_address or _("an unknown sender"), "reasons": " ".join(refused)})  # fmt: skip
    if notes:
        ticket_add_note(ticket=ticket, author=None, body="\n".join(notes))
        inbound.reason = "\n".join(notes)
    _done(inbound, outcome, ticket, message)


def _new_ticket(inbound, parsed, body, folded_at, contact, attachments, related_to) -> Ticket:
    main = body[:folded_at] if folded_at else body
    return ticket_create(
        queue=inbound.queue,
        channel=Channel.EMAIL,
        subject=parsed.subject,
        body=body,
        contact=contact,
        language=_language(f"{parsed.subject}\n{main}"),
        source=inbound,
        external_id=parsed.message_id,
        attachments=attachments,
        related_to=related_to,
    )
