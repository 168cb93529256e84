from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .append_only import AppendOnlyModel


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access (export of their data)")
    RECTIFICATION = "rectification", _("Rectification")
    ERASURE = "erasure", _("Erasure")


class PrivacyRequest(AppendOnlyModel):
    """The record that a person's right was honoured: which, for whom, by whom, when and why.

    It names the person by number only (their data may be gone), and lists the ticket references
    concerned, so the data protection officer can account for every request.
    """

    kind = models.CharField(_("right"), max_length=20, choices=RequestKind.choices)
    contact = models.ForeignKey(
        "helpdesk.Contact",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("person"),
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_by_label = models.CharField(_("handled by (at the time)"), max_length=150)
    handled_at = models.DateTimeField(_("when"), default=timezone.now)
    reason = models.TextField(
        _("why"),
        help_text=_(
            "How and when the person asked (for example: “by email on 3 March, identity checked "
            "by phone”). No personal details: this record outlives the data."
        ),
    )
    tickets = models.JSONField(_("tickets"), default=list, blank=True)
    summary = models.JSONField(_("what was done"), default=dict, blank=True)

    class Meta:
        verbose_name = _("rights request")
        verbose_name_plural = _("rights requests")
        ordering = ["-handled_at", "-id"]
        indexes = [models.Index(fields=["contact", "-handled_at"], name="privacy_request_idx")]
        permissions = [
            (
                "handle_rights_requests",
                _("Can export, correct and erase a person's data (all queues)"),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.contact_id} {self.handled_at:%Y-%m-%d}"
