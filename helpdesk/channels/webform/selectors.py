"""Reads of the web form: the ticket behind a private link, what the form offers, and the
"answered by the knowledge base" figures the statistics count."""

import re
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from helpdesk.models import Attachment, Language, Queue, RequesterType, Ticket, Topic
from helpdesk.services import clock

from .models import SentForm

# What helpdesk.services.references.new_access_token makes (URL-safe base64 of 32 bytes), with
# room for longer ones. Anything else is refused before it reaches the database.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{32,64}")


def sent_form_ticket_id(form_id) -> tuple[bool, int | None]:
    """Whether the form page `form_id` already sent its question, and the ticket it made."""
    row = SentForm.objects.filter(form_id=form_id).values_list("ticket_id", flat=True)[:1]
    found = list(row)
    return (True, found[0]) if found else (False, None)


def ticket_for_token(token: str) -> Ticket | None:
    """The ticket whose private link carries `token`, or None.

    None as well once the link was revoked (a new token), the ticket's personal data was removed
    (the token is cleared then), or the token is not one we could have issued. The lookup uses
    the unique index; the final comparison is in constant time so that the answer never depends
    on how much of a guess was right.
    """
    if not token or not TOKEN_SHAPE.fullmatch(token):
        return None
    ticket = (
        Ticket.objects.select_related("queue", "language", "merged_into")
        .filter(access_token=token, pseudonymised_at__isnull=True)
        .first()
    )
    if ticket is None or not constant_time_compare(ticket.access_token or "", token):
        return None
    return ticket


def private_attachment(ticket: Ticket, pk: int) -> Attachment | None:
    """An attachment the requester may download: on a public message of their own ticket."""
    return (
        Attachment.objects.filter(pk=pk, message__ticket=ticket)
        .exclude(message__direction="note")
        .first()
    )


def public_queues() -> QuerySet[Queue]:
    """The queues the form offers: WEBFORM_QUEUES (slugs) or every active one."""
    queues = Queue.objects.filter(is_active=True)
    if settings.WEBFORM_QUEUES:
        queues = queues.filter(slug__in=settings.WEBFORM_QUEUES)
    return queues.order_by("position", "slug")


def default_queue(queues: QuerySet[Queue]) -> Queue | None:
    return (
        queues.filter(slug=settings.WEBFORM_DEFAULT_QUEUE).first()
        or queues.first()
        or Queue.objects.filter(slug=settings.WEBFORM_DEFAULT_QUEUE, is_active=True).first()
    )


def question_topics() -> QuerySet[Topic]:
    # Not "silent call" or "wrong number": those describe calls, not questions.
    return Topic.objects.active().filter(is_question=True)


def requester_types() -> QuerySet[RequesterType]:
    return RequesterType.objects.active()


def answer_languages() -> QuerySet[Language]:
    return Language.objects.active()


def language_for_interface(code: str) -> Language | None:
    """The language a reader of the site in `code` most likely wants the answer in."""
    languages = list(Language.objects.active().filter(code=code)) or list(
        Language.objects.active().filter(interface_language=code).order_by("position")[:1]
    )
    return languages[0] if languages else None


def settled_before() -> date:
    """Visits of days before this one can no longer send their question (the form page expired)."""
    expiry = timedelta(hours=settings.WEBFORM_FORM_MAX_AGE_HOURS)
    return timezone.localdate(clock.now() - expiry)


def kb_deflections(*, start: date, end: date) -> QuerySet:
    """Form visits "answered by the knowledge base", per day and language of the form.

    A visit counts when it opened at least one suggested article and sent no question. Only days
    whose visits are settled count (a form page stays valid WEBFORM_FORM_MAX_AGE_HOURS): later days
    would still change. In SQL, for the statistics and the annual report:

        SELECT day, language, COUNT(*) AS answered_by_kb
        FROM webform_suggestionvisit
        WHERE NOT submitted AND day BETWEEN :start AND :end AND day < :settled_before
        GROUP BY day, language ORDER BY day, language;

    Rows: {"day": date, "language": "ar", "answered_by_kb": 3}. Which articles answered them:
    join webform_suggestionopen on visit_id.
    """
    from .models import SuggestionVisit

    end = min(end, settled_before() - timedelta(days=1))
    return (
        SuggestionVisit.objects.filter(submitted=False, day__gte=start, day__lte=end)
        .values("day", "language")
        .annotate(answered_by_kb=Count("id"))
        .order_by("day", "language")
    )
