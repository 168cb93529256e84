"""The "Knowledge base" section of the statistics page, the exports and the annual report.

Searches (all, with no result, and their top queries), articles opened from a search, and the
articles most linked to answers. Searches belong to no queue, so the section is left out when a
queue is chosen (like Startpunt); the content-gap report (/desk/kb/gaps/) splits by queue.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.languages import language_name
from helpdesk.models import ArticleUse
from helpdesk.stats import sections
from helpdesk.stats.formatting import number, percent
from helpdesk.stats.sections import Scope, Table
from knowledgebase.selectors.search_figures import SearchFigures, search_figures

from .reports import UsedRow, most_used_articles


@dataclass
class KnowledgeBaseSection:
    searches: SearchFigures
    most_used: list[UsedRow]
    uses: int  # articles linked to answers
    tickets: int  # tickets answered with at least one article


def compute(scope: Scope) -> KnowledgeBaseSection:
    from django.utils import translation

    uses = ArticleUse.objects.filter(
        at__gte=scope.start, at__lt=scope.end, ticket__merged_into__isnull=True
    ).aggregate(uses=Count("id"), tickets=Count("ticket", distinct=True))
    return KnowledgeBaseSection(
        searches=search_figures(start=scope.period.start, end=scope.period.end, top=10),
        most_used=most_used_articles(
            start=scope.start,
            end=scope.end,
            limit=10,
            reader_language=translation.get_language() or "nl",
        ),
        uses=uses["uses"],
        tickets=uses["tickets"],
    )


def tables(s: KnowledgeBaseSection, scope: Scope) -> list[Table]:
    f = s.searches
    totals = {
        "searches": f.searches,
        "no_result": f.no_result,
        "opened": f.opened,
        "article_uses": s.uses,
        "tickets_with_article": s.tickets,
    }
    labels = {
        "searches": _("Searches"),
        "no_result": _("Searches with no result"),
        "opened": _("Searches after which an article was opened"),
        "article_uses": _("Articles linked to answers"),
        "tickets_with_article": _("Tickets answered with an article"),
    }
    return [
        Table(
            key="kb",
            title=_("Knowledge base"),
            columns=[_("Figure"), _("Number")],
            rows=[[str(labels[key]), value] for key, value in totals.items()],
            codes=list(totals),
        ),
        Table(
            key="kb_languages",
            title=_("Searches by language"),
            columns=[_("Language"), _("Searches"), _("With no result"), _("Article opened")],
            rows=[
                [language_name(code), row["searches"], row["no_result"], row["opened"]]
                for code, row in f.by_language.items()
            ],
            codes=list(f.by_language),
        ),
        Table(
            key="kb_no_result",
            title=_("Top searches with no result"),
            columns=[_("Search"), _("Language"), _("Times")],
            rows=[[r["query"], r["language"], r["count"]] for r in f.top_no_result],
            codes=[r["language"] for r in f.top_no_result],
        ),
        Table(
            key="kb_most_used",
            title=_("Articles most linked to answers"),
            columns=[_("Article"), _("Language"), _("Answers"), _("Tickets")],
            rows=[[r.title, r.language, r.count, r.tickets] for r in s.most_used],
            codes=[r.slug for r in s.most_used],
        ),
    ]


def headlines(s: KnowledgeBaseSection, scope: Scope) -> list[str]:
    f = s.searches
    if not (f.searches or s.uses):
        return []
    return [
        _(
            "The knowledge base was searched %(searches)s times; %(none)s searches (%(share)s) "
            "found nothing. Articles answered %(tickets)s tickets."
        )
        % {
            "searches": number(f.searches),
            "none": number(f.no_result),
            "share": percent(f.no_result, f.searches),
            "tickets": number(s.tickets),
        }
    ]


def summary(s: KnowledgeBaseSection, scope: Scope) -> dict:
    f = s.searches
    return {
        "searches": f.searches,
        "no_result": f.no_result,
        "opened": f.opened,
        "article_uses": s.uses,
        "tickets_with_article": s.tickets,
        "by_language": f.by_language,
        "top_no_result": f.top_no_result,
        "most_used": {r.slug: r.count for r in s.most_used},
    }


def register() -> None:
    sections.register(
        sections.Section(
            key="knowledge_base",
            title=gettext_lazy("Knowledge base"),
            compute=compute,
            template="helpdesk/answer/stats_kb.html",
            tables=tables,
            headlines=headlines,
            summary=summary,
            order=50,
            queue_scoped=False,
        )
    )
