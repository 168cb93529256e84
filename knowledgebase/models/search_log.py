"""Every search, for the statistics: what was asked and whether the knowledge base answered it.

No personal data: no user, no address, no session, no time of day (the day is enough for the
figures). The query is what a person typed; the search box says that searches are counted.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchLog(models.Model):
    class Source(models.TextChoices):
        PAGE = "page", _("Knowledge-base page")
        API = "api", _("API (the question form's suggestions, other tools)")

    day = models.DateField(_("day"), db_index=True)
    query = models.CharField(_("query"), max_length=300)
    language = models.CharField(_("language"), max_length=10)
    scope = models.CharField(_("scope"), max_length=10, default="public")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    result_count = models.PositiveIntegerField(_("results"))
    fuzzy = models.BooleanField(_("typo-tolerant"), default=False)
    opened_article = models.ForeignKey(
        "knowledgebase.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("article opened"),
    )

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("search")
        verbose_name_plural = _("searches")
        indexes = [models.Index(fields=["day", "result_count"], name="kb_searchlog_day_idx")]

    def __str__(self):
        return self.query
