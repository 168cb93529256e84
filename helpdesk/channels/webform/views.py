"""The public question form (/<lang>/ask/), its embeddable variant and the confirmation page.

A person who trips a defence keeps what they typed and reads, in their language, what happened
and what to do; the block is counted (per day and reason), never silent.
"""

import re
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.csp import CSP
from django.utils.translation import get_language, get_language_info, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpdesk.models import Channel, Ticket
from helpdesk.privacy.selectors import retention_months
from helpdesk.selectors.links import private_link
from helpdesk.services.attachments import attachment_limits_text

from . import defences, selectors, services
from .defences import HONEYPOT_FIELD
from .forms import QuestionForm
from .models import BlockReason
from .tokens import (
    FormToken,
    TokenError,
    TokenProblem,
    issue_form_token,
    read_form_token,
    read_thanks_token,
    thanks_token,
)

SLUG = re.compile(r"[-\w]{1,200}")
# Earlier visits in the same browser tab (a reload, a change of language) whose suggestions led
# to this question; the script sends their tokens along. Bounded: it only corrects a count.
MAX_EARLIER_VISITS = 5


def frameable_by_partners(view):
    """Let the partner sites in WEBFORM_FRAME_ANCESTORS show this view in an iframe.

    Django's csp_override fixes the policy when the module loads; this reads the setting per
    response, so a changed setting (and a test's override) applies at once.
    """

    @xframe_options_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response._csp_config = {
            **settings.SECURE_CSP,
            "frame-ancestors": [CSP.SELF, *settings.WEBFORM_FRAME_ANCESTORS],
        }
        return response

    return wrapper


def private_headers(response):
    """Pages that show or lead to a private link: never cached, never indexed, never a referrer."""
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _language_links(request) -> list[tuple[str, str, str]]:
    """This page in every public language (code, name in itself, URL), query string kept."""
    path = request.get_full_path()
    return [
        (code, get_language_info(code)["name_local"], translate_url(path, code))
        for code, _name in settings.LANGUAGES
    ]


def _initial(request) -> dict:
    """What the URL pre-selects (?queue=legal-helpdesk&topic=dublin&requester_type=teacher)."""
    queues = selectors.public_queues()
    queue = queues.filter(slug=request.GET.get("queue", "")[:50]).first()
    initial = {
        "queue": queue or selectors.default_queue(queues),
        "language": selectors.language_for_interface(get_language()),
    }
    if topic := selectors.question_topics().filter(code=request.GET.get("topic", "")[:50]).first():
        initial["topic"] = topic
    code = request.GET.get("requester_type", "")[:50]
    if requester_type := selectors.requester_types().filter(code=code).first():
        initial["requester_type"] = requester_type
    return initial


def _render_form(request, form, token: FormToken, *, embed, status=200, problem=""):
    files_lost = request.method == "POST" and bool(request.FILES)
    context = {
        "form": form,
        "form_token": token.encode(),
        "embed": embed,
        "base_template": "webform/embed_base.html" if embed else "public_base.html",
        "language_links": _language_links(request) if embed else [],
        "action": request.get_full_path(),
        "problem": problem,
        "files_lost": files_lost,
        "kb_search_url": settings.WEBFORM_KB_SEARCH_URL,
        "kb_opened_url": reverse("webform:opened"),
        "attachment_limits": attachment_limits_text(),
        "attachment_max_bytes": settings.ATTACHMENT_MAX_BYTES,
        "max_files": settings.WEBFORM_MAX_FILES,
        "retention_months": retention_months(channel=Channel.WEBFORM),
        "privacy_email": settings.WEBFORM_PRIVACY_CONTACT_EMAIL,
        "honeypot_field": form[HONEYPOT_FIELD],
    }
    response = render(request, "webform/ask.html", context, status=status)
    # Every page carries its own visit token: no shared cache may hand one to someone else.
    add_never_cache_headers(response)
    return response


def _blocked(request, form, token, *, embed, reason, problem, status=400):
    services.count_blocked(reason)
    return _render_form(request, form, token, embed=embed, status=status, problem=problem)


def _earlier_visits(request) -> list:
    ids = []
    for value in request.POST.getlist("earlier_visits")[:MAX_EARLIER_VISITS]:
        try:
            ids.append(read_form_token(value).form_id)
        except TokenError:
            continue
    return ids


# What a person reads when a defence stops the form; their question stays in it.
PROBLEMS = {
    BlockReason.EXPIRED: lambda: _(
        "This page was open for a long time, so we could not send your question yet. "
        "Check it and send it again."
    ),
    BlockReason.BAD_TOKEN: lambda: _(
        "Your question could not be sent because the page was incomplete. Check it and send it "
        "again."
    ),
    BlockReason.HONEYPOT: lambda: _(
        "Your browser filled in a field that must stay empty, so we did not send your question. "
        "Check it and send it again."
    ),
    BlockReason.TOO_FAST: lambda: _(
        "That was faster than a person can fill in this form, so we did not send it. Check your "
        "question and send it again."
    ),
}


def _page_token(request) -> tuple[FormToken, BlockReason | None]:
    """The page's token, or a new one and why the old one would not do."""
    value = request.POST.get("form_token")
    try:
        return read_form_token(value), None
    except TokenError as error:
        if error.problem == TokenProblem.EXPIRED:
            # The same visit, served again: its signature was good, only its age was not.
            return read_form_token(value, check_age=False).renewed(), BlockReason.EXPIRED
        return issue_form_token(), BlockReason.BAD_TOKEN


def _rate_limited(request, data) -> tuple[BlockReason, str] | None:
    """Count this submission against its address and its email and phone; say why if too many."""
    per_address = defences.submissions_per_address()
    if not per_address.hit(defences.address_fingerprint(defences.client_address(request))):
        minutes = per_address.retry_after_minutes()
        return BlockReason.ADDRESS_LIMIT, ngettext(
            "Many questions were sent from your connection in the last hour. To protect the "
            "service we accept no more for now: try again in %(minutes)s minute. Your question "
            "is still in the form.",
            "Many questions were sent from your connection in the last hour. To protect the "
            "service we accept no more for now: try again in %(minutes)s minutes. Your question "
            "is still in the form.",
            minutes,
        ) % {"minutes": minutes}
    per_contact = defences.submissions_per_contact()
    for kind in ("email", "phone"):
        if data[kind] and not per_contact.hit(defences.contact_fingerprint(kind, data[kind])):
            minutes = per_contact.retry_after_minutes()
            return BlockReason.CONTACT_LIMIT, ngettext(
                "You have sent us several questions in the last hour. We will answer them: to "
                "add something, reply to our confirmation or use the link in it. You can send a "
                "new question again in %(minutes)s minute.",
                "You have sent us several questions in the last hour. We will answer them: to "
                "add something, reply to our confirmation or use the link in it. You can send a "
                "new question again in %(minutes)s minutes.",
                minutes,
            ) % {"minutes": minutes}
    return None


def _ask(request, *, embed):
    if request.method != "POST":
        form = QuestionForm(initial=_initial(request))
        return _render_form(request, form, issue_form_token(), embed=embed)

    data = request.POST.copy()
    honeypot_filled = bool(data.get(HONEYPOT_FIELD, "").strip())
    data[HONEYPOT_FIELD] = ""  # never sent back: the next try must not trip it again
    form = QuestionForm(data, request.FILES)

    token, reason = _page_token(request)
    if reason is None and honeypot_filled:
        reason = BlockReason.HONEYPOT
    elif reason is None and token.age() < timedelta(seconds=settings.WEBFORM_MIN_FILL_SECONDS):
        reason = BlockReason.TOO_FAST
    if reason is not None:
        return _blocked(
            request, form, token, embed=embed, reason=reason, problem=PROBLEMS[reason]()
        )
    if not form.is_valid():
        return _render_form(request, form, token, embed=embed, status=400)

    # One form page sends one question: a second click, or the page sent again after a slow
    # answer, leads to the first question's confirmation instead of a duplicate ticket. The
    # claim is a unique row in the database (services.question_submit), so it holds across web
    # processes and machines; this first look only spares a re-sent page the rate limits.
    sent, sent_ticket = selectors.sent_form_ticket_id(token.form_id)
    if sent:
        return redirect(_thanks_url(sent_ticket, embed=embed))
    if limited := _rate_limited(request, form.cleaned_data):
        reason, problem = limited
        return _blocked(
            request, form, token, embed=embed, reason=reason, problem=problem, status=429
        )
    data = form.cleaned_data
    try:
        ticket = services.question_submit(
            queue=data["queue"],
            body=data["question"],
            email=data["email"],
            phone=data["phone"],
            name=data["name"],
            organisation=data["organisation"],
            requester_type=data["requester_type"],
            language=data["language"],
            topic=data["topic"],
            attachments=data["attachments"],
            form_ids=[token.form_id, *_earlier_visits(request)],
            sent_form_id=token.form_id,
        )
    except services.AlreadySent as twin:  # a twin request, here or on another machine, won
        return redirect(_thanks_url(twin.ticket_id, embed=embed))
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return _render_form(request, form, token, embed=embed, status=400)
    return redirect(_thanks_url(ticket.pk, embed=embed))


def _thanks_url(ticket_id, *, embed) -> str:
    url = reverse("webform:embed_thanks" if embed else "webform:thanks")
    return f"{url}?t={thanks_token(ticket_id)}" if ticket_id else url


@require_http_methods(["GET", "HEAD", "POST"])
def ask(request):
    return _ask(request, embed=False)


# An embedded form lives on a partner's site, where browsers withhold our cookies from the iframe,
# so the CSRF cookie never arrives. The form has nothing to forge: no login, no session, no
# ambient authority. What it has instead is the signed form token and the rate limits.
@csrf_exempt
@frameable_by_partners
@require_http_methods(["GET", "HEAD", "POST"])
def embed(request):
    return _ask(request, embed=True)


def _thanks(request, *, embed):
    ticket_id = read_thanks_token(request.GET.get("t"))
    ticket = (
        Ticket.objects.select_related("contact").filter(pk=ticket_id).first() if ticket_id else None
    )
    context = {
        "ticket": ticket,
        # The same link the acknowledgement mail carries.
        "private_link": private_link(ticket) if ticket else None,
        "has_email": bool(ticket and ticket.contact and ticket.contact.email),
        "embed": embed,
        # Not public_base: its language switch POSTs, and this page sends no referrer.
        "base_template": "webform/embed_base.html" if embed else "webform/private_base.html",
        "language_links": _language_links(request),
        "ask_url": reverse("webform:embed" if embed else "webform:ask"),
    }
    return private_headers(render(request, "webform/thanks.html", context))


@require_GET
def thanks(request):
    return _thanks(request, embed=False)


@frameable_by_partners
@require_GET
def embed_thanks(request):
    return _thanks(request, embed=True)


# Sent by navigator.sendBeacon, which carries no CSRF header; it records an anonymous count
# under a signed visit id, and nothing else.
@csrf_exempt
@require_POST
def suggestion_opened(request):
    """A suggested knowledge-base article was opened from the form (see models.SuggestionOpen)."""
    try:
        token = read_form_token(request.POST.get("form_token"))
    except TokenError:
        return HttpResponseBadRequest()
    slug = request.POST.get("slug", "")
    article_language = request.POST.get("language", "")
    if not SLUG.fullmatch(slug) or article_language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest()
    address = defences.address_fingerprint(defences.client_address(request))
    if not defences.suggestion_events_per_address().hit(address):
        return HttpResponse(status=429)
    services.suggestion_open_record(
        form_id=token.form_id,
        day=timezone.localdate(token.issued_at),
        language=get_language(),
        article_slug=slug,
        article_language=article_language,
    )
    return HttpResponse(status=204)
