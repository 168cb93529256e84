"""What the knowledge base did for tickets, and the canned responses staff answer with.

None of these hold the requester's personal data: ids, codes, staff users and dates (a canned
response is a template written by coordinators). They go with their ticket (CASCADE).
"""

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk.models.taxonomy import CodedEntryQuerySet, bump_list_version


class InsertMode(models.TextChoices):
    SUMMARY = "summary", _("Title, summary and link")
    FULL = "full", _("Full text")
    LINK = "link", _("Linked only")


class ArticleUse(models.Model):
    """An article used in an answer: linked to the ticket it answered, in the language sent."""

    ticket = models.ForeignKey(
        "helpdesk.Ticket",
        on_delete=models.CASCADE,
        related_name="article_uses",
        verbose_name=_("ticket"),
    )
    # SET_NULL and the slug kept: deleting an article must not rewrite last year's figures.
    article = models.ForeignKey(
        "knowledgebase.Article",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("article"),
    )
    article_slug = models.SlugField(_("article slug"), max_length=120)
    language = models.CharField(_("language used"), max_length=10)
    wanted_language = models.CharField(_("language of the ticket"), max_length=10)
    message = models.ForeignKey(
        "helpdesk.Message",
        on_delete=models.CASCADE,
        related_name="article_uses",
        verbose_name=_("answer"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("used by"),
    )
    at = models.DateTimeField(_("used at"), default=timezone.now)

    class Meta:
        verbose_name = _("article used in an answer")
        verbose_name_plural = _("articles used in answers")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "article_slug"], name="answer_articleuse_once_per_message"
            )
        ]
        indexes = [
            models.Index(fields=["article", "at"], name="answer_articleuse_article_idx"),
            models.Index(fields=["at"], name="answer_articleuse_at_idx"),
        ]

    def __str__(self):
        return f"{self.article_slug} → {self.ticket_id} ({self.language})"

    @property
    def is_fallback(self) -> bool:
        return self.language != self.wanted_language


class MissingArticle(models.Model):
    """Staff said "no article answers this": the ticket is on the knowledge base's backlog.

    Resolved when an article is later used to answer the ticket, or when staff take it off.
    """

    ticket = models.OneToOneField(
        "helpdesk.Ticket",
        on_delete=models.CASCADE,
        related_name="missing_article",
        verbose_name=_("ticket"),
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by_article = models.SlugField(_("answered later by"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("question without an article")
        verbose_name_plural = _("questions without an article")
        indexes = [
            models.Index(
                fields=["marked_at"],
                condition=models.Q(resolved_at__isnull=True),
                name="answer_missing_open_idx",
            )
        ]

    def __str__(self):
        return str(self.ticket_id)

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class CannedResponse(models.Model):
    """A short reusable answer of a queue (or of every queue), translated per site language.

    Placeholders: {name} (the requester's name), {reference} (the ticket's reference), {queue}
    (the queue's name). Anything else in braces stays as written.
    """

    queue = models.ForeignKey(
        "helpdesk.Queue",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="canned_responses",
        verbose_name=_("queue"),
        help_text=_("Empty: offered in every queue."),
    )
    shortcut = models.SlugField(
        _("shortcut"),
        max_length=40,
        help_text=_("Typed in the answer box's picker to find it, e.g. “no-place”."),
    )
    name = models.CharField(_("name"), max_length=120)  # translated
    body = models.TextField(
        _("text"),
        help_text=_(
            "Placeholders: {name} the requester's name, {reference} the ticket's reference, "
            "{queue} the queue's name."
        ),
    )  # translated
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    # The ticket page keeps them in memory with the coded lists (ListVersion), so bulk writes
    # change the version too.
    objects = CodedEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("canned response")
        verbose_name_plural = _("canned responses")
        ordering = ["position", "shortcut"]
        constraints = [
            models.UniqueConstraint(
                fields=["queue", "shortcut"], name="answer_canned_shortcut_per_queue"
            )
        ]

    def __str__(self):
        return self.name or self.shortcut


post_save.connect(bump_list_version, sender=CannedResponse, dispatch_uid="list-version-canned")
post_delete.connect(
    bump_list_version, sender=CannedResponse, dispatch_uid="list-version-del-canned"
)
