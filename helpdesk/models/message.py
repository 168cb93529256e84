import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import ChoiceLabels
from .ticket import Channel


class Direction(models.TextChoices):
    INBOUND = "in", _("Inbound")
    OUTBOUND = "out", _("Outbound")
    NOTE = "note", _("Internal note")


class DeliveryStatus(models.TextChoices):
    # Said of a message (in French "reçu", not "reçue"): the context tells translators.
    RECEIVED = "received", pgettext_lazy("message delivery", "Received")
    RECORDED = "recorded", pgettext_lazy("message delivery", "Recorded (not sent)")
    PENDING = "pending", pgettext_lazy("message delivery", "Waiting to be sent")
    QUEUED = "queued", pgettext_lazy("message delivery", "Queued")
    SENT = "sent", pgettext_lazy("message delivery", "Sent")
    DELIVERED = "delivered", pgettext_lazy("message delivery", "Delivered")
    FAILED = "failed", pgettext_lazy("message delivery", "Failed")


class Message(ChoiceLabels, models.Model):
    """One entry of a ticket's conversation: a question in, an answer out, or an internal note.

    `source` points at what the message came from where there is one (the stored raw email, the
    call record); channels own those models, so the link is generic.
    """

    ticket = models.ForeignKey("helpdesk.Ticket", on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    sender = models.ForeignKey(
        "helpdesk.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("sender"),
    )
    body = models.TextField(_("text"), blank=True)
    # Where quoted earlier mail or a signature starts in `body` (set by the channel that knows):
    # the page folds that part away; the body keeps it all.
    body_folded_at = models.PositiveIntegerField(null=True, blank=True, editable=False)
    status = models.CharField(_("delivery"), max_length=10, choices=DeliveryStatus.choices)
    status_detail = models.CharField(_("delivery detail"), max_length=255, blank=True)
    # Message-ID of an email, MessageSid or CallSid: what threading and deduplication look up.
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    source_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_id = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 - the generic link clears to NULL
    source = GenericForeignKey("source_type", "source_id")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="message_timeline_idx")]

    def __str__(self):
        return f"{self.get_direction_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def body_main(self) -> str:
        if self.body_folded_at:
            return self.body[: self.body_folded_at].rstrip()
        return self.body

    @property
    def body_folded(self) -> str:
        if self.body_folded_at:
            return self.body[self.body_folded_at :].strip("\n")
        return ""

    @property
    def is_public(self):
        """Whether the requester may see it on their private page."""
        return self.direction != Direction.NOTE


def attachment_path(instance, filename):
    # Never the sender's file name on disk: it can carry personal data and path tricks.
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    now = timezone.now()
    return f"attachments/{now:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self):
        return self.filename
