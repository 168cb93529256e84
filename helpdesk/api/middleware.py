"""Two guards around every API request (ours and other apps': statistics, knowledge base).

1. Refuse NUL characters before anything reaches the database. PostgreSQL cannot store or even
   compare text holding U+0000 (psycopg raises DataError: a 500, and an aborted transaction);
   no field of ours means to accept it. Django's form fields refuse it one by one; this does it
   once: in the path, the query string and a JSON body.
2. Give the error body to errors produced outside the API views: an unknown /api/v1/ path
   (Django's 404 page), the second-factor and session checks of the privacy middleware
   ({"detail": ...}), a CSRF refusal by Django's middleware. A program reads one format.
"""

import json
import logging

from django.http import JsonResponse
from django.utils.translation import gettext as _

from .errors import error_body

log = logging.getLogger("helpdesk.api")
JSON_NUL = b"\\u0000"
API_PREFIXES = ("/api/v1/", "/api/schema/")
CODES = {
    400: ("invalid", lambda: _("The request is not valid.")),
    401: ("not_authenticated", lambda: _("Log in, or send a personal API token.")),
    403: ("permission_denied", lambda: _("You may not do this.")),
    404: ("not_found", lambda: _("Not found, or not in your queues.")),
    405: ("method_not_allowed", lambda: _("This method is not allowed here.")),
    500: ("server_error", lambda: _("Something went wrong on our side; it was logged.")),
}


def _has_nul(request) -> bool:
    if "\x00" in request.path_info:
        return True
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return True
    if request.method in ("POST", "PUT", "PATCH") and "json" in request.content_type:
        body = request.body
        return b"\x00" in body or JSON_NUL in body
    return False


def _as_error_body(response):
    """The response in the error body format, or None when it already is (or is no error)."""
    if response.status_code < 400 or getattr(response, "streaming", False):
        return None
    detail = None
    if "json" in response.get("Content-Type", ""):
        try:
            data = json.loads(response.content)
        except ValueError:
            data = None
        if isinstance(data, dict) and "error" in data:
            return None
        if isinstance(data, dict) and isinstance(data.get("detail"), str):
            detail = data["detail"]
    code, default = CODES.get(response.status_code, ("error", lambda: response.reason_phrase))
    replacement = JsonResponse(error_body(code, detail or default()), status=response.status_code)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            replacement[header] = response[header]
    return replacement


class ApiGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIXES):
            return self.get_response(request)
        if _has_nul(request):
            log.info("API request refused (%s %s): NUL character", request.method, request.path)
            message = _("The request contains a NUL character, which no field accepts.")
            return JsonResponse(
                error_body("invalid", message, {"non_field_errors": [message]}), status=400
            )
        response = self.get_response(request)
        return _as_error_body(response) or response
