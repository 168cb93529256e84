"""Provider webhooks for inbound mail: django-anymail's views, behind our own door.

Anymail accepts unauthenticated posts when no WEBHOOK_SECRET is set (with a warning). Here a
provider's endpoint exists only when it is switched on (EMAIL_INBOUND_PROVIDERS) and the shared
secret is configured, so a forgotten setting can never open the mailbox to the internet.
"""

import logging

from anymail.exceptions import AnymailWebhookValidationFailure
from anymail.urls import urlpatterns as anymail_patterns
from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.csrf import csrf_exempt

log = logging.getLogger(__name__)

# "mailgun" -> Mailgun's inbound view, for every provider anymail receives mail from.
INBOUND_VIEWS = {
    pattern.name.removesuffix("_inbound_webhook"): pattern.callback
    for pattern in anymail_patterns
    if pattern.name and pattern.name.endswith("_inbound_webhook")
}


@csrf_exempt
def inbound_webhook(request, provider):
    view = INBOUND_VIEWS.get(provider)
    if view is None or provider not in settings.EMAIL_INBOUND_PROVIDERS:
        raise Http404
    if not settings.ANYMAIL.get("WEBHOOK_SECRET"):
        log.error(
            "Inbound mail webhook for %s refused: ANYMAIL_WEBHOOK_SECRET is not set", provider
        )
        return HttpResponse(
            "This webhook is not configured: set ANYMAIL_WEBHOOK_SECRET.",
            status=503,
            content_type="text/plain",
        )
    try:
        return view(request)
    except AnymailWebhookValidationFailure as error:
        log.warning(
            "Inbound mail webhook for %s refused a request from %s: %s",
            provider,
            request.META.get("REMOTE_ADDR"),
            error,
        )
        return HttpResponse(
            "Missing or wrong webhook credentials.", status=400, content_type="text/plain"
        )
