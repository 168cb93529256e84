"""Which of a ticket's optional lists hold anything, asked in one statement.

Most tickets have no attachments, no calls and no articles used, and reading an empty list
through the ORM still costs its query's building: 0.5 to 0.7 ms each on the ticket page, against
0.1 ms for one statement of EXISTS tests. The ticket page asks once (`ticket_parts`) and reads
only the lists that have rows. Apps add their own lists with `register_part` (the phone
channel: its calls).

Only lists that real tickets often lack belong here: every ticket made by the services has at
least its "created" event, so the events are always read.
"""

from dataclasses import dataclass

from django.db import connection

from helpdesk.answer.models import ArticleUse, MissingArticle
from helpdesk.models import Attachment

# name -> (model, path from the model to the ticket)
_PARTS: dict[str, tuple[type, str]] = {}


def register_part(name: str, model, path: str = "ticket") -> None:
    """`name` is part of a ticket when a row of `model` leads to it by `path` ("ticket", or
    "message__ticket" through another table)."""
    _PARTS[name] = (model, path)


register_part("attachments", Attachment, "message__ticket")
register_part("article_uses", ArticleUse)
# The knowledge base's backlog mark: joining it (and who marked) to every ticket page's ticket
# query cost a fifth of that query, for the few tickets that have one.
register_part("missing_article", MissingArticle)


@dataclass(frozen=True, slots=True)
class TicketParts:
    """The ticket's registered lists that have rows; `present` None means not asked (so any
    may have some)."""

    present: frozenset[str] | None = None

    def __contains__(self, name: str) -> bool:
        return self.present is None or name in self.present


EVERY_PART = TicketParts()


def ticket_parts(ticket) -> TicketParts:
    """The registered lists of `ticket` that have at least one row, in one statement."""
    names = list(_PARTS)
    tests = ", ".join(_exists(*_PARTS[name]) for name in names)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {tests}", [ticket.pk] * len(names))
        row = cursor.fetchone()
    return TicketParts(frozenset(name for name, there in zip(names, row, strict=True) if there))


def _exists(model, path: str) -> str:
    # The models' own table and column names, quoted; the ticket's id is the parameter.
    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    return f"EXISTS(SELECT 1 FROM {table} WHERE {_leads_to_ticket(model, path)})"  # noqa: S608


def _leads_to_ticket(model, path: str) -> str:
    q = connection.ops.quote_name
    first, _sep, rest = path.partition("__")
    field = model._meta.get_field(first)
    if not rest:
        return f"{q(field.column)} = %s"
    parent = field.related_model
    return (
        f"{q(field.column)} IN (SELECT {q(parent._meta.pk.column)} FROM"  # noqa: S608
        f" {q(parent._meta.db_table)} WHERE {_leads_to_ticket(parent, rest)})"
    )
