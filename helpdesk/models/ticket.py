from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import ChoiceLabels


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    VOICEMAIL = "voicemail", _("Voicemail")
    CALLBACK = "callback", _("Callback request")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Email")
    WEBFORM = "webform", _("Web form")
    WALK_IN = "walk_in", _("Startpunt walk-in")
    LETTER = "letter", _("Letter")


# Status and priority names are short adjectives that agree with "ticket" (or "priority") in
# some languages, and "Open" is also a verb elsewhere: the context tells translators which.
class Status(models.TextChoices):
    NEW = "new", pgettext_lazy("ticket status", "New")
    OPEN = "open", pgettext_lazy("ticket status", "Open")
    WAITING = "waiting", pgettext_lazy("ticket status", "Waiting on requester")
    ANSWERED = "answered", pgettext_lazy("ticket status", "Answered")
    CLOSED = "closed", pgettext_lazy("ticket status", "Closed")


class Priority(models.IntegerChoices):
    LOW = 1, pgettext_lazy("priority", "Low")
    NORMAL = 2, pgettext_lazy("priority", "Normal")
    HIGH = 3, pgettext_lazy("priority", "High")
    URGENT = 4, pgettext_lazy("priority", "Urgent")


class Ticket(ChoiceLabels, models.Model):
    """One question, from its first contact to its final close.

    The timestamps are recorded by the services when things happen (not derived later), because
    the annual report measures them: first response, answered, closed (the last close), reopened.
    """

    OPEN_STATUSES = (Status.NEW, Status.OPEN, Status.WAITING)

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    queue = models.ForeignKey(
        "helpdesk.Queue", on_delete=models.PROTECT, related_name="tickets", verbose_name=_("queue")
    )
    contact = models.ForeignKey(
        "helpdesk.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("contact"),
    )
    participants = models.ManyToManyField(
        "helpdesk.Contact",
        blank=True,
        related_name="participating_tickets",
        verbose_name=_("other participants"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    language = models.ForeignKey(
        "helpdesk.Language",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("language"),
    )
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    topics = models.ManyToManyField(
        "helpdesk.Topic",
        through="helpdesk.TicketTopic",
        blank=True,
        related_name="tickets",
        verbose_name=_("topics"),
    )
    requester_type = models.ForeignKey(
        "helpdesk.RequesterType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("requester type"),
        help_text=_("As it was when the question came in."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("assignee"),
    )
    outcome = models.ForeignKey(
        "helpdesk.Outcome",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("outcome"),
    )
    referral = models.ForeignKey(
        "helpdesk.ReferralOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("referred to"),
    )
    policy_signal = models.BooleanField(
        _("policy signal"),
        default=False,
        help_text=_("A pattern worth raising with government, for the annual report."),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_tickets",
        verbose_name=_("merged into"),
    )
    related_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="related_tickets",
        verbose_name=_("related to"),
        help_text=_("For example a reply from an unknown address to another ticket."),
    )
    # The requester's private link (/t/<token>/). Empty once revoked or pseudonymised.
    access_token = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last activity"), default=timezone.now)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    pseudonymised_at = models.DateTimeField(_("personal data removed"), null=True, blank=True)
    # Durations within the queue's opening hours, computed when the moment happens (the schedule
    # of that day, not of today), so the statistics aggregate them in the database.
    first_response_open_seconds = models.PositiveIntegerField(null=True, blank=True, editable=False)
    resolution_open_seconds = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["queue", "status", "-updated_at"], name="ticket_inbox_idx"),
            models.Index(fields=["queue", "-updated_at"], name="ticket_queue_recent_idx"),
            # The inbox's default view (open work, latest activity first) walks this small index
            # in its order and stops at the page: with the queue in it, the staff member's queues
            # are tested in the index. ticket_inbox_idx above gives the same rows only as one
            # range per queue and status, which the database had to read in full and sort (30,000
            # open tickets at a million).
            models.Index(
                fields=["-updated_at", "-id", "queue"],
                condition=models.Q(status__in=["new", "open", "waiting"]),
                name="ticket_open_recent_idx",
            ),
            # A search (all statuses) and the other filters walk the tickets in the same order
            # until a page, or SEARCH_COUNT matches, are found (helpdesk/selectors/inbox.py).
            models.Index(fields=["-updated_at", "-id"], name="ticket_recent_idx"),
            models.Index(fields=["created_at"], name="ticket_created_idx"),
            models.Index(fields=["assignee", "status"], name="ticket_assignee_idx"),
            # Statistics (helpdesk.stats): every figure reads the tickets created in a period,
            # less the merged duplicates (merged_into IS NULL, an equality for the planner, then
            # the created_at range), grouped by the other columns: the index covers them, so
            # SQLite answers from the index alone. Without the leading merged_into, SQLite's
            # planner (without ANALYZE statistics) preferred the merged_into foreign-key index.
            models.Index(
                fields=[
                    "merged_into",
                    "created_at",
                    "queue",
                    "channel",
                    "requester_type",
                    "language",
                    "outcome",
                    "referral",
                    "first_response_at",
                    "closed_at",
                    "first_response_open_seconds",
                    "resolution_open_seconds",
                    "reopen_count",
                    "policy_signal",
                ],
                name="ticket_stats_idx",
            ),
            # The backlog: open tickets by age.
            models.Index(
                fields=["created_at"],
                condition=models.Q(status__in=["new", "open", "waiting"], merged_into__isnull=True),
                name="ticket_open_idx",
            ),
        ]
        permissions = [
            ("view_statistics", _("Can view statistics and the annual report")),
            ("export_statistics", _("Can export statistics")),
        ]

    def __str__(self):
        return f"{self.reference} {self.subject}".strip()

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES


class TicketTopic(models.Model):
    """Through table, so that a topic in use cannot be deleted from under a ticket."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE)
    topic = models.ForeignKey("helpdesk.Topic", on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "topic"], name="unique_ticket_topic")
        ]

    def __str__(self):
        return f"{self.ticket_id}: {self.topic_id}"
