"""Outgoing webhooks: endpoints an administrator registers, and every delivery and attempt."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WebhookEvent(models.TextChoices):
    TICKET_CREATED = "ticket.created", _("A ticket was created")
    TICKET_STATUS_CHANGED = "ticket.status_changed", _("A ticket's status changed")
    MESSAGE_ADDED = "message.added", _("A message was added to a ticket")


def _new_secret() -> str:
    import secrets

    return "whsec_" + secrets.token_hex(32)


class WebhookEndpoint(models.Model):
    url = models.URLField(
        _("URL"), max_length=500, help_text=_("Called with POST; must be https in production.")
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(
        _("events"), default=list, help_text=_("Which events are sent to this URL.")
    )
    queues = models.ManyToManyField(
        "helpdesk.Queue",
        blank=True,
        related_name="+",
        verbose_name=_("queues"),
        help_text=_("Only events of tickets in these queues; none chosen: every queue."),
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=100,
        default=_new_secret,
        help_text=_("Deliveries are signed with it (HMAC-SHA256); give it to the receiver."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    paused_at = models.DateTimeField(
        _("paused"),
        null=True,
        blank=True,
        help_text=_("Paused after too many failures in a row; resume it once the receiver works."),
    )
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["id"]

    def __str__(self):
        return self.description or self.url

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


class WebhookStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    RETRYING = "retrying", _("Failed, will be retried")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed, no more retries")
    HELD = "held", _("Held while the endpoint is paused")


class WebhookDelivery(models.Model):
    """One event for one endpoint. The payload holds ids and codes only, never personal data."""

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("endpoint"),
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    ticket = models.ForeignKey(
        "helpdesk.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ticket"),
    )
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=WebhookStatus.choices, default=WebhookStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["endpoint", "status"], name="webhook_delivery_status_idx")]

    def __str__(self):
        return f"{self.event} → {self.endpoint_id} ({self.status})"


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    ok = models.BooleanField(_("succeeded"), default=False)
    error = models.CharField(_("error"), max_length=255, blank=True)
    response_excerpt = models.CharField(_("response (start)"), max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="unique_webhook_attempt")
        ]

    def __str__(self):
        return f"#{self.number} {self.status_code or self.error}"
