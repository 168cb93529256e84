"""What the statistics store of their own: Startpunt mornings and the log of every export.

Everything else they count lives on the tickets (and in the apps that register a section).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StartpuntSession(models.Model):
    """One morning at the gate of the arrival centre, as the volunteers logged it.

    Counts and codes only: no names, no stories. Notable questions are topics from the same list
    the tickets use, so the annual report can put them side by side.
    """

    date = models.DateField(_("date"), unique=True)
    volunteers_present = models.PositiveSmallIntegerField(_("volunteers present"))
    people_informed = models.PositiveIntegerField(_("people informed"))
    flyers_handed_out = models.PositiveIntegerField(_("flyers handed out"), default=0)
    languages = models.ManyToManyField(
        "helpdesk.Language",
        blank=True,
        related_name="startpunt_sessions",
        verbose_name=_("languages spoken"),
    )
    topics = models.ManyToManyField(
        "helpdesk.Topic",
        blank=True,
        related_name="startpunt_sessions",
        verbose_name=_("notable questions"),
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    logged_at = models.DateTimeField(_("logged at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("Startpunt session")
        verbose_name_plural = _("Startpunt sessions")

    def __str__(self):
        return str(self.date)


class ExportKind(models.TextChoices):
    TABLES = "tables", _("Aggregated tables")
    TICKETS = "tickets", _("One row per ticket (pseudonymised)")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class ExportRecord(models.Model):
    """Who took which figures out of the system, and when: written before a byte leaves."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("what"), max_length=10, choices=ExportKind.choices)
    format = models.CharField(_("format"), max_length=5, choices=ExportFormat.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    queue = models.ForeignKey(
        "helpdesk.Queue",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("queue"),
    )
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user} {self.kind} {self.format}"
