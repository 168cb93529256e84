"""The searches that found nothing, per language: what the knowledge base's backlog and the
content-gap report show next to the questions no article answers.

(The statistics' totals are selectors.stats.search_figures.) No person is behind a row (see
models.SearchLog); the queries are what people typed.
"""

from datetime import date

from django.db.models import Count
from django.db.models.functions import Lower

from knowledgebase.models import SearchLog


def no_result_queries(
    *, start: date, end: date, language: str | None = None, limit: int = 20
) -> list[dict]:
    """The searches that found nothing, most asked first: {"query", "language", "count"}.

    The same words typed in other capitals count as one query; one query to the database.
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
