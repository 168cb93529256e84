"""Reads for answering a ticket with the knowledge base: suggestions, inserts, canned responses.

Who may see what: everything here starts from a ticket the user may see (helpdesk.selectors.access)
and articles the user may read (knowledgebase.selectors.access); a staff member of another team
gets nothing for tickets outside their queues.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Q
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from config.languages import is_rtl, language_name
from config.sql import orm_values
from helpdesk.models import (
    ArticleUse,
    CannedResponse,
    Direction,
    InsertMode,
    MissingArticle,
    User,
)
from helpdesk.selectors.access import can_view_ticket
from knowledgebase.models import Article, Visibility
from knowledgebase.rendering import safe_snippet
from knowledgebase.selectors.access import article_for, visibilities_for
from knowledgebase.selectors.search import MAX_QUERY, kb_search
from knowledgebase.sharing import short_url

from .languages import pick_text_language, ticket_kb_language

SUGGESTIONS = 5
SEARCH_RESULTS = 8
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
# Columns an article list needs: titles and summaries, never the bodies of every language.
_BODY_COLUMNS = [f"body_{code}" for code in LANGUAGE_CODES]


def language_info(code: str) -> dict:
    return {"code": code, "name": language_name(code), "rtl": is_rtl(code)}


# --- Suggestions ----------------------------------------------------------------------------------


def suggestion_query(ticket, messages=None) -> str:
    """What the ticket is about, as search words: its subject and the requester's messages.

    The words of the first questions count most (the engine ranks articles matching more of them
    higher); the search interface keeps the first MAX_QUERY characters. `messages`, the ticket's
    messages already loaded (the ticket page's timeline), saves reading them again.
    """
    parts = [ticket.subject or ""]
    if messages is None:
        bodies = (
            ticket.messages.filter(direction=Direction.INBOUND)
            .order_by("created_at", "id")
            .values_list("body", "body_folded_at")[:3]
        )
    else:
        inbound = sorted(
            (m for m in messages if m.direction == Direction.INBOUND),
            key=lambda m: (m.created_at, m.id),
        )
        bodies = [(m.body, m.body_folded_at) for m in inbound[:3]]
    for body, folded_at in bodies:
        parts.append(body[:folded_at] if folded_at else body)
    # Each word once (the subject is often the first line of the first message): fewer words,
    # the same articles, a faster search.
    seen, unique = set(), []
    for word in " ".join(parts).split():
        if word.casefold() not in seen:
            seen.add(word.casefold())
            unique.append(word)
    return " ".join(unique)[:MAX_QUERY]


@dataclass
class Suggestion:
    slug: str
    title: str
    snippet: SafeString
    language: dict  # the text's language (the ticket's, or the fallback)
    visibility: str
    use_count: int = 0
    last_used: datetime | None = None

    @property
    def is_fallback(self) -> bool:
        return self.language["code"] != self.wanted

    wanted: str = ""

    @property
    def can_send_text(self) -> bool:
        """Only public articles go to requesters; internal ones are linked, never sent."""
        return self.visibility == Visibility.PUBLIC


@dataclass
class Panel:
    """The ticket page's knowledge-base panel."""

    language: dict  # the language the ticket is answered in
    query: str  # what the staff member searched for ("" for the automatic suggestions)
    items: list[Suggestion] = field(default_factory=list)
    total: int = 0
    searched: bool = False  # True when `query` came from the search box


def article_panel(*, ticket, user, query: str = "", messages=None) -> Panel:
    """Articles matching the ticket (or `query`), best first, in the ticket's language.

    `messages`: the ticket's messages if the caller has them (see suggestion_query).

    A fixed number of queries whatever the conversation's length and the number of articles:
    one for the ticket's messages (suggestions only), one for the articles' visibility and one
    for how often they were used. Nothing at all for a ticket the user may not see.
    """
    wanted = ticket_kb_language(ticket)
    query = " ".join((query or "").split())[:MAX_QUERY]
    panel = Panel(language=language_info(wanted), query=query, searched=bool(query))
    if not can_view_ticket(user, ticket):
        return panel
    words = query or suggestion_query(ticket, messages)
    results = kb_search(
        user=user,
        query=words,
        language=wanted,
        scope="internal",
        limit=SEARCH_RESULTS if query else SUGGESTIONS,
    )
    panel.total = results.total
    # kb_search kept what the user may read now, with its visibility as the database has it.
    # Drafts are not offered: they cannot be used in an answer.
    hits = [hit for hit in results.hits if hit.visibility != Visibility.DRAFT]
    if not hits:
        return panel
    usage = article_usage([hit.slug for hit in hits])
    for hit in hits:
        count, last = usage.get(hit.slug, (0, None))
        panel.items.append(
            Suggestion(
                slug=hit.slug,
                title=hit.title,
                snippet=safe_snippet(hit.snippet),
                language=language_info(hit.language),
                visibility=hit.visibility,
                use_count=count,
                last_used=last,
                wanted=wanted,
            )
        )
    if results.total <= len(results.hits):
        panel.total = len(panel.items)  # every hit was seen: count what is shown
    return panel


def article_usage(slugs) -> dict[str, tuple[int, datetime]]:
    """How often and how recently each article was used in an answer (one statement).

    The knowledge-base card of every ticket page asks for its five suggestions. The ORM's
    grouped query cost five times its running (0.52 against 0.10 ms of CPU), so it is written
    here; the time goes through the database's own converters, as the ORM's would.
    """
    slugs = list(slugs)
    if not slugs:
        return {}
    meta = ArticleUse._meta
    q = connection.ops.quote_name
    slug, at = (q(meta.get_field(f).column) for f in ("article_slug", "at"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {slug}, COUNT(*), MAX({at}) FROM {q(meta.db_table)}"  # noqa: S608 (model table)
            f" WHERE {slug} IN ({', '.join(['%s'] * len(slugs))}) GROUP BY {slug}",
            slugs,
        )
        rows = cursor.fetchall()
    return {slug: (count, orm_values(ArticleUse, ["at"], [last])[0]) for slug, count, last in rows}


# --- Inserting an article or a canned response ---------------------------------------------------


@dataclass
class Insertion:
    """A text to put into the answer, in the ticket's language or its fallback."""

    text: str
    language: str  # the language of the text
    wanted: str  # the ticket's language
    title: str = ""
    slug: str = ""  # the article inserted ("" for a canned response)

    @property
    def is_fallback(self) -> bool:
        return self.language != self.wanted

    @property
    def warning(self) -> str:
        if not self.is_fallback:
            return ""
        return _(
            "“%(title)s” does not exist in %(wanted)s: the %(language)s text will be sent. "
            "Check that the requester reads it, or translate it before sending."
        ) % {
            "title": self.title,
            "wanted": language_name(self.wanted),
            "language": language_name(self.language),
        }


def article_insertion(*, ticket, user, slug: str, mode: str) -> Insertion:
    """The text that "Insert" puts into the answer: title, summary and short link, or the full
    text (with the link), in the ticket's language or the fallback. `mode="link"` inserts no text
    and only links the article to the answer.

    404 for an article the user may not read; PermissionDenied for a ticket they may not see;
    ValidationError for the text of an article that is not public (it never goes to a requester).
    """
    if not can_view_ticket(user, ticket):
        raise PermissionDenied
    if mode not in InsertMode.values:
        raise ValidationError(_("Choose how to insert the article."))
    article = article_for(user, slug)
    wanted = ticket_kb_language(ticket)
    language = pick_text_language(article.languages(), wanted) or article.source_language
    text = article.text(language)
    insertion = Insertion(
        text="", language=language, wanted=wanted, title=text["title"], slug=article.slug
    )
    if mode == InsertMode.LINK:
        return insertion
    if article.visibility == Visibility.DRAFT:
        raise ValidationError(_("A draft cannot be used in an answer."))
    if article.visibility != Visibility.PUBLIC:
        raise ValidationError(
            _("Internal articles are for staff: link it to the answer, but do not send its text.")
        )
    link = short_url(article.code, language)
    if mode == InsertMode.SUMMARY:
        parts = [text["title"], text["summary"], link]
    else:
        parts = [text["title"], text["body"], link]
    insertion.text = "\n\n".join(part.strip() for part in parts if part and part.strip())
    return insertion


def canned_responses_for(ticket):
    """The active canned responses of the ticket's queue and of every queue."""
    return CannedResponse.objects.filter(
        Q(queue_id=ticket.queue_id) | Q(queue__isnull=True), is_active=True
    ).order_by("position", "shortcut", "-queue_id")


PLACEHOLDER = re.compile(r"\{(name|reference|queue)\}")


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """Replace {name}, {reference} and {queue}, nothing else, in one pass (a value that contains
    braces is never expanded again; no attribute or index lookups as with str.format)."""
    filled = PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), text)
    # "Dear {name}," without a name: no stray space before punctuation.
    return re.sub(r"[ \t]+([,.;:!?،])", r"\1", filled)


def canned_insertion(*, ticket, user, shortcut: str) -> Insertion:
    """A canned response of the ticket's queue, in the ticket's language (or the fallback), with
    its placeholders filled in."""
    if not can_view_ticket(user, ticket):
        raise PermissionDenied
    canned = canned_responses_for(ticket).filter(shortcut=shortcut).first()
    if canned is None:
        raise ValidationError(
            _("There is no canned response “%(shortcut)s” in this queue.") % {"shortcut": shortcut}
        )
    wanted = ticket_kb_language(ticket)
    available = [code for code in LANGUAGE_CODES if getattr(canned, f"body_{code}", "")]
    language = pick_text_language(available, wanted) or settings.LANGUAGE_CODE
    with translation.override(language):
        queue_name = str(ticket.queue)  # modeltranslation reads the active language
    contact = ticket.contact
    values = {
        "name": (contact.name if contact else "") or "",
        "reference": ticket.reference,
        "queue": queue_name,
    }
    body = getattr(canned, f"body_{language}", "") or ""
    title = getattr(canned, f"name_{language}", "") or canned.shortcut
    return Insertion(
        text=fill_placeholders(body, values), language=language, wanted=wanted, title=title
    )


# --- What answered the ticket ---------------------------------------------------------------------


@dataclass
class UsedArticle:
    use: ArticleUse
    title: str
    language: dict


def ticket_article_uses(
    ticket, *, reader_language: str, any_uses: bool = True
) -> list[UsedArticle]:
    """The articles linked to the ticket's answers, oldest first.

    One plain query, since most tickets have none (none at all when the caller knows there
    are none: `any_uses`, from selectors.parts.ticket_parts); for a ticket that has some, one
    more for the articles' titles (never their bodies) and one for the people's names. Joining
    both into the first query cost every ticket page four times a plain query.
    """
    if not any_uses:
        return []
    uses = sorted(ArticleUse.objects.filter(ticket=ticket).order_by(), key=lambda u: (u.at, u.pk))
    if not uses:
        return []
    articles = {
        a.pk: a
        for a in Article.objects.filter(pk__in={u.article_id for u in uses if u.article_id}).only(
            "slug", *(f"title_{code}" for code in LANGUAGE_CODES)
        )
    }
    people = {
        p.pk: p
        for p in User.objects.filter(pk__in={u.user_id for u in uses if u.user_id}).only(
            "username", "first_name", "last_name"
        )
    }
    out = []
    for use in uses:
        use.article = articles.get(use.article_id)  # what select_related would have put there
        use.user = people.get(use.user_id)
        title = use.article_slug
        if use.article is not None:
            code = pick_text_language(use.article.languages(), reader_language)
            title = getattr(use.article, f"title_{code}", "") if code else use.article_slug
        out.append(UsedArticle(use=use, title=title, language=language_info(use.language)))
    return out


def missing_article_for(ticket, *, any_mark: bool = True) -> MissingArticle | None:
    """The ticket's place on the backlog, if any, with who marked it. `any_mark=False` (the
    ticket page's parts say it has none, selectors.parts) answers without a query."""
    if not any_mark:
        return None
    return MissingArticle.objects.filter(ticket=ticket).select_related("marked_by").first()


def attached_articles(*, ticket, user, slugs) -> list[Insertion]:
    """The articles the composer holds (by slug), each with the language it is sent in and the
    fallback warning where that is not the ticket's language (one query)."""
    slugs = list(dict.fromkeys(s for s in slugs if s))
    if not slugs or not can_view_ticket(user, ticket):
        return []
    wanted = ticket_kb_language(ticket)
    articles = {
        a.slug: a
        for a in Article.objects.filter(slug__in=slugs, visibility__in=visibilities_for(user))
        .exclude(visibility=Visibility.DRAFT)
        .defer(*_BODY_COLUMNS)
    }
    out = []
    for slug in slugs:
        article = articles.get(slug)
        if article is None:
            continue
        language = pick_text_language(article.languages(), wanted) or article.source_language
        out.append(
            Insertion(
                text="",
                language=language,
                wanted=wanted,
                title=getattr(article, f"title_{language}", "") or slug,
                slug=slug,
            )
        )
    return out
