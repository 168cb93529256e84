"""The requester's private page, /t/<token>/: their question, our answers, a reply box.

The token is the only key (requesters never log in), so every view here:
- finds the ticket through selectors.ticket_for_token (constant-time check; nothing once the link
  is revoked or the personal data removed) and shows a plain "this link does not work" otherwise;
- is rate-limited per client address, with a stricter limit on wrong tokens;
- shows only the public conversation (never internal notes or the staff's events) and nothing of
  the contact record: whoever holds the link sees what was written on this ticket, no more;
- is never cached, never indexed, and sends no referrer (the token is in the URL).

Its forms carry no CSRF token, and need none: the token in the URL is the secret that grants
access, so a forged request would have to know it already, and nothing ambient (no session, no
login) grants anything. The check could not work here anyway: with "Referrer-Policy: no-referrer"
browsers send "Origin: null" with every POST, which Django's CSRF check refuses.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from helpdesk.models import Status
from helpdesk.selectors.timeline import ticket_timeline

from . import defences, selectors, services
from .forms import PrivateReplyForm
from .models import BlockReason
from .views import private_headers


def _language_for(request, ticket) -> str:
    """The ticket's language (chosen on the form), unless the reader picked another one."""
    codes = dict(settings.LANGUAGES)
    for chosen in (
        request.GET.get("lang", ""),
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
    ):
        if chosen in codes:
            return chosen
    if ticket.language is not None:
        for code in (ticket.language.interface_language, ticket.language.code):
            if code in codes:
                return code
    return translation.get_language() or settings.LANGUAGE_CODE


def private_page(view):
    """Resolve /t/<token>/... to its ticket under the rate limits; see the module docstring."""

    @wraps(view)
    def wrapper(request, token, *args, **kwargs):
        address = defences.address_fingerprint(defences.client_address(request))
        failures = defences.private_failures_per_address()
        requests = defences.private_requests_per_address()
        if failures.exceeded(address) or not requests.hit(address):
            services.count_blocked(BlockReason.PRIVATE_LIMIT)
            limit = failures if failures.exceeded(address) else requests
            response = render(
                request,
                "webform/private_limited.html",
                {"minutes": limit.retry_after_minutes()},
                status=429,
            )
            response["Retry-After"] = str(limit.retry_after())
            return private_headers(response)
        ticket = selectors.ticket_for_token(token)
        if ticket is None:
            failures.hit(address)
            return private_headers(render(request, "webform/private_gone.html", status=404))
        language = _language_for(request, ticket)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = view(request, ticket, *args, **kwargs)
        if request.GET.get("lang") == language:
            # The reader chose a language with a link (?lang=fr): remember it, as set_language does.
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return private_headers(response)

    return wrapper


STATUS_TEXT = {
    Status.NEW: lambda: _("We have received your question and will answer it."),
    Status.OPEN: lambda: _("We are working on your question."),
    Status.WAITING: lambda: _("We are waiting for your reply."),
    Status.ANSWERED: lambda: _("Answered. If you have more to ask, write below."),
    Status.CLOSED: lambda: _("Closed. You can still write below: that reopens your question."),
}


def _page(request, ticket, *, reply_form=None, status=200):
    timeline = [] if ticket.merged_into_id else ticket_timeline(ticket, public_only=True)
    context = {
        "ticket": ticket,
        "token": ticket.access_token,
        "timeline": timeline,
        "status_text": STATUS_TEXT[ticket.status](),
        "can_reply": not ticket.merged_into_id,
        "can_mark_answered": not ticket.merged_into_id and ticket.is_open,
        "reply_form": reply_form or PrivateReplyForm(),
        "language_links": [
            (code, get_language_info(code)["name_local"], f"?lang={code}")
            for code, _name in settings.LANGUAGES
        ],
    }
    return render(request, "webform/private.html", context, status=status)


@require_GET
@private_page
def private_ticket(request, ticket):
    return _page(request, ticket)


@csrf_exempt  # see the module docstring
@require_POST
@private_page
def private_reply(request, ticket):
    if ticket.merged_into_id:
        raise Http404
    form = PrivateReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.private_reply(
                ticket=ticket,
                body=form.cleaned_data["body"],
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Your message was sent. We will answer here."))
            return redirect("webform_private:ticket", token=ticket.access_token)
    return _page(request, ticket, reply_form=form, status=400)


@csrf_exempt  # see the module docstring
@require_POST
@private_page
def private_answered(request, ticket):
    if ticket.merged_into_id:
        raise Http404
    services.private_mark_answered(ticket=ticket)
    messages.success(
        request,
        _("Thank you for letting us know. If you have another question, you can still write here."),
    )
    return redirect("webform_private:ticket", token=ticket.access_token)


@require_GET
@private_page
def private_attachment(request, ticket, pk):
    attachment = selectors.private_attachment(ticket, pk)
    if attachment is None or not attachment.file:
        raise Http404
    # Always a download with the stored (safe) type: an uploaded file never runs in our origin.
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
