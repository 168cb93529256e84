"""Every webhook proves it comes from Twilio: X-Twilio-Signature, computed with our auth token
over the exact public URL Twilio called and the POSTed parameters."""

import logging
from functools import wraps

from django.conf import settings
from django.http import HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import (
    SIGNATURE_HEADER,
    SIGNATURE_SETTINGS_HEADER,
    RequestValidator,
    get_signature_algorithm,
)

log = logging.getLogger(__name__)


def public_request_url(request) -> str:
    """The URL Twilio requested: our public origin (a setting, right behind a proxy) and the path
    and query string Django received."""
    base = settings.TWILIO_PUBLIC_BASE_URL
    return base + request.get_full_path() if base else request.build_absolute_uri()


def signature_is_valid(request) -> bool:
    token = settings.TWILIO_AUTH_TOKEN
    signature = request.headers.get(SIGNATURE_HEADER, "")
    if not token or not signature:
        return False
    algorithm = get_signature_algorithm(request.headers.get(SIGNATURE_SETTINGS_HEADER, ""))
    return RequestValidator(token).validate(
        public_request_url(request), request.POST, signature, algorithm=algorithm
    )


def twilio_webhook(view):
    """POST only, no CSRF token (Twilio has none), and a valid signature or 403 with nothing done."""

    @csrf_exempt
    @require_POST
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not signature_is_valid(request):
            log.warning(
                "Refused a Twilio webhook with a missing or wrong signature: %s from %s "
                "(is TWILIO_PUBLIC_BASE_URL the address Twilio calls?)",
                request.path,
                request.META.get("REMOTE_ADDR", "?"),
            )
            return HttpResponseForbidden("Invalid Twilio signature.", content_type="text/plain")
        return view(request, *args, **kwargs)

    return wrapper
