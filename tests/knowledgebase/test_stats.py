"""The knowledge base's use in the statistics: searches, opened articles, unanswered questions."""

from datetime import date, timedelta

import pytest

from knowledgebase.models import SearchLog
from knowledgebase.selectors.stats import search_figures

pytestmark = pytest.mark.django_db


def log(day, query, results, *, language="nl", source="page", opened=None):
    return SearchLog.objects.create(
        day=day,
        query=query,
        language=language,
        source=source,
        result_count=results,
        opened_article=opened,
    )


def test_the_figures_count_searches_and_list_what_found_nothing(dublin):
    may = date(2026, 5, 10)
    log(may, "dublin", 1, opened=dublin)
    log(may, "Staatloosheid", 0)
    log(may, "staatloosheid", 0, language="fr", source="api")
    log(may, "kinderbijslag", 0, language="ar")
    log(date(2026, 6, 1), "outside the period", 0)
    figures = search_figures(start=date(2026, 5, 1), end=date(2026, 5, 31))
    assert figures.totals == {
        "searches": 4,
        "found_nothing": 3,
        "opened": 1,
        "from_pages": 3,
        "from_question_form": 1,
    }
    assert figures.by_language == {"nl": 2, "ar": 1, "fr": 1}
    assert figures.unanswered == [("staatloosheid", 2), ("kinderbijslag", 1)]


def test_coordinators_find_the_unanswered_questions_on_the_statistics_page(client, cora):
    log(date.today(), "kinderbijslag voor asielzoekers", 0)
    client.force_login(cora)
    year = date.today().year
    page = client.get(f"/stats/?from={year}-01-01&to={year}-12-31").content.decode()
    assert "kinderbijslag voor asielzoekers" in page


def test_volunteers_do_not_see_the_search_statistics(client, vera):
    log(date.today(), "kinderbijslag voor asielzoekers", 0)
    client.force_login(vera)
    response = client.get("/stats/")
    assert "kinderbijslag" not in response.content.decode()


def test_searches_are_forgotten_after_the_retention_period(settings):
    from knowledgebase.tasks import prune_search_log

    settings.KB_SEARCH_LOG_RETENTION_DAYS = 30
    today = date.today()
    log(today - timedelta(days=31), "old question", 0)
    log(today - timedelta(days=29), "recent question", 0)
    prune_search_log.call()
    assert list(SearchLog.objects.values_list("query", flat=True)) == ["recent question"]
