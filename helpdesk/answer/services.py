"""Writes for answering with the knowledge base.

`article_uses_record` is called by helpdesk.services.tickets.ticket_reply (its `articles=`
keyword), inside the reply's transaction: an answer and the articles it used are stored together
or not at all. Marking "no article answers this" puts the ticket on the knowledge base's backlog.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.models import ArticleUse, MissingArticle
from helpdesk.selectors.access import require_ticket_access
from knowledgebase.models import Article, Visibility
from knowledgebase.selectors.access import visibilities_for

from .languages import pick_text_language, ticket_kb_language


def article_uses_record(*, ticket, message, user, articles: Iterable[Article]) -> list[ArticleUse]:
    """Link the articles used in `message` (an answer of `ticket`) to the ticket.

    Each article once per answer, in the language its text is in for this ticket (the ticket's
    language or the fallback). Drafts are refused; so is an article the user may not read. A
    ticket marked "no article answers this" leaves the backlog: an article answered it after all.
    """
    articles = list({article.slug: article for article in articles}.values())
    if not articles:
        return []
    allowed = visibilities_for(user) - {Visibility.DRAFT.value}
    wanted = ticket_kb_language(ticket)
    now = message.created_at or timezone.now()
    uses = []
    for article in articles:
        if article.visibility == Visibility.DRAFT:
            raise ValidationError(
                _("“%(title)s” is a draft and cannot be used in an answer.") % {"title": article}
            )
        if article.visibility not in allowed:
            raise PermissionDenied
        language = pick_text_language(article.languages(), wanted) or article.source_language
        use, _created = ArticleUse.objects.get_or_create(
            message=message,
            article_slug=article.slug,
            defaults={
                "ticket": ticket,
                "article": article,
                "language": language,
                "wanted_language": wanted,
                "user": user,
                "at": now,
            },
        )
        uses.append(use)
    MissingArticle.objects.filter(ticket=ticket, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by_article=articles[0].slug
    )
    return uses


@transaction.atomic
def missing_article_mark(*, ticket, actor) -> MissingArticle:
    """Staff say no article answers this ticket: it goes on the knowledge base's backlog."""
    require_ticket_access(actor, ticket)
    mark, created = MissingArticle.objects.select_for_update().get_or_create(
        ticket=ticket, defaults={"marked_by": actor, "marked_at": timezone.now()}
    )
    if not created and not mark.is_open:
        mark.marked_by = actor
        mark.marked_at = timezone.now()
        mark.resolved_at = None
        mark.resolved_by_article = ""
        mark.save()
    return mark


@transaction.atomic
def missing_article_unmark(*, ticket, actor) -> bool:
    """Take the ticket off the backlog (it was marked by mistake); True when it was on it."""
    require_ticket_access(actor, ticket)
    deleted, _details = MissingArticle.objects.filter(ticket=ticket).delete()
    return bool(deleted)


def answer_merge(*, source, target) -> None:
    """A duplicate folded into `target` (ticket_merge): its article links and its backlog mark
    move with its messages (the target keeps its own mark if it has one)."""
    ArticleUse.objects.filter(ticket=source).update(ticket=target)
    if MissingArticle.objects.filter(ticket=target).exists():
        MissingArticle.objects.filter(ticket=source).delete()
    else:
        MissingArticle.objects.filter(ticket=source).update(ticket=target)
