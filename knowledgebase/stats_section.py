"""The knowledge base's section of the statistics page and the annual report.

Registered from the app's ready() when the statistics app is installed (the hook it offers to
other apps); the figures themselves come from knowledgebase.selectors.stats.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.languages import language_name

from .selectors.stats import SearchFigures, search_figures

LABELS = {
    "searches": gettext_lazy("Searches"),
    "found_nothing": gettext_lazy("Searches that found nothing"),
    "opened": gettext_lazy("Searches after which an article was opened"),
    "from_pages": gettext_lazy("Searches on the information pages"),
    "from_question_form": gettext_lazy("Suggestions while a question was typed"),
}


def compute(scope) -> SearchFigures:
    return search_figures(start=scope.period.start, end=scope.period.end)


def tables(figures: SearchFigures, scope) -> list:
    from helpdesk.stats.sections import Table

    return [
        Table(
            key="kb_searches",
            title=_("Knowledge base"),
            columns=[_("Figure"), _("Number")],
            rows=[[str(LABELS[key]), value] for key, value in figures.totals.items()],
            codes=list(figures.totals),
        ),
        Table(
            key="kb_languages",
            title=_("Knowledge-base searches by language"),
            columns=[_("Language"), _("Number")],
            rows=[[language_name(code), n] for code, n in figures.by_language.items()],
            codes=list(figures.by_language),
        ),
        Table(
            key="kb_unanswered",
            title=_("Questions the knowledge base could not answer"),
            columns=[_("Search"), _("Times")],
            rows=[[query, n] for query, n in figures.unanswered],
            note=_("The most frequent searches that found no article."),
        ),
    ]


def headlines(figures: SearchFigures, scope) -> list[str]:
    t = figures.totals
    if not t["searches"]:
        return []
    return [
        _(
            "The knowledge base was searched %(searches)s times; %(nothing)s searches found "
            "nothing, and after %(opened)s an article was opened."
        )
        % {"searches": t["searches"], "nothing": t["found_nothing"], "opened": t["opened"]}
    ]


def summary(figures: SearchFigures, scope) -> dict:
    return {
        **figures.totals,
        "by_language": figures.by_language,
        "unanswered": [{"query": q, "count": n} for q, n in figures.unanswered],
    }


def register() -> None:
    from helpdesk.stats import sections

    sections.register(
        sections.Section(
            key="knowledge_base",
            title=gettext_lazy("Knowledge base"),
            compute=compute,
            template="knowledgebase/stats_section.html",
            tables=tables,
            headlines=headlines,
            summary=summary,
            order=60,
            queue_scoped=False,  # searches belong to no queue
        )
    )
