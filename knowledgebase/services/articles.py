"""Writes of articles, categories and translations. Pages, the API, the admin and the commands
all come through here, so the revision counting and the index update happen in one place."""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.tasks import enqueue_on_commit
from knowledgebase.models import Article, ArticleTranslation, Category, Tag, Visibility

TEXT_FIELDS = ("title", "summary", "body")
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
# Paths of the knowledge base that an article's slug must not hide.
RESERVED_SLUGS = {"search", "staff", "c", "new"}
MAX_LENGTHS = {"title": 200}
UNSET = object()


def _clean_language(code: str) -> str:
    if code not in LANGUAGE_CODES:
        raise ValidationError(
            _("“%(code)s” is not a language of this site (use one of: %(codes)s).")
            % {"code": code, "codes": ", ".join(LANGUAGE_CODES)}
        )
    return code


def _clean_slug(slug: str) -> str:
    slug = (slug or "").strip()
    try:
        validate_slug(slug)
    except ValidationError:
        raise ValidationError(
            _("“%(slug)s” is not a valid slug (letters, digits, hyphens and underscores only).")
            % {"slug": slug}
        ) from None
    if slug in RESERVED_SLUGS:
        raise ValidationError(_("The slug “%(slug)s” is reserved.") % {"slug": slug})
    return slug


def category_get_or_create(*, slug: str, name: str | None = None) -> Category:
    """The category with this slug; created (named after its slug) when it does not exist yet."""
    slug = _clean_slug(slug)
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        label = name or slug.replace("-", " ").replace("_", " ").capitalize()
        category = Category(slug=slug, name=label, **{f"name_{settings.LANGUAGE_CODE}": label})
        category.full_clean()
        category.save()
    return category


def tag_get_or_create(*, slug: str) -> Tag:
    slug = _clean_slug(slug)
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        label = slug.replace("-", " ")
        tag = Tag.objects.create(slug=slug, name=label, **{f"name_{settings.LANGUAGE_CODE}": label})
    return tag


def _set_text(article: Article, translations: dict) -> set[str]:
    """Copy the given texts onto the article; return the languages whose text changed."""
    changed = set()
    for code, text in translations.items():
        _clean_language(code)
        if not isinstance(text, dict):
            raise ValidationError(_("The text of “%(code)s” must be an object.") % {"code": code})
        unknown = set(text) - set(TEXT_FIELDS)
        if unknown:
            raise ValidationError(
                _("Unknown fields in “%(code)s”: %(fields)s (use title, summary and body).")
                % {"code": code, "fields": ", ".join(sorted(unknown))}
            )
        for name in TEXT_FIELDS:
            if name not in text:
                continue
            value = text[name]
            if value is None:
                value = ""
            if not isinstance(value, str):
                raise ValidationError(
                    _("The %(field)s of “%(code)s” must be text.") % {"field": name, "code": code}
                )
            value = value.strip() if name == "title" else value.strip("\n").rstrip()
            limit = MAX_LENGTHS.get(name)
            if limit and len(value) > limit:
                raise ValidationError(
                    _("The %(field)s of “%(code)s” is longer than %(limit)d characters.")
                    % {"field": name, "code": code, "limit": limit}
                )
            column = f"{name}_{code}"
            if (getattr(article, column, "") or "") != value:
                setattr(article, column, value)
                changed.add(code)
    return changed


@transaction.atomic
def article_save(
    *,
    article: Article | None = None,
    slug: str | None = None,
    category: Category | str | None = None,
    visibility: str | None = None,
    source_language: str | None = None,
    translations: dict[str, dict[str, str]] | None = None,
    owner=UNSET,
    review_by=UNSET,
    tags: Iterable[Tag | str] | None = None,
    related: Iterable[Article] | None = None,
    confirm_current: Iterable[str] = (),
    minor: bool = False,
) -> Article:
    """Create (article=None) or update an article; what is not given stays as it is.

    A change of the source-language text raises the source revision, so the other languages'
    translations become outdated, unless `minor` (a typo fixed: translations stay current).
    A language whose text is changed here is marked as edited against the (new) source revision;
    `confirm_current` marks languages as checked against it without changing their text.
    The search index is updated when the transaction commits.
    """
    creating = article is None
    if creating:
        if not slug:
            raise ValidationError(_("A new article needs a slug."))
        article = Article()
    old_slug = article.slug
    dirty = creating

    if slug is not None and slug != article.slug:
        article.slug = _clean_slug(slug)
        dirty = True
    if category is not None:
        if isinstance(category, str):
            category = category_get_or_create(slug=category)
        if article.category_id != category.pk:
            article.category = category
            dirty = True
    if visibility is not None and visibility != article.visibility:
        if visibility not in Visibility.values:
            raise ValidationError(
                _("“%(value)s” is not a visibility (use public, internal or draft).")
                % {"value": visibility}
            )
        article.visibility = visibility
        dirty = True
    if source_language is not None and source_language != article.source_language:
        article.source_language = _clean_language(source_language)
        dirty = True
    if owner is not UNSET and article.owner_id != getattr(owner, "pk", None):
        article.owner = owner
        dirty = True
    if review_by is not UNSET and article.review_by != review_by:
        article.review_by = review_by
        article.review_reminded_on = None  # a new date: remind again when it passes
        dirty = True

    changed = _set_text(article, translations or {})
    if not article.text(article.source_language)["title"]:
        raise ValidationError(
            _("The article needs a title in its source language (%(code)s).")
            % {"code": article.source_language}
        )
    if not creating and article.source_language in changed and not minor:
        article.source_revision += 1
    confirm = {_clean_language(code) for code in confirm_current}
    marked = (changed | confirm) & set(article.languages())

    if dirty or changed:
        article.full_clean(exclude=["related", "tags"])
        article.save()
    for code in sorted(marked | ({article.source_language} if creating or changed else set())):
        ArticleTranslation.objects.update_or_create(
            article=article,
            language=code,
            defaults={"based_on_revision": article.source_revision},
        )
    m2m_changed = False
    if tags is not None:
        wanted = [t if isinstance(t, Tag) else tag_get_or_create(slug=t) for t in tags]
        if {t.pk for t in wanted} != set(article.tags.values_list("pk", flat=True)):
            article.tags.set(wanted)
            m2m_changed = True
    if related is not None:
        wanted = [r for r in related if r.pk != article.pk]
        if {r.pk for r in wanted} != set(article.related.values_list("pk", flat=True)):
            article.related.set(wanted)
            m2m_changed = True

    if m2m_changed and not (dirty or changed):
        # Tags are indexed: a machine catching its index up finds the article by updated_at.
        Article.objects.filter(pk=article.pk).update(updated_at=timezone.now())
    if dirty or changed or m2m_changed:
        _reindex(article.slug)
        if old_slug and old_slug != article.slug:
            _reindex(old_slug)
    article.was_changed = bool(dirty or changed or m2m_changed or marked)
    return article


def translation_save(
    *, article: Article, language: str, title: str, summary: str, body: str, minor: bool = False
) -> Article:
    """Save one language's text (the side-by-side page); marks it edited against the source."""
    return article_save(
        article=article,
        translations={language: {"title": title, "summary": summary, "body": body}},
        confirm_current=[language],
        minor=minor,
    )


@transaction.atomic
def article_delete(*, article: Article) -> None:
    slug = article.slug
    article.delete()
    _reindex(slug)


def _reindex(slug: str) -> None:
    from knowledgebase.tasks import index_article

    enqueue_on_commit(index_article, slug)
