from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import ChoiceLabels


class EventKind(models.TextChoices):
    CREATED = "created", pgettext_lazy("ticket event", "Created")
    STATUS = "status", _("Status changed")
    ASSIGNED = "assigned", pgettext_lazy("ticket event", "Assigned")
    QUEUE = "queue", _("Moved to another queue")
    CLASSIFIED = "classified", _("Classification changed")
    MERGED_INTO = "merged_into", _("Merged into another ticket")
    MERGED_FROM = "merged_from", _("Another ticket merged into this one")
    LINKED = "linked", _("Linked to another ticket")
    TOKEN_REVOKED = "token_revoked", _("Private link revoked")
    DELIVERY = "delivery", _("Delivery changed")


class TicketEvent(ChoiceLabels, models.Model):
    """The trail of every change to a ticket: who, what, when.

    `data` holds codes and ids (never display names), so the timeline shows them in the reader's
    language and a later rename of a list entry does not rewrite history.
    """

    ticket = models.ForeignKey("helpdesk.Ticket", on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("ticket event", "by"),
    )
    kind = models.CharField(
        pgettext_lazy("ticket event", "what"), max_length=20, choices=EventKind.choices
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(pgettext_lazy("ticket event", "when"), default=timezone.now)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="event_timeline_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"
