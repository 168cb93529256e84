"""Mail that leaves: staff answers and acknowledgements, sent once, with threading headers.

Every mail is an OutboundEmail row before it is sent. Its Message-ID is chosen then, so a retry
sends the same Message-ID (a mail program shows a duplicate once) and a bounce finds its way
back. The row's state keeps a retried or requeued task from sending it twice: a task claims the
row ("sending") and commits before it talks to the server; a task that finds a claim left by a
worker that died mid-send does not send again, it marks the mail failed for a person to decide.
"""

import functools
import logging
import secrets
import smtplib
import socket
from datetime import timedelta
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.db import transaction
from django.template import TemplateSyntaxError
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.models import Channel, DeliveryStatus, Direction, Message, Ticket
from helpdesk.selectors.links import private_link
from helpdesk.services.delivery import message_delivery_update, ticket_record_delivery

from .models import InboundEmail, Mailbox, OutboundEmail, OutboundKind, OutboundState
from .rendering import MailTemplateMissing, build_mail, mail_language, render_mail

log = logging.getLogger(__name__)

ACK = "acknowledgement"


# --- Addresses and languages ----------------------------------------------------------------


def queue_address(queue) -> str:
    """The address a queue's mail comes from and goes back to."""
    mailbox = Mailbox.objects.filter(queue=queue, is_active=True).order_by("pk").first()
    if mailbox:
        return mailbox.address
    if queue.email:
        return queue.email
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


@functools.cache
def own_addresses() -> frozenset[str]:
    """Every address we send from: mail from these is a loop, never a question.

    Read once per process (every received mail asks); a change to a mailbox or a queue clears
    it (apps.py connects `forget_addresses` to their save and delete).
    """
    from helpdesk.models import Queue

    addresses = {a.lower() for a in Mailbox.objects.values_list("address", flat=True)}
    addresses |= {
        e.lower() for e in Queue.objects.exclude(email="").values_list("email", flat=True)
    }
    addresses.add(parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower())
    return frozenset(a for a in addresses if a)


def forget_addresses(**kwargs):
    own_addresses.cache_clear()


def requester_language(ticket: Ticket) -> str:
    """The site language to write to this ticket's requester in.

    The ticket's language (Dari -> its site language, Persian), else the contact's preference,
    else the site's default.
    """
    contact = ticket.contact
    for language in (ticket.language, contact.preferred_language if contact else None):
        if language is not None:
            code = language.interface_language or language.code
            if code in {c for c, _n in settings.LANGUAGES}:
                return code
    return mail_language(None)


def new_message_id(address: str) -> str:
    domain = address.rpartition("@")[2] or "infolijn.invalid"
    return f"infolijn-{secrets.token_hex(12)}@{domain}"


def thread_ids(ticket: Ticket, *, before=None) -> tuple[str, list[str]]:
    """(In-Reply-To, References) for a mail on this ticket: the last inbound mail we answer,
    and the chain of Message-IDs of the conversation (the last ten)."""
    inbound = list(
        Message.objects.filter(ticket=ticket, channel=Channel.EMAIL, direction=Direction.INBOUND)
        .exclude(external_id="")
        .order_by("created_at", "id")
        .values_list("created_at", "external_id")
    )
    sent = list(
        OutboundEmail.objects.filter(ticket=ticket, state__in=[OutboundState.SENT])
        .order_by("created_at", "id")
        .values_list("created_at", "msgid")
    )
    if before is not None:
        inbound = [i for i in inbound if i[0] <= before]
        sent = [s for s in sent if s[0] <= before]
    chain = [mid for _at, mid in sorted(inbound + sent)]
    in_reply_to = inbound[-1][1] if inbound else (chain[-1] if chain else "")
    return in_reply_to, list(dict.fromkeys(chain))[-10:]


# --- Creating the rows ------------------------------------------------------------------------


def outbound_for_reply(message: Message) -> OutboundEmail:
    """The OutboundEmail of a staff answer (made on first delivery, reused on retries)."""
    existing = OutboundEmail.objects.filter(message=message).first()
    if existing:
        return existing
    ticket = message.ticket
    address = queue_address(ticket.queue)
    with transaction.atomic():
        outbound, _created = OutboundEmail.objects.get_or_create(
            message=message,
            defaults={
                "ticket": ticket,
                "kind": OutboundKind.REPLY,
                "recipient": ticket.contact.email if ticket.contact else "",
                "msgid": new_message_id(address),
                "language": requester_language(ticket),
            },
        )
    return outbound


def acknowledgement_prepare(ticket_id: int) -> OutboundEmail | None:
    """Decide whether a new ticket gets an acknowledgement, and make its row if so.

    Acknowledged: tickets that came by email or the web form from someone with an address.
    Never: imported archives (old mail), automatic messages (no loops), our own addresses,
    and a sender who already had EMAIL_ACK_LIMIT acknowledgements within the window.
    """
    if not settings.EMAIL_ACK_ENABLED:
        return None
    ticket = (
        Ticket.objects.select_related("contact", "language", "contact__preferred_language", "queue")
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None or ticket.channel not in (Channel.EMAIL, Channel.WEBFORM):
        return None
    if existing := OutboundEmail.objects.filter(
        ticket=ticket, kind=OutboundKind.ACKNOWLEDGEMENT
    ).first():
        return existing
    contact = ticket.contact
    if contact is None or not contact.email:
        return None
    inbound = InboundEmail.objects.filter(ticket=ticket).order_by("pk").first()
    if inbound is not None and inbound.origin == "import":
        return None  # an archive: these people wrote long ago
    if inbound is not None and inbound.is_automatic:
        ticket_record_delivery(
            ticket=ticket,
            mail=ACK,
            status="skipped",
            detail=_("the message was sent automatically"),
        )
        return None
    if contact.email.lower() in own_addresses():
        return None
    with transaction.atomic():
        # One at a time per person, so two mails at once cannot both pass the limit.
        type(contact).objects.select_for_update().filter(pk=contact.pk).first()
        window_start = timezone.now() - timedelta(seconds=settings.EMAIL_ACK_WINDOW_SECONDS)
        recent = OutboundEmail.objects.filter(
            kind=OutboundKind.ACKNOWLEDGEMENT,
            recipient=contact.email,
            created_at__gte=window_start,
        ).count()
        if recent >= settings.EMAIL_ACK_LIMIT:
            ticket_record_delivery(
                ticket=ticket,
                mail=ACK,
                status="skipped",
                detail=_("%(count)s acknowledgements already went to this address recently")
                % {"count": recent},
            )
            return None
        return OutboundEmail.objects.create(
            ticket=ticket,
            kind=OutboundKind.ACKNOWLEDGEMENT,
            recipient=contact.email,
            msgid=new_message_id(queue_address(ticket.queue)),
            language=requester_language(ticket),
        )


# --- Composing --------------------------------------------------------------------------------


def compose(outbound: OutboundEmail):
    """The Django mail for this row, rendered in the requester's language."""
    ticket = outbound.ticket
    address = queue_address(ticket.queue)
    context = {
        "ticket": ticket,
        "reference": ticket.reference,
        "subject": ticket.subject,
        "queue_name": ticket.queue.name,
        "link": private_link(ticket),
    }
    headers = {"Message-ID": f"<{outbound.msgid}>"}
    if outbound.kind == OutboundKind.REPLY:
        message = outbound.message
        context["body"] = message.body
        context["author"] = message.author.first_name if message.author else ""
        rendered = render_mail("reply", context, outbound.language)
        in_reply_to, references = thread_ids(ticket, before=message.created_at)
    else:
        rendered = render_mail("acknowledgement", context, outbound.language)
        in_reply_to, references = thread_ids(ticket)
        # RFC 3834: an automatic answer, which other robots must not answer in turn.
        headers["Auto-Submitted"] = "auto-replied"
        headers["X-Auto-Response-Suppress"] = "All"
    if in_reply_to:
        headers["In-Reply-To"] = f"<{in_reply_to}>"
    if references:
        headers["References"] = " ".join(f"<{mid}>" for mid in references)
    mail = build_mail(
        rendered,
        to=[outbound.recipient],
        from_email=formataddr((f"{settings.SITE_NAME} · {ticket.queue.name}", address)),
        reply_to=[address],
        headers=headers,
    )
    if outbound.kind == OutboundKind.REPLY:
        for attachment in outbound.message.attachments.all():
            with attachment.file.open("rb") as handle:
                mail.attach(attachment.filename, handle.read(), attachment.content_type)
    return mail


# --- Sending ----------------------------------------------------------------------------------


class PermanentFailure(Exception):
    """Trying again will not help (the address does not exist, a template is missing)."""


def _classify(error: Exception) -> tuple[bool, str]:
    """(permanent?, reason for a person)."""
    if isinstance(error, MailTemplateMissing | TemplateSyntaxError | PermanentFailure):
        return True, str(error)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
        text = "; ".join(
            f"{code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
            for code, msg in error.recipients.values()
        )
        return all(code >= 500 for code in codes), _(
            "The mail server refused the address: %(text)s"
        ) % {"text": text}
    if isinstance(error, smtplib.SMTPResponseException):
        text = (
            error.smtp_error.decode(errors="replace")
            if isinstance(error.smtp_error, bytes)
            else str(error.smtp_error)
        )
        return error.smtp_code >= 500, f"{error.smtp_code} {text}"
    if isinstance(error, smtplib.SMTPException | OSError | socket.timeout):
        return False, _("The mail server could not be reached: %(error)s") % {"error": error}
    return False, f"{type(error).__name__}: {error}"


def _claim(outbound_id: int) -> OutboundEmail | None:
    """Take the row for sending, or None when there is nothing to send."""
    with transaction.atomic():
        outbound = (
            OutboundEmail.objects.select_for_update(of=("self",))
            .select_related("ticket__queue", "ticket__contact", "message__author")
            .filter(pk=outbound_id)
            .first()
        )
        if outbound is None or outbound.state in (OutboundState.SENT, OutboundState.BOUNCED):
            return None
        message = outbound.message
        if outbound.state == OutboundState.SENDING:
            stale = timezone.now() - timedelta(seconds=settings.EMAIL_SEND_TIMEOUT_SECONDS)
            if outbound.claimed_at and outbound.claimed_at > stale:
                return None  # another worker is sending it right now
            # A worker died between handing the mail over and writing down that it did. The mail
            # may have gone out: sending again could send it twice, so a person decides.
            reason = _(
                "Sending was interrupted; the mail may or may not have gone out. "
                "Check with the requester before retrying."
            )
            _fail(outbound, reason)
            return None
        # Only a person's retry (the message back to "pending") sends a failed mail again.
        if outbound.state == OutboundState.FAILED and (
            message is None or message.status != DeliveryStatus.PENDING
        ):
            return None
        if message is not None and message.status in (
            DeliveryStatus.SENT,
            DeliveryStatus.DELIVERED,
        ):
            return None
        outbound.state = OutboundState.SENDING
        outbound.claimed_at = timezone.now()
        outbound.attempts += 1
        outbound.save(update_fields=["state", "claimed_at", "attempts"])
        if message is not None:
            message_delivery_update(
                message=message, status=DeliveryStatus.QUEUED, external_id=outbound.msgid
            )
    return outbound


def _fail(outbound: OutboundEmail, reason: str, state=OutboundState.FAILED):
    outbound.state = state
    outbound.error = reason
    outbound.save(update_fields=["state", "error"])
    if outbound.message is not None:
        message_delivery_update(
            message=outbound.message, status=DeliveryStatus.FAILED, detail=reason
        )
    else:
        ticket_record_delivery(
            ticket=outbound.ticket,
            mail=ACK,
            status="bounced" if state == OutboundState.BOUNCED else "failed",
            detail=reason,
        )


def outbound_send(outbound_id: int, *, attempt: int = 1, retry=None) -> OutboundState | None:
    """Send the mail of this row once. `retry(attempt)` schedules another attempt and returns
    False when the attempts are used up (config.tasks.retry_later)."""
    outbound = _claim(outbound_id)
    if outbound is None:
        return None
    try:
        if not outbound.recipient:
            raise PermanentFailure(_("The requester has no email address."))
        mail = compose(outbound)
        sent = mail.send(using=settings.EMAIL_MAILER)
        if not sent:
            raise PermanentFailure(_("The mail server accepted no recipient."))
    except Exception as error:  # every failure is recorded where people see it
        permanent, reason = _classify(error)
        log.warning("Sending %s failed (attempt %s): %s", outbound, attempt, reason)
        with transaction.atomic():
            if not permanent and retry is not None and retry(attempt):
                outbound.state = OutboundState.PENDING
                outbound.error = reason
                outbound.save(update_fields=["state", "error"])
                if outbound.message is not None:
                    message_delivery_update(
                        message=outbound.message,
                        status=DeliveryStatus.PENDING,
                        detail=_("Attempt %(n)s failed, trying again: %(reason)s")
                        % {"n": attempt, "reason": reason},
                    )
                return OutboundState.PENDING
            _fail(outbound, reason)
        return OutboundState.FAILED
    with transaction.atomic():
        outbound.state = OutboundState.SENT
        outbound.sent_at = timezone.now()
        outbound.error = ""
        outbound.save(update_fields=["state", "sent_at", "error"])
        if outbound.message is not None:
            message_delivery_update(
                message=outbound.message, status=DeliveryStatus.SENT, external_id=outbound.msgid
            )
        else:
            ticket_record_delivery(ticket=outbound.ticket, mail=ACK, status="sent")
    return OutboundState.SENT


# --- Bounces ----------------------------------------------------------------------------------


def outbound_bounced(bounce) -> Ticket | None:
    """Mark the mails a delivery report is about; return their ticket (None: not ours)."""
    matches = list(
        OutboundEmail.objects.select_related("message", "ticket").filter(
            msgid__in=bounce.original_ids
        )
    )
    for outbound in matches:
        reason = _("Bounced: %(reason)s") % {"reason": bounce.summary or _("no reason given")}
        if not bounce.failed:
            ticket_record_delivery(
                ticket=outbound.ticket,
                mail=ACK if outbound.message is None else "answer",
                status="delayed",
                detail=bounce.summary,
            )
        elif outbound.state != OutboundState.BOUNCED:
            _fail(outbound, reason, state=OutboundState.BOUNCED)
    return matches[0].ticket if matches else None
