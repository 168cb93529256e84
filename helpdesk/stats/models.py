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


class Dimension(models.TextChoices):
    """What a DayCount row counts by. `code` holds the channel, the hour or the entry's id."""

    CHANNEL = "channel"  # n, answered, closed, reopened, policy per channel
    HOUR = "hour"  # n per local hour of the day (0-23)
    REQUESTER_TYPE = "requester_type"
    LANGUAGE = "language"
    OUTCOME = "outcome"
    REFERRAL = "referral"
    TOPIC = "topic"  # a ticket counts under each of its topics
    NOT_QUESTION = "not_question"  # n, answered per channel of tickets with only non-questions
    POLICY_TOPIC = "policy_topic"  # policy signals per topic


class DayCount(models.Model):
    """The counted tickets of one local day and queue, by one dimension (a rollup).

    Written only by `services.day_counts_refresh` from the tickets (the same definitions as the
    live queries), never by hand. A day whose tickets changed since its rows were written has a
    TicketChange row: the statistics count that day from the tickets until the refresh catches up,
    so the figures are exact whatever the rollup's lag.
    """

    day = models.DateField()
    month = models.CharField(max_length=7)  # "YYYY-MM" of `day`, so months group without functions
    weekday = models.PositiveSmallIntegerField()  # 0 is Monday
    queue = models.ForeignKey("helpdesk.Queue", on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    code = models.CharField(max_length=40, blank=True)  # "" when the ticket has no value
    n = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    policy = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "queue", "dimension", "code"], name="stats_daycount_unique"
            )
        ]

    def __str__(self):
        return f"{self.day} {self.queue_id} {self.dimension}={self.code}: {self.n}"


class TicketChange(models.Model):
    """A mark left by database triggers when a counted ticket field or a ticket's topics change.

    `hour` is the UTC hour (truncated) in which the changed ticket was created: the days it
    touches are recounted. NULL means every day (a topic's "is a question" flag changed). The
    triggers are in migration 0002; rows are removed by the refresh that recounted their days.
    """

    hour = models.DateTimeField(null=True)

    class Meta:
        indexes = [models.Index(fields=["hour"], name="stats_ticketchange_hour")]

    def __str__(self):
        return f"{self.hour or 'all'}"


class RollupDay(models.Model):
    """When each day was last recounted: `version` grows with every refresh (never reused).

    The highest version over a period's days changes whenever any of its days is recounted, so
    results that cannot be rolled up (exact percentiles) are cached under it and stay exact.
    """

    day = models.DateField(primary_key=True)
    version = models.PositiveBigIntegerField()

    def __str__(self):
        return f"{self.day}: {self.version}"


class IntegerListField(models.Field):
    """A list of whole numbers: bigint[] on PostgreSQL (unnest() reads it fast), text elsewhere."""

    def db_type(self, connection):
        return "bigint[]" if connection.vendor == "postgresql" else "text"

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None or connection.vendor == "postgresql":
            return value
        return ",".join(str(int(v)) for v in value)

    def from_db_value(self, value, expression, connection):
        if value is None or isinstance(value, list):
            return value
        return [int(v) for v in value.split(",")] if value else []


class DayDurations(models.Model):
    """The durations (whole seconds) of one local day's counted tickets of one queue.

    Percentiles cannot be added up from counts; over a year, sorting these lists (unnest) costs
    half of what computing the durations from the ticket rows does. Written by the same refresh
    as DayCount, with the same definitions (selectors.counts.duration_metrics); a changed day is read
    from the tickets instead, as for the counts.
    """

    day = models.DateField()
    queue = models.ForeignKey("helpdesk.Queue", on_delete=models.CASCADE, related_name="+")
    first_response = IntegerListField()
    resolution = IntegerListField()
    first_response_open = IntegerListField()
    resolution_open = IntegerListField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "queue"], name="stats_daydurations_unique")
        ]

    def __str__(self):
        return f"{self.day} {self.queue_id}"
