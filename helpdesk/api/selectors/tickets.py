"""Reads of the API over tickets, messages and contacts, always within the caller's queues."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from helpdesk.models import Contact, Message, Queue, Ticket, Topic
from helpdesk.selectors.access import queue_ids_for, tickets_visible_to

TICKET_RELATED = (
    "queue",
    "language",
    "requester_type",
    "assignee",
    "outcome",
    "referral",
    "merged_into",
    "related_to",
)


def tickets_by_ids(ids: list[int]) -> list[Ticket]:
    """The tickets of a page, in the page's order, with what the API shows (3 queries)."""
    rows = (
        Ticket.objects.filter(pk__in=ids)
        .select_related(*TICKET_RELATED)
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.only("id", "code")))
        .in_bulk()
    )
    return [rows[pk] for pk in ids]


def ticket_messages(ticket: Ticket) -> QuerySet[Message]:
    return Message.objects.filter(ticket=ticket)


def messages_by_ids(ids: list[int]) -> list[Message]:
    rows = (
        Message.objects.filter(pk__in=ids)
        .select_related("author")
        .prefetch_related("attachments")
        .in_bulk()
    )
    return [rows[pk] for pk in ids]


def contacts_visible_to(user) -> QuerySet[Contact]:
    """People who asked or took part in a ticket of the user's queues (staff see no one else)."""
    visible = tickets_visible_to(user)
    return Contact.objects.filter(
        Exists(visible.filter(contact=OuterRef("pk")))
        | Exists(visible.filter(participants=OuterRef("pk")))
    )


def contacts_matching(queryset: QuerySet[Contact], q: str) -> QuerySet[Contact]:
    q = q.strip()
    if not q:
        return queryset
    return queryset.filter(
        Q(name__icontains=q)
        | Q(email__icontains=q)
        | Q(phone__contains=q)
        | Q(organisation__icontains=q)
    )


def contacts_by_ids(ids: list[int]) -> list[Contact]:
    rows = (
        Contact.objects.filter(pk__in=ids)
        .select_related("requester_type", "preferred_language")
        .in_bulk()
    )
    return [rows[pk] for pk in ids]


def queues_visible_to(user) -> QuerySet[Queue]:
    """The queues a person works in; all of them for whoever may view the queue list."""
    queues = Queue.objects.all()
    if not user.has_perm("helpdesk.view_queue"):
        queues = queues.filter(pk__in=queue_ids_for(user))
    return queues.prefetch_related("members").order_by("position", "slug")
