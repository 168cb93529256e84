"""The knowledge base's backlog and the content-gap report: what to write and translate next.

Counts by topic and language, aggregated in the database with a fixed number of queries. The
coordinator's report shows no ticket and no person; editors see the references of the backlog's
tickets only for the queues they work in.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.models import ArticleUse, Language, MissingArticle, Status, Ticket, Topic
from helpdesk.selectors.access import tickets_visible_to
from knowledgebase import fallback
from knowledgebase.models import Article
from knowledgebase.selectors.search_gaps import no_result_queries
from knowledgebase.selectors.stats import SearchFigures, search_figures

NONE = ""  # the code of "no topic" / "no language"


@dataclass
class Row:
    topic: str  # code ("" for none)
    topic_label: str
    language: str  # code ("" for none)
    language_label: str
    count: int
    total: int | None = None  # e.g. all closed tickets of that topic and language


def _labels():
    topics = dict(Topic.objects.values_list("code", "name"))
    languages = dict(Language.objects.values_list("code", "name"))
    return topics, languages


def _rows(counts, topics, languages, totals=None) -> list[Row]:
    rows = [
        Row(
            topic=topic or NONE,
            topic_label=topics.get(topic, topic) if topic else _("No topic"),
            language=language or NONE,
            language_label=languages.get(language, language) if language else _("Unknown language"),
            count=count,
            total=(totals or {}).get((topic, language)),
        )
        for (topic, language), count in counts.items()
        if count
    ]
    return sorted(rows, key=lambda r: (-r.count, r.topic_label, r.language_label))


def _by_topic_language(queryset, count_field="id") -> dict[tuple[str, str], int]:
    rows = (
        queryset.values_list("topics__code", "language_id")
        .annotate(n=Count(count_field, distinct=True))
        .order_by()
    )
    return {(topic, language): n for topic, language, n in rows}


@dataclass
class BacklogEntry:
    reference: str
    topics: list[str]
    language: str
    marked_at: object


@dataclass
class Backlog:
    rows: list[Row]
    total: int
    tickets: list[BacklogEntry]  # only tickets of the reader's queues
    no_result: list[dict]  # searches that found nothing, last `days` days
    days: int


def kb_backlog(*, user, days: int = 90, limit: int = 100) -> Backlog:
    """Questions no article answers, by topic and language, next to the searches that found nothing."""
    topics, languages = _labels()
    open_marks = Ticket.objects.filter(
        missing_article__resolved_at__isnull=True, merged_into__isnull=True
    )
    counts = _by_topic_language(open_marks)
    total = MissingArticle.objects.filter(
        resolved_at__isnull=True, ticket__merged_into__isnull=True
    ).count()
    mine = (
        tickets_visible_to(user)
        .filter(missing_article__resolved_at__isnull=True, merged_into__isnull=True)
        .select_related("language")
        .prefetch_related("topics")
        .annotate(marked_at=Max("missing_article__marked_at"))
        .order_by("-marked_at")[:limit]
    )
    today = timezone.localdate()
    return Backlog(
        rows=_rows(counts, topics, languages),
        total=total,
        tickets=[
            BacklogEntry(
                reference=t.reference,
                topics=[str(topic) for topic in t.topics.all()],
                language=str(t.language) if t.language else "",
                marked_at=t.marked_at,
            )
            for t in mine
        ],
        no_result=no_result_queries(start=today - timedelta(days=days - 1), end=today, limit=50),
        days=days,
    )


@dataclass
class UsedRow:
    slug: str
    title: str
    language: str
    count: int
    tickets: int
    last: object


@dataclass
class GapReport:
    closed_without: list[Row]
    closed_without_total: int
    closed_total: int
    backlog: list[Row]
    most_used: list[UsedRow]
    most_used_by_topic: list[dict] = field(default_factory=list)
    searches: SearchFigures | None = None  # the knowledge base's totals
    no_result: list[dict] = field(default_factory=list)  # query, language, count


def most_used_articles(*, start, end, queue=None, limit=20, reader_language="nl") -> list[UsedRow]:
    """The articles most used in answers in the period, per language sent (two queries)."""
    uses = ArticleUse.objects.filter(at__gte=start, at__lt=end, ticket__merged_into__isnull=True)
    if queue is not None:
        uses = uses.filter(ticket__queue=queue)
    rows = list(
        uses.values("article_slug", "language")
        .annotate(count=Count("id"), tickets=Count("ticket", distinct=True), last=Max("at"))
        .order_by("-count", "article_slug", "language")[:limit]
    )
    titles = _titles({r["article_slug"] for r in rows}, reader_language)
    return [
        UsedRow(
            slug=r["article_slug"],
            title=titles.get(r["article_slug"], r["article_slug"]),
            language=r["language"],
            count=r["count"],
            tickets=r["tickets"],
            last=r["last"],
        )
        for r in rows
    ]


def _titles(slugs, language: str) -> dict[str, str]:
    columns = [f"title_{code}" for code in fallback.chain(language)]
    out = {}
    # Always one query, found or not: the statistics page's query count is fixed.
    for article in Article.objects.filter(slug__in=[*slugs, ""]).only("slug", *columns):
        code = fallback.pick(
            [c for c in fallback.chain(language) if getattr(article, f"title_{c}", "")], language
        )
        out[article.slug] = getattr(article, f"title_{code}", "") if code else article.slug
    return out


def content_gaps(*, scope, reader_language: str) -> GapReport:
    """Per topic and language: tickets closed in the period without any linked article (of all
    closed), questions on the backlog, the articles most used; and the searches with no result."""
    topics, languages = _labels()
    closed = Ticket.objects.filter(
        status=Status.CLOSED,
        merged_into__isnull=True,
        closed_at__gte=scope.start,
        closed_at__lt=scope.end,
    )
    if scope.queue is not None:
        closed = closed.filter(queue=scope.queue)
    without = closed.filter(~Exists(ArticleUse.objects.filter(ticket=OuterRef("pk"))))
    totals = _by_topic_language(closed)
    marks = Ticket.objects.filter(
        missing_article__marked_at__gte=scope.start,
        missing_article__marked_at__lt=scope.end,
        merged_into__isnull=True,
    )
    if scope.queue is not None:
        marks = marks.filter(queue=scope.queue)
    return GapReport(
        closed_without=_rows(_by_topic_language(without), topics, languages, totals),
        closed_without_total=without.count(),
        closed_total=closed.count(),
        backlog=_rows(_by_topic_language(marks), topics, languages),
        most_used=most_used_articles(
            start=scope.start, end=scope.end, queue=scope.queue, reader_language=reader_language
        ),
        searches=search_figures(start=scope.period.start, end=scope.period.end, top=0),
        no_result=no_result_queries(start=scope.period.start, end=scope.period.end, limit=30),
    )
