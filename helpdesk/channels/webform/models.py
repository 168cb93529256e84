"""What the web form keeps besides tickets: counts, never people.

- SuggestionVisit: a form page on which a suggested knowledge-base article was opened. `form_id`
  is a random id drawn when the page was served (tokens.FormToken); the visit is marked
  `submitted` when it sends a question. A visit that sent nothing counts as "answered by the
  knowledge base" (selectors.kb_deflections). No address, no time of day, no link to a ticket.
- SuggestionOpen: which articles a visit opened (the knowledge base's use, per article).
- BlockedSubmission: how many submissions the spam defences stopped, per day and reason.
- SentForm: a form page that sent its question (its random visit id and the ticket it made), so
  that the same page sent twice, even to two web machines at once, makes one ticket. Forgotten
  after WEBFORM_FORM_MAX_AGE_HOURS, like the page's token.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SuggestionVisit(models.Model):
    form_id = models.UUIDField(_("form visit"), unique=True)
    # The day the form page was served (not the moment of a click): one visit, one day.
    day = models.DateField(_("day"))
    language = models.CharField(_("language of the form"), max_length=12)
    submitted = models.BooleanField(_("question sent anyway"), default=False)

    class Meta:
        verbose_name = _("visit with opened suggestions")
        verbose_name_plural = _("visits with opened suggestions")
        ordering = ["-day", "language"]
        indexes = [
            # The statistics' count (selectors.kb_deflections) reads this index alone. Not a
            # partial index: SQLite cannot prove "submitted = ?" from one with a bound parameter,
            # and then reads every row (measured: 7 s instead of 0.2 s for a million visits).
            models.Index(fields=["submitted", "day", "language"], name="webform_visit_kb_idx"),
        ]

    def __str__(self):
        return f"{self.day} {self.language}"


class SuggestionOpen(models.Model):
    visit = models.ForeignKey(SuggestionVisit, on_delete=models.CASCADE, related_name="opens")
    article_slug = models.SlugField(
        _("article"), max_length=200, allow_unicode=True, db_index=False
    )
    article_language = models.CharField(_("language of the article"), max_length=12)

    class Meta:
        verbose_name = _("opened suggestion")
        verbose_name_plural = _("opened suggestions")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "article_slug", "article_language"],
                name="webform_suggestion_once_per_visit",
            )
        ]

    def __str__(self):
        return f"{self.article_slug} ({self.article_language})"


class BlockReason(models.TextChoices):
    HONEYPOT = "honeypot", _("Filled in the hidden field")
    TOO_FAST = "too_fast", _("Sent faster than a person types")
    BAD_TOKEN = "bad_token", _("Form token missing or forged")
    EXPIRED = "expired", _("Form page too old")
    ADDRESS_LIMIT = "address_limit", _("Too many questions from one address")
    CONTACT_LIMIT = "contact_limit", _("Too many questions for one email or phone")
    PRIVATE_LIMIT = "private_limit", _("Too many private-page requests from one address")


class BlockedSubmission(models.Model):
    day = models.DateField(_("day"))
    reason = models.CharField(_("reason"), max_length=20, choices=BlockReason.choices)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("blocked submissions")
        verbose_name_plural = _("blocked submissions")
        ordering = ["-day", "reason"]
        constraints = [
            models.UniqueConstraint(fields=["day", "reason"], name="webform_blocked_once_per_day")
        ]

    def __str__(self):
        return f"{self.day} {self.get_reason_display()}: {self.count}"


class SentForm(models.Model):
    """The database's claim that a form page (`form_id`, random, from its token) sent a question.

    The unique `form_id` is the guard against a double post: the row is inserted first in the
    transaction that makes the ticket, so a twin request on another process or machine waits on
    the unique index and then fails, and leads to the first ticket's confirmation. A cache cannot
    do this across processes (the local-memory cache is one per process). A rollback takes the
    claim with it, so a failed attempt can be sent again.
    """

    form_id = models.UUIDField(_("form visit"), unique=True)
    # Empty only inside the transaction that creates the ticket.
    ticket = models.ForeignKey(
        "helpdesk.Ticket", on_delete=models.CASCADE, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), db_index=True)

    class Meta:
        verbose_name = _("sent form page")
        verbose_name_plural = _("sent form pages")

    def __str__(self):
        return str(self.form_id)
