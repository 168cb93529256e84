"""Who may see which tickets: the one place that rule lives.

A person works tickets when they hold helpdesk.view_ticket (info-line staff, legal specialists)
and then only in the queues they are members of. Volunteers and coordinators hold no ticket
permission. Superusers see everything (the Django convention; give it to as few as possible).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from helpdesk.models import (
    Language,
    Outcome,
    Queue,
    ReferralOrganisation,
    RequesterType,
    Ticket,
)


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
        if user.is_superuser:
            cached = set(Queue.objects.values_list("id", flat=True))
        else:
            cached = set(_memberships(user).values_list("queue_id", flat=True))
        user._helpdesk_queue_ids = cached
    return cached


def _memberships(user):
    """The membership rows themselves: no join, no ordering, no translated columns."""
    return Queue.members.through.objects.filter(user_id=user.pk)


def _visible_queues(user):
    """queue_ids_for(user), or for a member whose queues were not read yet in this request,
    the same rule as a subquery: a page that reads one ticket then needs no query of its own
    (ticket_for marks the ticket as seen, see can_view_ticket)."""
    read = getattr(user, "_helpdesk_queue_ids", None) is not None
    if read or not can_work_tickets(user) or user.is_superuser:
        return queue_ids_for(user)
    return _memberships(user).values("queue_id")


def queues_for(user) -> QuerySet[Queue]:
    return Queue.objects.filter(id__in=queue_ids_for(user))


def tickets_visible_to(user) -> QuerySet[Ticket]:
    return Ticket.objects.filter(queue_id__in=queue_ids_for(user))


def can_view_ticket(user, ticket: Ticket) -> bool:
    # ticket_for read this ticket through the user's queues, in this request and in the queue
    # it is still in: that is the answer queue_ids_for would give.
    if getattr(ticket, "_visible_to", None) == (user.pk, ticket.queue_id):
        return True
    return ticket.queue_id in queue_ids_for(user)


def require_ticket_access(user, ticket: Ticket) -> None:
    if not can_view_ticket(user, ticket):
        raise PermissionDenied


# The ticket page takes these from the cached lists (selectors/lists.py) instead of joining them.
_LIST_RELATIONS = {
    "queue": Queue,
    "language": Language,
    "requester_type": RequesterType,
    "outcome": Outcome,
    "referral": ReferralOrganisation,
}


def ticket_for(user, reference: str, *, lists=None) -> Ticket:
    """The ticket, if `user` may see it; 404 otherwise (never reveal that it exists).

    With `lists` (a CodedLists), its queue, language, requester type, outcome and referral
    (and the contact's requester type) are copies of the cached entries rather than five more
    joins of translated tables: a tenth of the ticket page's CPU.
    """
    # Not the merged-into and related tickets: two more copies of every ticket column to build
    # for each page, when most tickets have neither (Django loads one when it is set and used).
    # Not the assignee: no page shows it from here (the assign form takes assignee_id, the API
    # reads its tickets again with what it shows), and a user row is a tenth of this query.
    # Not the knowledge base's backlog mark: the ticket page asks whether there is one with
    # its other optional parts (selectors.parts), a fifth of this query for the few that have one.
    related = ["contact"]
    if lists is None:
        related += [*_LIST_RELATIONS, "contact__requester_type"]
    try:
        ticket = (
            Ticket.objects.filter(queue_id__in=_visible_queues(user))
            .select_related(*related)
            .get(reference=reference)
        )
    except Ticket.DoesNotExist:
        raise Http404 from None
    ticket._visible_to = (user.pk, ticket.queue_id)
    if lists is not None:
        _attach(ticket, lists)
    return ticket


def _attach(ticket: Ticket, lists) -> None:
    """Put the cached entries where select_related would have; one that is not cached (created
    since the lists were read) is left for Django to load when it is used."""
    targets = [(ticket, name, model) for name, model in _LIST_RELATIONS.items()]
    if ticket.contact is not None:
        targets.append((ticket.contact, "requester_type", RequesterType))
    for obj, name, model in targets:
        pk = getattr(obj, f"{name}_id")
        if pk is None:
            setattr(obj, name, None)
            continue
        entry = lists.instance(model, pk)
        if entry is not None:
            setattr(obj, name, entry)


def listed(model, pks, lists) -> dict:
    """The entries `pks` of the cached list `model`, one copy of each (rows that share an entry
    share the copy, as with prefetch_related); those not cached yet (created since the lists
    were read, or no lists version at all) are read in one query."""
    found = {pk: lists.instance(model, pk) for pk in set(pks) if pk is not None}
    missing = [pk for pk, obj in found.items() if obj is None]
    if missing:
        found.update(model._default_manager.in_bulk(missing))
    return {pk: obj for pk, obj in found.items() if obj is not None}


def attach_listed(tickets, lists, *, names=("queue", "language", "requester_type")) -> None:
    """For a page of tickets, what ticket_for does for one: the relations `names` taken from the
    cached lists instead of joined (each a translated table with a name column per language)."""
    for name in names:
        attname = f"{name}_id"
        entries = listed(_LIST_RELATIONS[name], (getattr(t, attname) for t in tickets), lists)
        for ticket in tickets:
            pk = getattr(ticket, attname)
            if pk is None:
                setattr(ticket, name, None)
            elif pk in entries:
                setattr(ticket, name, entries[pk])
