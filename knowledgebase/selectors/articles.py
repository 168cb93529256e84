"""Reads of articles for pages, the API, the index and the staff lists."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet

from knowledgebase import fallback
from knowledgebase.models import Article, ArticleTranslation, Category, TranslationState
from knowledgebase.search import Doc, Translation

from .access import articles_visible_to, visibilities_for

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
BODY_COLUMNS = [f"body_{code}" for code in LANGUAGE_CODES]


def translation_states(article: Article) -> dict[str, str]:
    """Each site language's state for `article`: missing, current or outdated.

    Reads article.translation_marks (prefetch it on lists).
    """
    marks = {mark.language: mark.based_on_revision for mark in article.translation_marks.all()}
    states = {}
    for code in LANGUAGE_CODES:
        if not getattr(article, f"title_{code}", ""):
            states[code] = TranslationState.MISSING
        elif code == article.source_language or marks.get(code, 0) >= article.source_revision:
            states[code] = TranslationState.CURRENT
        else:
            states[code] = TranslationState.OUTDATED
    return states


@dataclass
class Shown:
    """An article's text as one reader sees it."""

    article: Article
    language: str  # the language of the text shown
    title: str
    summary: str
    wanted: str  # the reader's language
    body: str = ""
    state: str = TranslationState.CURRENT

    @property
    def is_fallback(self) -> bool:
        return self.language != self.wanted


def shown(
    article: Article, language: str, states: dict | None = None, *, with_body: bool = True
) -> Shown:
    """`article` in the reader's language, or the fallback. Lists pass with_body=False (they
    defer the body columns)."""
    code = fallback.pick(article.languages(), language) or article.source_language
    text = article.text(code, ("title", "summary", "body") if with_body else ("title", "summary"))
    state = (states or {}).get(code, TranslationState.CURRENT)
    return Shown(article=article, language=code, wanted=language, state=state, **text)


def categories_for(user) -> QuerySet[Category]:
    """Categories with the number of articles `user` may read in each; empty ones left out."""
    visible = Q(articles__visibility__in=visibilities_for(user))
    return Category.objects.annotate(article_count=Count("articles", filter=visible)).filter(
        article_count__gt=0
    )


def category_articles(user, category: Category, language: str) -> list[Shown]:
    articles = (
        articles_visible_to(user).filter(category=category).defer(*BODY_COLUMNS).order_by("slug")
    )
    return sorted(
        (shown(a, language, with_body=False) for a in articles), key=lambda s: s.title.casefold()
    )


@dataclass
class ArticlePage:
    shown: Shown
    states: dict[str, str]
    related: list[Shown] = field(default_factory=list)
    tags: list = field(default_factory=list)


def article_page(user, article: Article, language: str) -> ArticlePage:
    """Everything the article page shows, in a fixed number of queries.

    `article` must come from article_page_queryset(user) (it prefetches what is read here).
    """
    states = translation_states(article)
    return ArticlePage(
        shown=shown(article, language, states),
        states=states,
        related=[shown(r, language, with_body=False) for r in article.related.all()],
        tags=list(article.tags.all()),
    )


def article_page_queryset(user) -> QuerySet[Article]:
    visible = visibilities_for(user)
    return (
        Article.objects.select_related("category", "owner")
        .prefetch_related(
            "tags",
            "translation_marks",
            Prefetch(
                "related",
                queryset=Article.objects.filter(visibility__in=visible)
                .defer(*BODY_COLUMNS)
                .order_by("slug"),
            ),
        )
        .filter(visibility__in=visible)
    )


# --- Staff lists ----------------------------------------------------------------------------------


@dataclass
class TranslationGap:
    article: Article
    language: str
    state: str
    source_revision: int
    based_on: int | None


def translation_gaps(user, *, language: str | None = None, state: str | None = None):
    """Translations that are outdated or missing, per language (every language when None).

    Three queries whatever the number of articles.
    """
    languages = [language] if language else LANGUAGE_CODES
    articles = (
        articles_visible_to(user)
        .select_related("category")
        .prefetch_related("translation_marks")
        .defer(*BODY_COLUMNS)
        .order_by("slug")
    )
    gaps = []
    for article in articles:
        states = translation_states(article)
        marks = {m.language: m.based_on_revision for m in article.translation_marks.all()}
        for code in languages:
            found = states[code]
            if found == TranslationState.CURRENT or (state and found != state):
                continue
            gaps.append(
                TranslationGap(article, code, found, article.source_revision, marks.get(code))
            )
    return gaps


def translation_counts(user) -> dict[str, dict[str, int]]:
    """Per language: how many articles are current, outdated and missing."""
    counts = {code: {state.value: 0 for state in TranslationState} for code in LANGUAGE_CODES}
    articles = articles_visible_to(user).prefetch_related("translation_marks").defer(*BODY_COLUMNS)
    for article in articles:
        for code, state in translation_states(article).items():
            counts[code][state] += 1
    return counts


def reviews_due(user, *, today: date) -> QuerySet[Article]:
    """Articles whose review date has passed (today included), oldest first."""
    return (
        articles_visible_to(user)
        .filter(review_by__lte=today)
        .select_related("owner", "category")
        .defer(*BODY_COLUMNS)
        .order_by("review_by", "slug")
    )


def overdue_by_owner(*, today: date, remind_every_days: int = 7) -> dict:
    """Owners (with an email address) of overdue articles not reminded in the last week."""
    from datetime import timedelta

    due = (
        Article.objects.filter(review_by__lte=today, owner__isnull=False, owner__is_active=True)
        .exclude(owner__email="")
        .filter(
            Q(review_reminded_on__isnull=True)
            | Q(review_reminded_on__lte=today - timedelta(days=remind_every_days))
        )
        .select_related("owner")
        .defer(*BODY_COLUMNS)
        .order_by("owner_id", "review_by", "slug")
    )
    owners: dict = {}
    for article in due:
        owners.setdefault(article.owner, []).append(article)
    return owners


# --- The search index -----------------------------------------------------------------------------


def article_doc(article: Article) -> Doc:
    translations = {}
    for code in article.languages():
        text = article.text(code)
        translations[code] = Translation(
            title=text["title"], summary=text["summary"], body=text["body"]
        )
    return Doc(
        article_id=article.pk,
        slug=article.slug,
        category=article.category.slug,
        visibility=article.visibility,
        translations=translations,
        tags=tuple(tag.slug for tag in article.tags.all()),
        updated_at=article.updated_at,
    )


def index_docs(*, slugs=None, changed_since=None, chunk_size: int = 500) -> Iterator[Doc]:
    """Every article (or those named, or changed since a moment) as the index sees it, read in
    chunks. Every visibility: the index filters per reader."""
    articles = Article.objects.select_related("category").order_by("pk")
    if slugs is not None:
        articles = articles.filter(slug__in=list(slugs))
    if changed_since is not None:
        articles = articles.filter(updated_at__gte=changed_since)
    last = 0
    while True:
        chunk = list(articles.filter(pk__gt=last).prefetch_related("tags")[:chunk_size])
        if not chunk:
            return
        for article in chunk:
            yield article_doc(article)
        last = chunk[-1].pk


def search_docs_changed_since(since) -> Iterator[Doc]:
    """For the search package's catch-up (knowledgebase.search.sync): None means every article."""
    return index_docs(changed_since=since)


def article_changes_after(after) -> list:
    """When the articles changed after `after` (every article for None) last changed, oldest
    first; at most 200, which is enough for /health/ to say how far behind an index is."""
    articles = Article.objects.order_by("updated_at")
    if after is not None:
        articles = articles.filter(updated_at__gt=after)
    return list(articles.values_list("updated_at", flat=True)[:200])


def article_slugs() -> Iterator[str]:
    return Article.objects.values_list("slug", flat=True).iterator(chunk_size=2000)


def index_size() -> int:
    return Article.objects.count()


def marks_for(article: Article) -> dict[str, ArticleTranslation]:
    return {mark.language: mark for mark in article.translation_marks.all()}
