"""What the search log says, for the statistics and the knowledge base's backlog.

Aggregated in the database, a fixed number of queries whatever the number of searches. No person
is behind a row (see models.SearchLog); the queries are what people typed.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import Lower

from knowledgebase.models import SearchLog


@dataclass
class SearchFigures:
    searches: int = 0
    no_result: int = 0
    opened: int = 0  # searches after which an article was opened
    by_language: dict[str, dict[str, int]] = field(default_factory=dict)
    top_no_result: list[dict] = field(default_factory=list)  # query, language, count


def search_figures(*, start: date, end: date, top: int = 10) -> SearchFigures:
    """Searches between `start` and `end` (both included), two queries."""
    logs = SearchLog.objects.filter(day__gte=start, day__lte=end)
    rows = (
        logs.values("language")
        .annotate(
            searches=Count("id"),
            no_result=Count("id", filter=Q(result_count=0)),
            opened=Count("id", filter=Q(opened_article__isnull=False)),
        )
        .order_by("language")
    )
    figures = SearchFigures()
    for row in rows:
        figures.by_language[row["language"]] = {
            "searches": row["searches"],
            "no_result": row["no_result"],
            "opened": row["opened"],
        }
        figures.searches += row["searches"]
        figures.no_result += row["no_result"]
        figures.opened += row["opened"]
    figures.top_no_result = no_result_queries(start=start, end=end, limit=top)
    return figures


def no_result_queries(
    *, start: date, end: date, language: str | None = None, limit: int = 20
) -> list[dict]:
    """The searches that found nothing, most asked first: {"query", "language", "count"}.

    The same words typed in other capitals count as one query.
    """
    logs = SearchLog.objects.filter(day__gte=start, day__lte=end, result_count=0)
    if language:
        logs = logs.filter(language=language)
    rows = (
        logs.annotate(words=Lower("query"))
        .values("words", "language")
        .annotate(count=Count("id"))
        .order_by("-count", "words", "language")[:limit]
    )
    return [{"query": r["words"], "language": r["language"], "count": r["count"]} for r in rows]
