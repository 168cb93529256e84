from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk.models import Status, Ticket

# (code, label, younger than): the last bucket has no upper bound.
AGES = [
    ("day", _("Less than a day"), timedelta(days=1)),
    ("3days", _("1 to 3 days"), timedelta(days=3)),
    ("week", _("3 to 7 days"), timedelta(days=7)),
    ("2weeks", _("1 to 2 weeks"), timedelta(days=14)),
    ("4weeks", _("2 to 4 weeks"), timedelta(days=28)),
    ("older", _("4 weeks or more"), None),
]


@dataclass
class Backlog:
    total: int
    by_age: list[tuple[str, str, int]]
    by_status: list[tuple[str, str, int]]
    oldest: object


def backlog(queue=None, now=None) -> Backlog:
    """Tickets open now (new, open, waiting), by age since they came in: one query."""
    now = now or timezone.now()
    tickets = Ticket.objects.filter(status__in=Ticket.OPEN_STATUSES, merged_into__isnull=True)
    if queue is not None:
        tickets = tickets.filter(queue=queue)
    aggregates = {"total": Count("id"), "oldest": Min("created_at")}
    lower = None
    for code, _label, younger in AGES:
        condition = Q()
        if younger is not None:
            condition &= Q(created_at__gt=now - younger)
        if lower is not None:
            condition &= Q(created_at__lte=now - lower)
        aggregates[f"age_{code}"] = Count("id", filter=condition)
        lower = younger
    for status in Ticket.OPEN_STATUSES:
        aggregates[f"status_{status}"] = Count("id", filter=Q(status=status))
    result = tickets.order_by().aggregate(**aggregates)
    return Backlog(
        total=result["total"],
        by_age=[(code, str(label), result[f"age_{code}"]) for code, label, _y in AGES],
        by_status=[
            (status, str(Status(status).label), result[f"status_{status}"])
            for status in Ticket.OPEN_STATUSES
        ],
        oldest=result["oldest"],
    )
