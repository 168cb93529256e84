import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def recording_path(instance, filename):
    # Never anything about the caller in a file name.
    return f"twilio/recordings/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.mp3"


class RecordingKind(models.TextChoices):
    VOICEMAIL = "voicemail", _("Voicemail")
    CALL = "call", _("Call recording")


class RecordingStatus(models.TextChoices):
    PENDING = "pending", _("At Twilio, not downloaded yet")
    STORED = "stored", _("Stored")
    FAILED = "failed", _("Download failed")


class Recording(models.Model):
    """A recording we keep ourselves (downloaded from Twilio, then deleted there).

    Deleted with its file after TWILIO_RECORDING_RETENTION_DAYS, or earlier from the ticket;
    the call record keeps only when and by whom.
    """

    call = models.ForeignKey(
        "twilio_channel.Call", on_delete=models.CASCADE, related_name="recordings"
    )
    message = models.ForeignKey(
        "helpdesk.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The voicemail message on the ticket."),
    )
    recording_sid = models.CharField(max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=RecordingKind.choices)
    twilio_url = models.URLField(max_length=500)
    duration_seconds = models.PositiveIntegerField(_("duration (s)"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=RecordingStatus.choices, default=RecordingStatus.PENDING
    )
    file = models.FileField(_("file"), upload_to=recording_path, blank=True, max_length=255)
    size = models.PositiveIntegerField(_("size"), default=0)
    transcription = models.TextField(_("transcription"), blank=True)
    download_attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    stored_at = models.DateTimeField(_("stored"), null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")
        indexes = [models.Index(fields=["created_at"], name="twilio_recording_created_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"
