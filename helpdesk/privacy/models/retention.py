from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from helpdesk.models import Channel


class RetentionRule(models.Model):
    """How long a queue's or a channel's personal data is kept, where it differs from the default.

    The most specific rule wins: queue and channel, then queue, then channel, then the settings
    (PRIVACY_TICKET_RETENTION_DAYS, PRIVACY_RECORDING_RETENTION_DAYS). An empty period means
    "as the next rule says".
    """

    queue = models.ForeignKey(
        "helpdesk.Queue",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("queue"),
        help_text=_("Empty: every queue."),
    )
    channel = models.CharField(
        _("channel"),
        max_length=20,
        choices=Channel.choices,
        blank=True,
        help_text=_("Empty: every channel."),
    )
    pseudonymise_after_days = models.PositiveIntegerField(
        _("remove personal data after (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Days after a ticket is closed. Names, addresses, numbers, texts and files are then "
            "removed; the figures the statistics count stay."
        ),
    )
    recordings_after_days = models.PositiveIntegerField(
        _("delete recordings after (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Days after the recording was made, whether the ticket is open or closed."),
    )
    note = models.CharField(
        _("why"), max_length=200, blank=True, help_text=_("For example the legal basis.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["queue__position", "queue__slug", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["queue", "channel"],
                condition=Q(queue__isnull=False),
                name="retention_rule_unique_queue_channel",
                violation_error_message=_("There is already a rule for this queue and channel."),
            ),
            models.UniqueConstraint(
                fields=["channel"],
                condition=Q(queue__isnull=True),
                name="retention_rule_unique_channel",
                violation_error_message=_("There is already a rule for this channel."),
            ),
            models.CheckConstraint(
                condition=~Q(queue__isnull=True, channel=""),
                name="retention_rule_not_everything",
                violation_error_message=_(
                    "A rule for every queue and every channel is the default: change it in the "
                    "settings (PRIVACY_TICKET_RETENTION_DAYS)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(pseudonymise_after_days__isnull=False)
                | Q(recordings_after_days__isnull=False),
                name="retention_rule_says_something",
                violation_error_message=_("Give at least one period."),
            ),
        ]

    def __str__(self):
        return (
            f"{self.queue or _('every queue')} · {self.get_channel_display() or _('every channel')}"
        )

    @property
    def specificity(self) -> int:
        return (2 if self.queue_id else 0) + (1 if self.channel else 0)
