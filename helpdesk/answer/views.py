"""The ticket page's knowledge-base panel and composer tools, and the backlog and gap pages.

Everything works without JavaScript: the search box is a GET form on the ticket page, and the
"Insert" buttons submit the answer form to `answer_compose`, which shows the page again with the
text added (what was typed stays). With JavaScript (static/js/answer.js) the same endpoints answer
in JSON and the text goes in at the cursor; htmx swaps the panel when searching.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from helpdesk.forms import ReplyForm
from helpdesk.privacy.audit import AuditAction, audit_record
from helpdesk.selectors.access import ticket_for
from helpdesk.selectors.lists import canned_responses, coded_lists
from helpdesk.selectors.parts import EVERY_PART
from helpdesk.stats.forms import StatsFilterForm
from helpdesk.stats.sections import Scope
from helpdesk.views.decorators import is_htmx, ticket_worker_required
from knowledgebase.selectors.access import can_edit
from knowledgebase.services.search import search_record

from . import reports, selectors, services


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def panel_context(request, ticket, reply_form, lists=None, messages=None, parts=EVERY_PART) -> dict:
    """What the ticket page shows of the knowledge base (tickets.py's page calls this, with the
    timeline's `messages` and the ticket's `parts`, selectors.parts.ticket_parts)."""
    query = request.GET.get("kbq", "")
    panel = selectors.article_panel(
        ticket=ticket, user=request.user, query=query, messages=messages
    )
    if panel.searched:
        _log_search(panel)
    if reply_form.is_bound:
        slugs = reply_form.data.getlist("articles")
    else:
        slugs = reply_form.initial.get("articles", [])
    return {
        "kb_panel": panel,
        "kb_attached": selectors.attached_articles(ticket=ticket, user=request.user, slugs=slugs),
        "kb_used": selectors.ticket_article_uses(
            ticket,
            reader_language=request.LANGUAGE_CODE,
            any_uses="article_uses" in parts,
        ),
        "kb_missing": selectors.missing_article_for(ticket, any_mark="missing_article" in parts),
        "canned_responses": canned_responses(lists or coded_lists(), ticket.queue_id),
    }


def _log_search(panel) -> None:
    """A search typed on the ticket page counts like one on the knowledge base's own page, so a
    search that found nothing shows up on the backlog (what it found, never which ticket)."""
    from knowledgebase.search import Results

    search_record(
        query=panel.query,
        language=panel.language["code"],
        scope="internal",
        source="page",
        results=Results(hits=[], total=panel.total),
    )


@require_GET
@ticket_worker_required
def answer_panel(request, reference):
    """The panel alone (htmx swaps it in); without htmx, the ticket page with the search."""
    ticket = ticket_for(request.user, reference)
    if not is_htmx(request):
        url = redirect("helpdesk:ticket", reference=ticket.reference).url
        query = request.GET.get("kbq", "")
        return redirect(f"{url}?{request.GET.urlencode()}" if query else url)
    panel = selectors.article_panel(
        ticket=ticket, user=request.user, query=request.GET.get("kbq", "")
    )
    if panel.searched:
        _log_search(panel)
    return render(request, "helpdesk/answer/_panel.html", {"ticket": ticket, "kb_panel": panel})


@require_POST
@ticket_worker_required
def answer_compose(request, reference):
    """Add an article or a canned response to the answer being written.

    The answer form's own fields come along (what was typed, the articles already in it); the
    page is shown again with the text added and, where the article lacks the ticket's language,
    the warning that the fallback language will be sent. JSON for the script.
    """
    ticket = ticket_for(request.user, reference)
    try:
        insertion = _insertion(request, ticket)
    except ValidationError as error:
        if _wants_json(request):
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        for text in error.messages:
            messages.error(request, text)
        return _page_with(request, ticket, body=request.POST.get("body", ""))
    if _wants_json(request):
        return JsonResponse(
            {
                "text": insertion.text,
                "slug": insertion.slug,
                "title": insertion.title,
                "language": insertion.language,
                "warning": insertion.warning,
            }
        )
    body = request.POST.get("body", "").rstrip()
    if insertion.text:
        body = f"{body}\n\n{insertion.text}" if body else insertion.text
    slugs = request.POST.getlist("articles")
    if insertion.slug and insertion.slug not in slugs:
        slugs.append(insertion.slug)
    return _page_with(request, ticket, body=body, articles=slugs)


def _page_with(request, ticket, *, body: str, articles=None):
    """The ticket page again, with the answer as it now is (a view of the ticket: audited)."""
    from helpdesk.views.tickets import _page

    audit_record(actor=request.user, action=AuditAction.TICKET_VIEW, target=ticket)
    initial = {"body": body, "articles": articles or request.POST.getlist("articles")}
    for name in ("send_by", "status"):
        if request.POST.get(name) is not None:
            initial[name] = request.POST[name]
    return _page(request, ticket, reply_form=ReplyForm(ticket=ticket, initial=initial), status=200)


@require_POST
@ticket_worker_required
def missing_article(request, reference):
    """Mark (or unmark) "no article answers this"."""
    ticket = ticket_for(request.user, reference)
    if request.POST.get("action") == "unmark":
        services.missing_article_unmark(ticket=ticket, actor=request.user)
        messages.success(request, _("The ticket is off the knowledge base's backlog."))
    else:
        services.missing_article_mark(ticket=ticket, actor=request.user)
        messages.success(
            request,
            _("Noted: the ticket is on the knowledge base's backlog for its topic and language."),
        )
    return redirect("helpdesk:ticket", reference=ticket.reference)


def _insertion(request, ticket) -> selectors.Insertion:
    """What the pressed button asks for: insert="<slug>:<mode>", or use_canned with the shortcut
    chosen in the canned-response picker (canned="<shortcut>")."""
    if "use_canned" in request.POST:
        canned = request.POST.get("canned", "").strip()
        if not canned:
            raise ValidationError(_("Choose a canned response first."))
        return selectors.canned_insertion(ticket=ticket, user=request.user, shortcut=canned)
    slug, _sep, mode = request.POST.get("insert", "").partition(":")
    if not slug:
        raise ValidationError(_("Choose an article or a canned response to insert."))
    return selectors.article_insertion(ticket=ticket, user=request.user, slug=slug, mode=mode)


def _backlog_reader(user) -> bool:
    return can_edit(user) or (
        user.is_authenticated and user.has_perm("knowledgebase.view_searchlog_report")
    )


@require_GET
@login_required
def backlog(request):
    """For the knowledge base's editors: questions no article answers, by topic and language,
    next to the searches that found nothing."""
    if not _backlog_reader(request.user):
        raise PermissionDenied
    return render(
        request,
        "helpdesk/answer/backlog.html",
        {"backlog": reports.kb_backlog(user=request.user)},
    )


@require_GET
@login_required
def gap_report(request):
    """For coordinators: what to write and translate next. Counts only, no ticket, no person."""
    if not request.user.has_perm("helpdesk.view_statistics"):
        raise PermissionDenied
    form = StatsFilterForm(request.GET or None)
    report = scope = None
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        if not request.GET:
            form = StatsFilterForm({"period": "last_12_months"})
            form.is_valid()
            data = form.cleaned_data
        scope = Scope(period=data["period_obj"], queue=data.get("queue"))
        report = reports.content_gaps(scope=scope, reader_language=request.LANGUAGE_CODE)
    return render(
        request,
        "helpdesk/answer/gaps.html",
        {"form": form, "report": report, "scope": scope},
        status=200 if report is not None else 400,
    )
