"""Every call leaves a record: who called which number, in which language, how long they waited,
who answered or what happened instead. The statistics count these rows.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def hour_of_week(moment) -> int:
    """0 (Monday 00:00-00:59) to 167 (Sunday 23:00-23:59) in the site's time zone.

    Stored with each call when it starts, so the statistics group by it in the database without
    converting every row's time zone (slow, and done differently by each database)."""
    local = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
    return local.weekday() * 24 + local.hour


class CallDirection(models.TextChoices):
    INBOUND = "in", _("Incoming")
    OUTBOUND = "out", _("Call back by staff")


class CallState(models.TextChoices):
    """Where the call is now (changes while it lasts)."""

    MENU = "menu", _("In the language menu")
    QUEUED = "queued", _("Waiting in the queue")
    CONNECTING = "connecting", _("Being connected")
    CONNECTED = "connected", _("In conversation")
    VOICEMAIL = "voicemail", _("At voicemail")
    DIALING = "dialing", _("Dialling")
    ENDED = "ended", _("Ended")


class CallResult(models.TextChoices):
    """How the call ended (set once, counted by the statistics)."""

    PENDING = "", _("Not ended yet")
    ANSWERED = "answered", _("Answered")
    ABANDONED = "abandoned", _("Hung up while waiting")
    VOICEMAIL = "voicemail", _("Left a voicemail")
    CALLBACK = "callback", _("Asked to be called back")
    NO_MESSAGE = "no_message", _("Left no message")
    MENU = "menu", _("Hung up in the menu")
    NO_ANSWER = "no_answer", _("Not answered")
    FAILED = "failed", _("Failed")


class LeaveReason(models.TextChoices):
    CLOSED = "closed", _("Outside opening hours")
    NO_AGENTS = "no_agents", _("Nobody available")
    TIMEOUT = "timeout", _("Waited too long")
    KEY = "key", _("Pressed a key for voicemail")
    ERROR = "error", _("Queue error")


class Call(models.Model):
    direction = models.CharField(
        _("direction"), max_length=3, choices=CallDirection.choices, default=CallDirection.INBOUND
    )
    # The caller's leg for an incoming call, the requester's leg for a call back. Empty until
    # Twilio has given one (a call back being dialled).
    call_sid = models.CharField(max_length=64, unique=True, null=True, blank=True)
    number = models.ForeignKey(
        "twilio_channel.PhoneNumber",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("our number"),
    )
    queue = models.ForeignKey(
        "helpdesk.Queue", on_delete=models.PROTECT, related_name="twilio_calls"
    )
    language = models.ForeignKey(
        "helpdesk.Language",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("language"),
    )
    # Personal data (removed by calls_forget_numbers under the retention rules); empty when
    # the caller withheld their number.
    from_number = models.CharField(_("from"), max_length=32, blank=True)
    to_number = models.CharField(_("to"), max_length=32, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=CallState.choices)
    result = models.CharField(
        _("result"), max_length=12, choices=CallResult.choices, blank=True, default=""
    )
    was_open = models.BooleanField(_("within opening hours"), null=True)
    leave_reason = models.CharField(
        _("went to voicemail because"), max_length=12, choices=LeaveReason.choices, blank=True
    )
    callback_requested = models.BooleanField(_("call back requested"), default=False)
    menu_attempts = models.PositiveSmallIntegerField(default=0)

    started_at = models.DateTimeField(_("started"), default=timezone.now)
    # Local (Europe/Brussels) hour of the week the call started: see hour_of_week().
    started_hour_of_week = models.PositiveSmallIntegerField(editable=False, default=0)
    enqueued_at = models.DateTimeField(_("joined the queue"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    queue_seconds = models.PositiveIntegerField(_("time in queue (s)"), null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration (s)"), null=True, blank=True)

    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("placed by"),
    )
    ticket = models.ForeignKey(
        "helpdesk.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="twilio_calls",
        verbose_name=_("ticket"),
    )
    conference_name = models.CharField(max_length=64, blank=True)
    conference_sid = models.CharField(max_length=64, blank=True)
    recording_deleted_at = models.DateTimeField(_("recording deleted"), null=True, blank=True)
    recording_deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recording deleted by"),
    )
    numbers_removed_at = models.DateTimeField(_("numbers removed"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        indexes = [
            # Covers phone_figures: the period's calls are read from the index alone.
            models.Index(
                fields=[
                    "started_at",
                    "queue",
                    "language",
                    "started_hour_of_week",
                    "direction",
                    "result",
                    "callback_requested",
                    "queue_seconds",
                ],
                name="twilio_call_figures_idx",
            ),
            models.Index(fields=["state", "queue", "language"], name="twilio_call_state_idx"),
        ]

    def __str__(self):
        return f"{self.get_direction_display()} {self.started_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        self.started_hour_of_week = hour_of_week(self.started_at)
        if kwargs.get("update_fields") is not None and "started_at" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "started_hour_of_week"}
        super().save(*args, **kwargs)

    @property
    def route_name(self) -> str:
        """The Twilio queue a caller waits in: one per queue and language (64 characters max)."""
        return f"{self.queue.slug}-{self.language_id or 'any'}"[:64]


class LegKind(models.TextChoices):
    AGENT = "agent", _("Staff member rung for waiting callers")
    STAFF = "staff", _("Staff member placing a call")
    REQUESTER = "requester", _("Requester called back")
    INTERPRETER = "interpreter", _("Interpreter")


class LegStatus(models.TextChoices):
    # Twilio's call statuses.
    INITIATED = "initiated", _("Dialling")
    QUEUED = "queued", _("Dialling")
    RINGING = "ringing", _("Ringing")
    IN_PROGRESS = "in-progress", _("Connected")
    COMPLETED = "completed", _("Ended")
    BUSY = "busy", _("Busy")
    NO_ANSWER = "no-answer", _("No answer")
    FAILED = "failed", _("Failed")
    CANCELED = "canceled", _("Cancelled")


LIVE_LEG_STATUSES = (
    LegStatus.INITIATED,
    LegStatus.QUEUED,
    LegStatus.RINGING,
    LegStatus.IN_PROGRESS,
)


class CallLeg(models.Model):
    """A call we placed through Twilio's REST API: a staff member's phone rung for a waiting
    caller, a staff member calling a requester back, the requester's phone, an interpreter."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="legs")
    kind = models.CharField(_("kind"), max_length=12, choices=LegKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    to_number = models.CharField(_("to"), max_length=32)
    call_sid = models.CharField(max_length=64, unique=True, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=LegStatus.choices, default=LegStatus.INITIATED
    )
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("call leg")
        verbose_name_plural = _("call legs")
        indexes = [
            models.Index(fields=["user", "status"], name="twilio_leg_user_idx"),
            models.Index(fields=["status", "created_at"], name="twilio_leg_live_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.to_number}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_LEG_STATUSES
