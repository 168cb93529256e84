"""Outgoing SMS and WhatsApp: the outbound channels "sms" and "whatsapp" of the ticket page.

`deliver` only enqueues `message_send`. The send task is idempotent: it records the attempt
before it calls Twilio and the SID after, so a second run (a retry of the task, a double click, a
"retry delivery") never sends a message that Twilio already accepted. Twilio's status callbacks
then move the message along: queued, sent, delivered, or failed with Twilio's error code.
"""

import contextvars
import json
import logging
import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from twilio.base.exceptions import TwilioException, TwilioRestException

from config.tasks import retry_later
from helpdesk.models import Channel, DeliveryStatus, Direction, Message, Status, Ticket, User
from helpdesk.selectors.access import require_ticket_access
from helpdesk.selectors.links import private_link
from helpdesk.services import clock
from helpdesk.services.tickets import ticket_reply

from ..client import is_configured, public_url, rest_client
from ..models import (
    OutboundMessage,
    OutboundState,
    PhoneNumber,
    TemplateVariable,
    WhatsAppTemplate,
)

log = logging.getLogger(__name__)

WHATSAPP_WINDOW = timedelta(hours=24)
MAX_ATTEMPTS = 5
# An attempt that started this long ago without an answer from Twilio was interrupted.
STALE_ATTEMPT = timedelta(minutes=10)
BODY_LIMIT = 1600  # Twilio's limit for a message body

# Twilio's statuses, as the ticket page shows them.
STATUSES = {
    "accepted": DeliveryStatus.QUEUED,
    "scheduled": DeliveryStatus.QUEUED,
    "queued": DeliveryStatus.QUEUED,
    "sending": DeliveryStatus.QUEUED,
    "sent": DeliveryStatus.SENT,
    "delivered": DeliveryStatus.DELIVERED,
    "read": DeliveryStatus.DELIVERED,
    "undelivered": DeliveryStatus.FAILED,
    "failed": DeliveryStatus.FAILED,
    "canceled": DeliveryStatus.FAILED,
}
# Callbacks arrive out of order; a message never moves back.
_RANK = {
    DeliveryStatus.PENDING: 0,
    DeliveryStatus.QUEUED: 1,
    DeliveryStatus.SENT: 2,
    DeliveryStatus.FAILED: 3,
    DeliveryStatus.DELIVERED: 4,
}


def error_text(code) -> str:
    """What a Twilio error code means for the person who wrote the reply."""
    texts = {
        21211: _("not a valid phone number"),
        21408: _("sending to this country is not enabled in Twilio"),
        21610: _("the requester has unsubscribed (replied STOP)"),
        21614: _("not a mobile number"),
        30003: _("the phone is switched off or unreachable"),
        30004: _("the message was blocked"),
        30005: _("unknown or inactive number"),
        30006: _("a landline or an unreachable network"),
        30007: _("filtered by the network as spam"),
        30008: _("an unknown error at the network"),
        63003: _("not a WhatsApp number"),
        63016: _("outside WhatsApp's 24-hour window: send an approved template"),
        63024: _("not a WhatsApp number"),
    }
    try:
        code = int(code)
    except (TypeError, ValueError):
        return ""
    return texts.get(code, "")


def _detail(code, message: str = "") -> str:
    return " · ".join(filter(None, [str(code or ""), error_text(code) or message]))[:255]


# --- can reach, restriction ---------------------------------------------------------------


def sender_number(queue_id: int, channel: str) -> PhoneNumber | None:
    flag = "handles_whatsapp" if channel == Channel.WHATSAPP else "handles_sms"
    return PhoneNumber.objects.filter(queue_id=queue_id, is_active=True, **{flag: True}).first()


def _can_reach(ticket: Ticket, channel: str) -> bool:
    return bool(
        is_configured()
        and ticket.contact_id
        and ticket.contact.phone
        and not ticket.pseudonymised_at
        and sender_number(ticket.queue_id, channel)
    )


def sms_can_reach(ticket: Ticket) -> bool:
    return _can_reach(ticket, Channel.SMS)


def whatsapp_can_reach(ticket: Ticket) -> bool:
    return _can_reach(ticket, Channel.WHATSAPP)


def whatsapp_window_closes_at(contact):
    """24 hours after the requester's last WhatsApp message to us, or None if they never wrote."""
    last = Message.objects.filter(
        sender=contact, channel=Channel.WHATSAPP, direction=Direction.INBOUND
    ).aggregate(last=Max("created_at"))["last"]
    return last + WHATSAPP_WINDOW if last else None


# Set while an approved template is being sent: the one thing allowed outside the window.
_sending_template = contextvars.ContextVar("twilio_sending_template", default=False)


def whatsapp_restriction(ticket: Ticket) -> str:
    """Why free text cannot go out by WhatsApp now ("" when it can)."""
    if _sending_template.get() or ticket.contact_id is None:
        return ""
    closes = whatsapp_window_closes_at(ticket.contact)
    if closes is not None and clock.now() < closes:
        return ""
    if closes is None:
        return _(
            "The requester has not written to us on WhatsApp, so WhatsApp only allows an approved "
            "template. Send one below, or answer by SMS."
        )
    return _(
        "WhatsApp allows free text only within 24 hours of the requester's last message; that "
        "window closed on %(when)s. Send an approved template below, or answer by SMS."
    ) % {"when": formats.date_format(timezone.localtime(closes), "DATETIME_FORMAT")}


def deliver(message_id: int) -> None:
    """The registry's deliver (after commit): enqueue the send."""
    from ..tasks import message_send

    message_send.enqueue(message_id)


# --- templates ---------------------------------------------------------------------------


def template_values(template: WhatsAppTemplate, ticket: Ticket) -> dict[str, str]:
    values = {
        TemplateVariable.REFERENCE: ticket.reference,
        TemplateVariable.LINK: private_link(ticket) or "",
        TemplateVariable.QUEUE: str(ticket.queue),
    }
    return {str(key): values.get(kind, "") for key, kind in (template.variables or {}).items()}


def template_text(template: WhatsAppTemplate, values: dict[str, str]) -> str:
    return re.sub(
        r"\{\{\s*(\d+)\s*\}\}", lambda m: values.get(m.group(1), m.group(0)), template.body
    )


@transaction.atomic
def whatsapp_template_send(*, ticket: Ticket, author: User, template: WhatsAppTemplate) -> Message:
    """Send an approved template (allowed outside the 24-hour window); the ticket then waits for
    the requester, whose answer opens the window again."""
    require_ticket_access(author, ticket)
    if not template.is_active:
        raise ValidationError(_("This template is no longer in use."))
    values = template_values(template, ticket)
    token = _sending_template.set(True)
    try:
        message = ticket_reply(
            ticket=ticket,
            author=author,
            body=template_text(template, values),
            channel=Channel.WHATSAPP,
            status=Status.WAITING,
        )
    finally:
        _sending_template.reset(token)
    OutboundMessage.objects.update_or_create(
        message=message, defaults={"template": template, "template_variables": values}
    )
    return message


# --- sending -----------------------------------------------------------------------------


def _requester_language(ticket: Ticket) -> str:
    site = {code for code, _name in settings.LANGUAGES}
    for language in (
        ticket.language,
        ticket.contact.preferred_language if ticket.contact else None,
    ):
        if language is not None:
            code = language.interface_language or language.code
            if code in site:
                return code
    return settings.LANGUAGE_CODE


def message_text(message: Message) -> str:
    """The text that leaves: the answer and, for SMS (or when files are attached), the private
    link in the requester's language, where the whole conversation and the files are."""
    ticket = message.ticket
    body = message.body.strip()
    has_files = message.attachments.exists()
    link = private_link(ticket)
    wants_link = link and (
        has_files or (message.channel == Channel.SMS and settings.TWILIO_SMS_INCLUDE_LINK)
    )
    footer = ""
    if wants_link:
        with translation.override(_requester_language(ticket)):
            footer = (
                _("Your question and the attached files: %(link)s")
                if has_files
                else _("Your question online: %(link)s")
            ) % {"link": link}
    room = BODY_LIMIT - len(footer) - 3
    if len(body) > room:
        body = body[: room - 1].rstrip() + "…"
    return "\n\n".join(filter(None, [body, footer]))


def _address(channel: str, number: str) -> str:
    return f"whatsapp:{number}" if channel == Channel.WHATSAPP else number


def _claim_attempt(message_id: int):
    """Lock the message and decide: send (returning the request), or not (returning None)."""
    message = (
        Message.objects.select_for_update(of=("self",))
        .select_related("ticket__contact", "ticket__queue", "ticket__language")
        .get(pk=message_id)
    )
    if message.direction != Direction.OUTBOUND or message.channel not in (
        Channel.SMS,
        Channel.WHATSAPP,
    ):
        return None
    outbound, _created = OutboundMessage.objects.select_for_update().get_or_create(message=message)
    now = clock.now()
    if outbound.twilio_sid and message.status in (
        DeliveryStatus.QUEUED,
        DeliveryStatus.SENT,
        DeliveryStatus.DELIVERED,
    ):
        return None  # Twilio has it: sending again would send twice
    if outbound.state == OutboundState.SENDING:
        if outbound.last_attempt_at and now - outbound.last_attempt_at < STALE_ATTEMPT:
            return None  # another worker is on it
        # The last attempt died between asking Twilio and hearing back: Twilio may have sent
        # it. Sending again could send it twice; say so and let a person decide.
        _fail(
            message,
            outbound,
            "",
            _("Sending was interrupted; check with the requester before retrying."),
        )
        return None
    ticket = message.ticket
    number = sender_number(ticket.queue_id, message.channel)
    contact = ticket.contact
    if number is None or contact is None or not contact.phone:
        _fail(message, outbound, "", _("There is no number to send from or to."))
        return None
    outbound.state, outbound.attempts, outbound.last_attempt_at = (
        OutboundState.SENDING,
        outbound.attempts + 1,
        now,
    )
    outbound.twilio_sid, outbound.error_code = None, ""
    outbound.save(
        update_fields=["state", "attempts", "last_attempt_at", "twilio_sid", "error_code"]
    )
    request = {
        "from_": _address(message.channel, number.number),
        "to": _address(message.channel, contact.phone),
        "status_callback": public_url("messaging_status", query={"message": message.pk}),
    }
    if outbound.template_id:
        request["content_sid"] = outbound.template.content_sid
        request["content_variables"] = json.dumps(outbound.template_variables)
    else:
        request["body"] = message_text(message)
    return request


def _fail(message: Message, outbound: OutboundMessage, code, text: str) -> None:
    outbound.state, outbound.error_code = OutboundState.FAILED, str(code or "")[:10]
    outbound.save(update_fields=["state", "error_code"])
    message.status, message.status_detail = DeliveryStatus.FAILED, _detail(code, text)
    message.save(update_fields=["status", "status_detail"])


def message_send(message_id: int, attempt: int = 1) -> str:
    """Hand one outgoing message to Twilio, at most once per attempt (see module docstring)."""
    with transaction.atomic():
        request = _claim_attempt(message_id)
    if request is None:
        return "skipped"
    try:
        sent = rest_client().messages.create(**request)
    except TwilioRestException as error:
        transient = error.status >= 500 or error.status == 429
        return _after_error(message_id, attempt, error.code, error.msg, transient)
    except (TwilioException, OSError) as error:
        return _after_error(message_id, attempt, "", str(error), transient=True)
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message_id)
        outbound = OutboundMessage.objects.select_for_update().get(message=message)
        outbound.twilio_sid, outbound.state = sent.sid, OutboundState.SENT
        outbound.save(update_fields=["twilio_sid", "state"])
        if _RANK.get(message.status, 0) < _RANK[DeliveryStatus.QUEUED] or (
            message.status == DeliveryStatus.FAILED
        ):
            message.status, message.status_detail = DeliveryStatus.QUEUED, ""
            message.save(update_fields=["status", "status_detail"])
    return "sent"


def _after_error(message_id: int, attempt: int, code, text: str, transient: bool) -> str:
    from ..tasks import message_send as task

    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message_id)
        outbound = OutboundMessage.objects.select_for_update().get(message=message)
        if transient and retry_later(task, message_id, attempt=attempt, max_attempts=MAX_ATTEMPTS):
            outbound.state = ""  # nothing reached Twilio: the next attempt may send
            outbound.save(update_fields=["state"])
            return "retrying"
        log.warning("Message %s not sent: %s %s", message_id, code, text)
        _fail(message, outbound, code, text)
    return "failed"


@transaction.atomic
def message_status_update(
    *, message_sid: str, status: str, error_code="", message_id=None
) -> Message | None:
    """Twilio's delivery news about one of our messages. Late news about an earlier attempt (a
    different SID) and news that would move the message backwards are ignored."""
    outbound = OutboundMessage.objects.select_for_update().filter(twilio_sid=message_sid).first()
    if outbound is None and message_id:
        # The attempt died before it stored the SID; Twilio's callback names our message.
        outbound = (
            OutboundMessage.objects.select_for_update()
            .filter(message_id=message_id, twilio_sid__isnull=True)
            .first()
        )
        if outbound is not None:
            outbound.twilio_sid = message_sid
            outbound.save(update_fields=["twilio_sid"])
    new = STATUSES.get(status)
    if outbound is None or new is None:
        return None
    message = Message.objects.select_for_update().get(pk=outbound.message_id)
    current = message.status
    if _RANK[new] <= _RANK.get(current, 0):
        return message
    message.status = new
    message.status_detail = _detail(error_code) if new == DeliveryStatus.FAILED else ""
    fields = ["status", "status_detail"]
    if new in (DeliveryStatus.SENT, DeliveryStatus.DELIVERED) and message.sent_at is None:
        message.sent_at = clock.now()
        fields.append("sent_at")
    message.save(update_fields=fields)
    outbound.state = OutboundState.FAILED if new == DeliveryStatus.FAILED else OutboundState.SENT
    outbound.error_code = str(error_code or "")[:10]
    outbound.save(update_fields=["state", "error_code"])
    return message
