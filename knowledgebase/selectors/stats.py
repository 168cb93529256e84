"""The knowledge base's use, for the statistics: searches, what was opened, what found nothing.

Two queries whatever the period's size, aggregated in the database.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import Lower

from knowledgebase.models import SearchLog


@dataclass
class SearchFigures:
    totals: dict[str, int]
    by_language: dict[str, int]  # language code -> searches
    unanswered: list[tuple[str, int]] = field(default_factory=list)  # (query, times) most first


def search_figures(*, start: date, end: date, top: int = 25) -> SearchFigures:
    """Searches from `start` to `end` (both days included)."""
    logs = SearchLog.objects.filter(day__gte=start, day__lte=end)
    rows = (
        logs.values("language")
        .annotate(
            searches=Count("id"),
            found_nothing=Count("id", filter=Q(result_count=0)),
            opened=Count("id", filter=Q(opened_article__isnull=False)),
            from_pages=Count("id", filter=Q(source=SearchLog.Source.PAGE)),
            from_question_form=Count("id", filter=Q(source=SearchLog.Source.API)),
        )
        .order_by("-searches", "language")
    )
    keys = ["searches", "found_nothing", "opened", "from_pages", "from_question_form"]
    totals = dict.fromkeys(keys, 0)
    by_language = {}
    for row in rows:
        by_language[row["language"]] = row["searches"]
        for key in keys:
            totals[key] += row[key]
    unanswered = list(
        logs.filter(result_count=0)
        .annotate(q=Lower("query"))
        .values_list("q")
        .annotate(n=Count("id"))
        .order_by("-n", "q")[:top]
    )
    return SearchFigures(totals=totals, by_language=by_language, unanswered=unanswered)
