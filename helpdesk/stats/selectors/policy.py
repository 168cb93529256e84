from dataclasses import dataclass

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
    figures = shared_ticket_figures(scope)  # counted in the ticket figures' pass
    by_month = figures.policy_by_month
    return PolicySignals(
        total=sum(by_month.values()), by_month=by_month, topics=figures.policy_topics
    )
