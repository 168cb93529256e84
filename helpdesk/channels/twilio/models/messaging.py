"""SMS and WhatsApp: what came in (kept until it is on a ticket, deduplicated by MessageSid) and
how each outgoing message is being sent (so a retry never sends twice)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InboundStatus(models.TextChoices):
    RECEIVED = "received", _("Received, not processed yet")
    DONE = "done", _("On a ticket")
    FAILED = "failed", _("Could not be processed")


class InboundMessage(models.Model):
    """An SMS or WhatsApp message as Twilio delivered it to our webhook.

    The unique MessageSid makes Twilio's retries harmless. The payload (sender, text, media
    addresses) is kept only until the message is on a ticket; then it is cleared.
    """

    message_sid = models.CharField(max_length=64, unique=True)
    channel = models.CharField(_("channel"), max_length=10)
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=InboundStatus.choices, default=InboundStatus.RECEIVED
    )
    error = models.CharField(_("error"), max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    message = models.ForeignKey(
        "helpdesk.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("incoming SMS or WhatsApp message")
        verbose_name_plural = _("incoming SMS and WhatsApp messages")
        indexes = [models.Index(fields=["status", "received_at"], name="twilio_inbound_status_idx")]

    def __str__(self):
        return self.message_sid


class TemplateVariable(models.TextChoices):
    REFERENCE = "reference", _("Ticket reference")
    LINK = "link", _("The requester's private link")
    QUEUE = "queue", _("Queue name")


class WhatsAppTemplate(models.Model):
    """A message template approved by WhatsApp (a Twilio Content template, HX...). Outside the
    24-hour window after the requester's last message, only these may be sent."""

    name = models.CharField(_("name"), max_length=100)
    content_sid = models.CharField(
        _("Twilio content SID"),
        max_length=34,
        unique=True,
        help_text=_("HX followed by 32 characters."),
    )
    language = models.ForeignKey(
        "helpdesk.Language", on_delete=models.PROTECT, related_name="+", verbose_name=_("language")
    )
    body = models.TextField(
        _("text"),
        help_text=_("The approved text, with {{1}}, {{2}}... where the variables go."),
    )
    variables = models.JSONField(
        _("variables"),
        default=dict,
        blank=True,
        help_text=_('What fills each placeholder, e.g. {"1": "reference", "2": "link"}.'),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "language"]
        verbose_name = _("WhatsApp template")
        verbose_name_plural = _("WhatsApp templates")

    def __str__(self):
        return f"{self.name} ({self.language_id})"


class OutboundState(models.TextChoices):
    SENDING = "sending", _("Being handed to Twilio")
    SENT = "sent", _("Accepted by Twilio")
    FAILED = "failed", _("Refused or not reachable")


class OutboundMessage(models.Model):
    """How one outgoing SMS or WhatsApp message is being sent: the Twilio SID of the current
    attempt, so a second delivery of the task never sends it again."""

    message = models.OneToOneField(
        "helpdesk.Message", on_delete=models.CASCADE, related_name="twilio_outbound"
    )
    template = models.ForeignKey(
        WhatsAppTemplate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    template_variables = models.JSONField(default=dict, blank=True)
    twilio_sid = models.CharField(max_length=64, unique=True, null=True, blank=True)
    state = models.CharField(max_length=10, choices=OutboundState.choices, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    error_code = models.CharField(max_length=10, blank=True)

    class Meta:
        verbose_name = _("outgoing SMS or WhatsApp message")
        verbose_name_plural = _("outgoing SMS and WhatsApp messages")

    def __str__(self):
        return self.twilio_sid or f"message {self.message_id}"
