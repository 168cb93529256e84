from dataclasses import dataclass

from django.db.models import Count, Sum

from helpdesk.models import Language, Topic

from ..models import StartpuntSession
from ..sections import Scope
from .tickets import Row


@dataclass
class StartpuntFigures:
    sessions: int
    people_informed: int
    volunteer_mornings: int
    flyers: int
    by_month: dict[str, tuple[int, int]]  # month -> (sessions, people informed)
    languages: list[Row]
    topics: list[Row]

    @property
    def languages_covered(self) -> int:
        return len(self.languages)


def startpunt_figures(scope: Scope) -> StartpuntFigures:
    """The Startpunt mornings of the period (by their date; Startpunt belongs to no queue)."""
    sessions = StartpuntSession.objects.filter(
        date__gte=scope.period.start, date__lte=scope.period.end
    ).order_by()
    totals = sessions.aggregate(
        n=Count("id"),
        people=Sum("people_informed"),
        volunteers=Sum("volunteers_present"),
        flyers=Sum("flyers_handed_out"),
    )
    by_month = dict.fromkeys(scope.month_keys(), (0, 0))
    by_month_rows = (
        sessions.values("date__year", "date__month")
        .annotate(n=Count("id"), people=Sum("people_informed"))
        .values_list("date__year", "date__month", "n", "people")
    )
    for year, month, count, people in by_month_rows:
        by_month[f"{year:04d}-{month:02d}"] = (count, people or 0)

    language_counts = dict(
        StartpuntSession.languages.through.objects.filter(startpuntsession__in=sessions)
        .values("language_id")
        .annotate(n=Count("startpuntsession_id"))
        .values_list("language_id", "n")
    )
    topic_counts = dict(
        StartpuntSession.topics.through.objects.filter(startpuntsession__in=sessions)
        .values("topic_id")
        .annotate(n=Count("startpuntsession_id"))
        .values_list("topic_id", "n")
    )
    languages = {lang.pk: lang for lang in Language.objects.filter(pk__in=language_counts)}
    topics = {t.pk: t for t in Topic.objects.filter(pk__in=topic_counts)}

    def rows(counts, entries):
        result = [
            Row(getattr(entries[k], "code", k), str(entries[k]), n, not entries[k].is_active)
            for k, n in counts.items()
        ]
        return sorted(result, key=lambda r: (-r.count, r.label))

    return StartpuntFigures(
        sessions=totals["n"],
        people_informed=totals["people"] or 0,
        volunteer_mornings=totals["volunteers"] or 0,
        flyers=totals["flyers"] or 0,
        by_month=by_month,
        languages=rows(language_counts, languages),
        topics=rows(topic_counts, topics),
    )
