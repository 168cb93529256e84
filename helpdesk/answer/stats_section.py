"""The "Knowledge base in answers" section of the statistics page, the exports and the report.

The knowledge base's own section (knowledgebase/stats_section.py) counts the searches, those
that found nothing and their top queries, and the articles opened; this one adds what only the
helpdesk knows: the articles linked to answers, the tickets they answered, the articles most used.
Left out when a queue is chosen, like the searches beside it; the content-gap report
(/desk/kb/gaps/) splits by queue. Three queries whatever the period's size.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helpdesk.models import ArticleUse
from helpdesk.stats import sections
from helpdesk.stats.formatting import number
from helpdesk.stats.sections import Scope, Table

from .reports import UsedRow, most_used_articles


@dataclass
class AnswersSection:
    uses: int  # articles linked to answers
    tickets: int  # tickets answered with at least one article
    most_used: list[UsedRow]


def compute(scope: Scope) -> AnswersSection:
    totals = ArticleUse.objects.filter(
        at__gte=scope.start, at__lt=scope.end, ticket__merged_into__isnull=True
    ).aggregate(uses=Count("id"), tickets=Count("ticket", distinct=True))
    return AnswersSection(
        uses=totals["uses"],
        tickets=totals["tickets"],
        most_used=most_used_articles(
            start=scope.start,
            end=scope.end,
            limit=10,
            reader_language=translation.get_language() or "nl",
        ),
    )


def tables(s: AnswersSection, scope: Scope) -> list[Table]:
    return [
        Table(
            key="kb_answers",
            title=_("Knowledge base in answers"),
            columns=[_("Figure"), _("Number")],
            rows=[
                [_("Articles linked to answers"), s.uses],
                [_("Tickets answered with an article"), s.tickets],
            ],
            codes=["article_uses", "tickets_with_article"],
        ),
        Table(
            key="kb_most_used",
            title=_("Articles most linked to answers"),
            columns=[_("Article"), _("Language"), _("Answers"), _("Tickets")],
            rows=[[r.title, r.language, r.count, r.tickets] for r in s.most_used],
            codes=[r.slug for r in s.most_used],
        ),
    ]


def headlines(s: AnswersSection, scope: Scope) -> list[str]:
    if not s.uses:
        return []
    return [
        _("Knowledge-base articles answered %(tickets)s tickets (%(uses)s links in answers).")
        % {"tickets": number(s.tickets), "uses": number(s.uses)}
    ]


def summary(s: AnswersSection, scope: Scope) -> dict:
    return {
        "article_uses": s.uses,
        "tickets_with_article": s.tickets,
        "most_used": {r.slug: r.count for r in s.most_used},
    }


def register() -> None:
    sections.register(
        sections.Section(
            key="kb_answers",
            title=gettext_lazy("Knowledge base in answers"),
            compute=compute,
            template="helpdesk/answer/stats_kb.html",
            tables=tables,
            headlines=headlines,
            summary=summary,
            order=61,  # right after the knowledge base's own section (60)
            queue_scoped=False,
        )
    )
