"""Who may see which tickets: the one place that rule lives.

A person works tickets when they hold helpdesk.view_ticket (info-line staff, legal specialists)
and then only in the queues they are members of. Volunteers and coordinators hold no ticket
permission. Superusers see everything (the Django convention; give it to as few as possible).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from helpdesk.models import Queue, Ticket


def can_work_tickets(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active) and user.has_perm(
        "helpdesk.view_ticket"
    )


def queue_ids_for(user) -> set[int]:
    """Ids of the queues whose tickets `user` may see (cached on the user for the request)."""
    if not can_work_tickets(user):
        return set()
    cached = getattr(user, "_helpdesk_queue_ids", None)
    if cached is None:
        queues = Queue.objects.all() if user.is_superuser else user.queues.all()
        cached = set(queues.values_list("id", flat=True))
        user._helpdesk_queue_ids = cached
    return cached


def queues_for(user) -> QuerySet[Queue]:
    return Queue.objects.filter(id__in=queue_ids_for(user))


def tickets_visible_to(user) -> QuerySet[Ticket]:
    return Ticket.objects.filter(queue_id__in=queue_ids_for(user))


def can_view_ticket(user, ticket: Ticket) -> bool:
    return ticket.queue_id in queue_ids_for(user)


def require_ticket_access(user, ticket: Ticket) -> None:
    if not can_view_ticket(user, ticket):
        raise PermissionDenied


def ticket_for(user, reference: str) -> Ticket:
    """The ticket, if `user` may see it; 404 otherwise (never reveal that it exists)."""
    try:
        return (
            tickets_visible_to(user)
            .select_related(
                "queue",
                "contact",
                "contact__requester_type",
                "language",
                "requester_type",
                "assignee",
                "outcome",
                "referral",
                "merged_into",
                "related_to",
            )
            .get(reference=reference)
        )
    except Ticket.DoesNotExist:
        raise Http404 from None
