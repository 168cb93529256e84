"""The translated lists of the ticket page's forms (queues, topics, requester types, languages,
outcomes, referral organisations), kept in memory per language and list version.

Building them from the database on every request was about a quarter of the ticket page's CPU
time (docs/benchmarks.md): six querysets whose rows are model instances with a name column per
site language. The lists change a few times a year, so each process keeps the labels it built,
under the version token of ListVersion (changed by every save, delete and bulk write of an
entry); a request reads only the tokens, in one small query, and never sees a list older than
the database's. The queues' assignees (active members by name) are kept the same way under a
second token, ListVersion.STAFF, which users and queue memberships change (models/queue.py).
"""

import copy
from dataclasses import dataclass
from threading import Lock

from django.db import connection
from django.db.models import QuerySet
from django.utils.html import conditional_escape
from django.utils.translation import get_language

from helpdesk.models import (
    CannedResponse,
    Language,
    ListVersion,
    Outcome,
    Queue,
    ReferralOrganisation,
    RequesterType,
    Ticket,
    Topic,
    User,
)

LIST_MODELS = (Queue, Topic, RequesterType, Language, Outcome, ReferralOrganisation)

# Enough for every site language of the current version, one assignee list per queue, and a
# few versions being replaced (when full, everything is dropped and rebuilt as it is asked for).
_MAX_ENTRIES = 200
_cache: dict[tuple, tuple["Entry", ...]] = {}
_instances: dict[tuple, dict] = {}  # the entries themselves (all languages), per version
_lock = Lock()


@dataclass(frozen=True, slots=True)
class Entry:
    value: str  # the primary key, as a form posts it back
    label: str  # str(entry) in the language it was built for, already escaped for HTML
    is_active: bool


class CodedLists:
    """The lists as of one version token (None: no token, so nothing is kept between requests),
    and the queues' assignees as of the staff token (ListVersion.STAFF)."""

    def __init__(self, token: str | None, staff_token: str | None = None):
        self.token = token
        self.staff_token = staff_token

    def entries(self, model) -> tuple[Entry, ...]:
        """Every entry of `model`, retired ones too, in the model's order, labelled in the active
        language."""
        if model not in LIST_MODELS:
            raise ValueError(f"{model.__name__} is not a cached list")
        key = (get_language(), model._meta.label)
        return _kept(_cache, self.token, key, lambda: _load(model))

    def instance(self, model, pk):
        """A copy of the entry `pk` of `model` as loaded for this version, or None if it is not
        there (then the caller loads it as usual). A copy, so that nothing a request does to it
        reaches the next request."""
        if self.token is None or model not in LIST_MODELS:
            return None
        by_pk = _kept(
            _instances,
            self.token,
            (None, model._meta.label),
            lambda: {obj.pk: obj for obj in model._default_manager.all()},
        )
        obj = by_pk.get(pk)
        return copy.copy(obj) if obj is not None else None

    def assignees(self, queue_id: int) -> list[tuple[str, str]]:
        """The queue's assignees (`queue_assignees`) as (id, escaped name) choices."""
        found = _kept(
            _cache,
            self.staff_token,
            (None, f"assignees:{queue_id}"),
            lambda: tuple(
                (str(user.pk), conditional_escape(str(user))) for user in queue_assignees(queue_id)
            ),
        )
        return list(found)

    def people(self, user_ids) -> dict[int, str]:
        """How the users `user_ids` are shown (str(user): full name or username), by id, from
        the names of every user kept under the staff token (user saves change it); one query
        for any not kept (made since the token was read)."""
        wanted = {pk for pk in user_ids if pk is not None}
        if not wanted:
            return {}
        names = (
            _kept(
                _cache,
                self.staff_token,
                (None, "people"),
                lambda: {
                    user.pk: str(user)
                    for user in User.objects.only("first_name", "last_name", "username")
                },
            )
            if self.staff_token is not None  # else not every user for each page: those asked
            else {}
        )
        found = {pk: names[pk] for pk in wanted if pk in names}
        if len(found) < len(wanted):
            missing = User.objects.filter(pk__in=wanted - found.keys())
            found.update((user.pk, str(user)) for user in missing)
        return found

    def choices(self, model, *, empty_label=None, keep=()) -> list[tuple[str, str]]:
        """The active entries and those in `keep` (the ticket's current ones, even if retired),
        as the (value, label) choices a ModelChoiceField of `model` would render."""
        keep = {str(pk) for pk in keep if pk is not None}
        choices = [("", empty_label)] if empty_label is not None else []
        choices += [
            (e.value, e.label) for e in self.entries(model) if e.is_active or e.value in keep
        ]
        return choices


@dataclass(frozen=True, slots=True)
class Canned:
    shortcut: str
    name: str  # in the language it was built for
    queue_id: int | None


def canned_responses(lists: CodedLists, queue_id: int) -> list[Canned]:
    """The active canned responses of the queue and of every queue, in the order of
    answer.selectors.canned_responses_for (the database's, NULLs included), for the picker."""
    entries = _kept(
        _cache,
        lists.token,
        (get_language(), "canned"),
        lambda: tuple(
            Canned(shortcut=c.shortcut, name=str(c.name), queue_id=c.queue_id)
            for c in CannedResponse.objects.filter(is_active=True).order_by(
                "position", "shortcut", "-queue_id"
            )
        ),
    )
    return [c for c in entries if c.queue_id is None or c.queue_id == queue_id]


def queue_assignees(queue_id: int) -> QuerySet[User]:
    """Who a ticket of the queue can be assigned to: its active members, by first name then
    username (the assign form's choices and what it accepts)."""
    return User.objects.filter(queues=queue_id, is_active=True).order_by("first_name", "username")


def ticket_topic_ids(ticket) -> list[int]:
    """The ids of the ticket's topics (the classify form's selection), in one statement: the
    ORM's query costs four times its running (0.39 against 0.10 ms of CPU)."""
    meta = Ticket.topics.through._meta
    q = connection.ops.quote_name
    topic, of_ticket = (q(meta.get_field(f).column) for f in ("topic", "ticket"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {topic} FROM {q(meta.db_table)} WHERE {of_ticket} = %s",  # noqa: S608 (model table)
            [ticket.pk],
        )
        return [row[0] for row in cursor.fetchall()]


def _kept(store: dict, token: str | None, key: tuple, build):
    """`build()`, kept in `store` under `token` and `key` for as long as that version lasts;
    built afresh each time when there is no token."""
    if token is None:
        return build()
    full_key = (token, *key)
    found = store.get(full_key)
    if found is None:
        found = build()
        with _lock:
            if len(store) >= _MAX_ENTRIES:
                store.clear()
            store[full_key] = found
    return found


def _load(model) -> tuple[Entry, ...]:
    return tuple(
        Entry(value=str(obj.pk), label=conditional_escape(str(obj)), is_active=obj.is_active)
        for obj in model._default_manager.all()
    )


def coded_lists() -> CodedLists:
    """The lists as they are now: one statement for the version tokens.

    Every ticket page and inbox asks. Building the ORM query for these two rows cost three
    times running it (0.33 against 0.10 ms of CPU, docs/benchmarks.md), so it is written here.
    """
    meta = ListVersion._meta
    q = connection.ops.quote_name
    name, token = (q(meta.get_field(f).column) for f in ("name", "token"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {name}, {token} FROM {q(meta.db_table)} WHERE {name} IN (%s, %s)",  # noqa: S608 (model table)
            [ListVersion.CODED_LISTS, ListVersion.STAFF],
        )
        tokens = dict(cursor.fetchall())
    return CodedLists(tokens.get(ListVersion.CODED_LISTS), tokens.get(ListVersion.STAFF))
