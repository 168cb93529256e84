"""Articles, their categories and tags, and how far each translation lags behind its source.

Title, summary and body are translated with django-modeltranslation (one column per language in
settings.LANGUAGES: title_nl, title_ar, ...; see knowledgebase/translation.py). Each article is
written first in its source language. Every change of the source text raises
`source_revision`; an ArticleTranslation row remembers, per language, the source revision the
translation was last edited (or confirmed) against. A translation is then:
- missing: no title in that language;
- current: edited against the latest source revision (or it is the source);
- outdated: the source changed after it was last edited.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Short codes for /k/<code>/: no 0/O, 1/l/I, so a code read aloud or copied by hand survives.
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 6


def new_short_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal (staff and volunteers)")
    DRAFT = "draft", _("Draft")


class TranslationState(models.TextChoices):
    MISSING = "missing", _("Missing")
    CURRENT = "current", _("Current")
    OUTDATED = "outdated", _("Outdated")


class Category(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)  # translated
    description = models.TextField(_("description"), blank=True)  # translated
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name or self.slug


class Tag(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name or self.slug


class Article(models.Model):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    code = models.CharField(
        _("short code"),
        max_length=12,
        unique=True,
        default=new_short_code,
        editable=False,
        help_text=_("The short link /k/<code>/ and the QR code point here."),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="articles", verbose_name=_("category")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles", verbose_name=_("tags"))
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.DRAFT
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kb_articles",
        verbose_name=_("owner"),
        help_text=_("Who keeps this article right; reminded when the review date passes."),
    )
    review_by = models.DateField(_("review by"), null=True, blank=True)
    review_reminded_on = models.DateField(
        _("owner last reminded on"), null=True, blank=True, editable=False
    )
    related = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name=_("related articles")
    )
    # Translated (modeltranslation): title_nl, title_fr, ...
    title = models.CharField(_("title"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown."))
    source_language = models.CharField(
        _("source language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the article is written in first; translations follow it."),
    )
    source_revision = models.PositiveIntegerField(_("source revision"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [("view_internal_article", _("Can read internal articles"))]
        indexes = [
            models.Index(fields=["visibility", "category"], name="kb_article_vis_cat_idx"),
            # Each web machine's index catch-up (every minute) and /health/ read by this.
            models.Index(fields=["updated_at"], name="kb_article_updated_idx"),
        ]

    def __str__(self):
        return self.title or self.slug

    def text(self, language: str, fields=("title", "summary", "body")) -> dict[str, str]:
        """Title, summary and body in exactly `language` (empty strings where it has none)."""
        return {name: getattr(self, f"{name}_{language}", "") or "" for name in fields}

    def languages(self) -> list[str]:
        """The languages this article has a title in, in settings order."""
        return [code for code, _name in settings.LANGUAGES if getattr(self, f"title_{code}", "")]


class ArticleTranslation(models.Model):
    """The source revision one language's text was last edited (or confirmed) against."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="translation_marks")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    based_on_revision = models.PositiveIntegerField(_("based on source revision"))
    edited_at = models.DateTimeField(_("edited at"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="kb_translation_one_per_language"
            )
        ]
        verbose_name = _("translation revision")
        verbose_name_plural = _("translation revisions")

    def __str__(self):
        return f"{self.article_id}/{self.language}@{self.based_on_revision}"
