from dataclasses import dataclass

from django.db.models import Count

from helpdesk.models import TicketTopic, Topic

from ..sections import Scope
from .tickets import Row, shared_ticket_figures


@dataclass
class PolicySignals:
    total: int
    by_month: dict[str, int]
    topics: list[Row]


def policy_signals(scope: Scope) -> PolicySignals:
    """Tickets flagged as a policy signal, created in the period: by month and by topic.

    Counts only: what a signal was about is told by its topics, never by its text, so the page
    stays free of ticket data.
    """
    by_month = shared_ticket_figures(scope).policy_by_month  # counted in the ticket figures' pass
    filters = {
        **scope.created_in("ticket__created_at"),
        "ticket__merged_into__isnull": True,
        "ticket__policy_signal": True,
    }
    if scope.queue is not None:
        filters["ticket__queue"] = scope.queue
    topic_counts = dict(
        TicketTopic.objects.filter(**filters)
        .values("topic_id")
        .annotate(n=Count("ticket_id"))
        .values_list("topic_id", "n")
    )
    topics = {t.pk: t for t in Topic.objects.filter(pk__in=topic_counts)}
    rows = [
        Row(topics[pk].code, str(topics[pk]), count, not topics[pk].is_active)
        for pk, count in topic_counts.items()
    ]
    rows.sort(key=lambda r: (-r.count, r.label))
    return PolicySignals(total=sum(by_month.values()), by_month=by_month, topics=rows)
