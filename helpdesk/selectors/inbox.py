"""The staff inbox: filters that live in the URL, search, sorting."""

import re
from dataclasses import dataclass, field
from operator import itemgetter

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet

from helpdesk.models import Contact, Message, Ticket, TicketTopic, Topic
from helpdesk.services.contacts import normalise_phone

from .access import attach_listed, listed, tickets_visible_to

SORTS = {
    "-updated": ("-updated_at", "-id"),
    "updated": ("updated_at", "id"),
    "-created": ("-created_at", "-id"),
    "created": ("created_at", "id"),
    "-priority": ("-priority", "-updated_at", "-id"),
    "reference": ("reference",),
}
DEFAULT_SORT = "-updated"
# A search counts its matches up to here and then says "1,000+" (see _searched_ids).
SEARCH_COUNT = 1000
# How deep a search's pages go: "?page=<30 digits>" made a LIMIT no database takes, and three
# parts of this many rows stay under SQLite's 32,766 parameters when sorted by reference.
SEARCH_ROWS = 5000
REFERENCE_RE = re.compile(r"^[A-Za-z]{0,4}-?\d{4}-\d{1,6}$|^\d{4,6}$")
PHONE_RE = re.compile(r"^\+?[\d\s()./-]{6,}$")


@dataclass
class InboxFilters:
    queues: list[int] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    assignee: str = ""  # "", "me", "none" or a user id
    channels: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    topics: list[int] = field(default_factory=list)
    requester_types: list[int] = field(default_factory=list)
    q: str = ""
    sort: str = DEFAULT_SORT


def _search_arms(queryset: QuerySet[Ticket], q: str) -> list[QuerySet[Ticket]]:
    """The search as querysets whose union is the tickets found: one for a reference or a phone
    number, three for free text (the ticket's own columns, its contact's, its messages')."""
    if REFERENCE_RE.match(q):
        return [queryset.filter(Q(reference__iendswith=q) | Q(reference__iexact=q))]
    if PHONE_RE.match(q):
        try:
            return [queryset.filter(contact__phone=normalise_phone(q))]
        except ValidationError:
            pass
    contacts = Contact.objects.filter(
        Q(name__icontains=q) | Q(email__icontains=q) | Q(organisation__icontains=q)
    )
    in_messages = Message.objects.filter(ticket=OuterRef("pk"), body__icontains=q)
    return [
        queryset.filter(Q(subject__icontains=q) | Q(reference__icontains=q)),
        # The explicit IS NOT NULL lets PostgreSQL see that tickets without a contact (most of
        # them, when they came by phone) cannot match, rather than walk them all.
        queryset.filter(contact__isnull=False, contact__in=contacts),
        queryset.filter(Exists(in_messages)),
    ]


def _search(queryset: QuerySet[Ticket], q: str) -> QuerySet[Ticket]:
    q = q.strip()
    if not q:
        return queryset
    arms = _search_arms(queryset, q)
    found = arms[0]
    for arm in arms[1:]:
        found = found | arm
    return found


def _filtered(*, user, filters: InboxFilters) -> QuerySet[Ticket]:
    """The tickets `user` may see that match `filters`, before the search."""
    tickets = tickets_visible_to(user)
    if filters.queues:
        tickets = tickets.filter(queue_id__in=filters.queues)
    if filters.statuses:
        tickets = tickets.filter(status__in=filters.statuses)
    if filters.assignee == "me":
        tickets = tickets.filter(assignee=user)
    elif filters.assignee == "none":
        tickets = tickets.filter(assignee__isnull=True)
    elif filters.assignee:
        tickets = tickets.filter(assignee_id=filters.assignee)
    if filters.channels:
        tickets = tickets.filter(channel__in=filters.channels)
    if filters.languages:
        tickets = tickets.filter(language_id__in=filters.languages)
    if filters.requester_types:
        tickets = tickets.filter(requester_type_id__in=filters.requester_types)
    if filters.topics:
        tickets = tickets.filter(
            Exists(TicketTopic.objects.filter(ticket=OuterRef("pk"), topic_id__in=filters.topics))
        )
    return tickets


def inbox_tickets(*, user, filters: InboxFilters) -> QuerySet[Ticket]:
    """The tickets `user` may see that match `filters`, with what a row shows joined in (the
    API's list; the inbox reads only their ids here and its rows in `inbox_rows`)."""
    tickets = _search(_filtered(user=user, filters=filters), filters.q)
    return (
        tickets.select_related("queue", "contact", "assignee", "language", "requester_type")
        .prefetch_related("topics")
        .order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))
    )


def inbox_page(*, user, filters: InboxFilters, number, per_page: int, lists) -> Page:
    """One page of the inbox, in two steps that stay fast at a million tickets.

    Sorting the matching rows joined to contacts, queues and users makes the database join every
    match before it can sort (1.1 s at 100,000 tickets on SQLite). The ids of the page come from
    the ticket table's own indexes instead (50 ms), and only those rows are then loaded
    (`inbox_rows`).

    A search counts no further than it needs (see `_searched_page`); the filters count exactly.
    """
    if filters.q.strip():
        page = _searched_page(_filtered(user=user, filters=filters), filters, number, per_page)
    else:
        ids = inbox_tickets(user=user, filters=filters).values_list("pk", flat=True)
        page = Paginator(ids, per_page).get_page(number)
    page.object_list = inbox_rows(list(page.object_list), lists)
    return page


def inbox_rows(ids: list[int], lists) -> list[Ticket]:
    """The tickets `ids` in that order, with what a row of the inbox shows.

    Contact and assignee are joined. The queue, language, requester type and topics come from
    the cached coded lists (`lists`, selectors/lists.py), as on the ticket page: joined, they
    were three translated tables with a name column per language, and the topics a prefetch
    whose related manager modeltranslation rebuilds a class for on every row. Each ticket's
    topics are in `listed_topics`, in the topics' own order.
    """
    rows = Ticket.objects.filter(pk__in=ids).select_related("contact", "assignee").in_bulk()
    tickets = [rows[pk] for pk in ids]
    attach_listed(tickets, lists)
    pairs = list(TicketTopic.objects.filter(ticket_id__in=ids).values_list("ticket_id", "topic_id"))
    topics = listed(Topic, (topic_id for _ticket_id, topic_id in pairs), lists)
    for ticket in tickets:
        ticket.listed_topics = []
    for ticket_id, topic_id in pairs:
        if topic_id in topics:  # not if it was deleted since the pairs were read
            rows[ticket_id].listed_topics.append(topics[topic_id])
    # The lists' order is the database's (its collation for the codes); a topic added since
    # they were read goes by position, after those of its position that are listed.
    place = {entry.value: i for i, entry in enumerate(lists.entries(Topic))}
    for ticket in tickets:
        ticket.listed_topics.sort(
            key=lambda t: (t.position, place.get(str(t.pk), len(place)), t.code)
        )
    return tickets


def _searched_page(tickets: QuerySet, filters: InboxFilters, number, per_page: int) -> Page:
    """The page of a search, from at most SEARCH_COUNT matches (or as many as the page asked for
    needs), with the count shown as "1,000+" when there are more.

    Counting every match of a common word means testing every ticket and message (about 3 s
    each time at a million tickets, and the count and the page were two such queries). Each part
    of the search (_search_arms) instead reads its first matches in the inbox's order, which
    the database finds by walking the ticket index for a common word and from the trigram
    indexes for a rare one (migration 0010): as one OR, PostgreSQL hashed every message that
    has the word before it could stop. The first matches of the union are among the parts'
    first matches; Python puts them in the inbox's order (the database, for text).

    `page.more` says the count is a lower bound; `page.paginator.count` is then the number read,
    one more than is shown, so that the next page's link is still there.
    """
    try:
        wanted = min(max(1, int(number)), max(1, SEARCH_ROWS // per_page))
    except (TypeError, ValueError):
        wanted = 1
    limit = max(SEARCH_COUNT, wanted * per_page) + 1
    order = SORTS.get(filters.sort, SORTS[DEFAULT_SORT])
    fields = [name.removeprefix("-") for name in order]
    rows = {}
    for arm in _search_arms(tickets, filters.q.strip()):
        rows.update(
            (row[0], row) for row in arm.order_by(*order).values_list("pk", *fields)[:limit]
        )
    if "reference" in fields:  # text: the database's collation decides, as in the single query
        found = list(
            Ticket.objects.filter(pk__in=rows).order_by(*order).values_list("pk", flat=True)[:limit]
        )
    else:  # dates and numbers sort the same here; one sort per key, the last key first
        ordered = list(rows.values())
        for i in reversed(range(len(order))):
            ordered.sort(key=itemgetter(i + 1), reverse=order[i].startswith("-"))
        found = [row[0] for row in ordered[:limit]]
    page = Paginator(found, per_page).get_page(wanted)
    page.more = len(found) == limit
    page.at_least = limit - 1
    return page
