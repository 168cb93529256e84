"""Refuse NUL characters in API requests before anything reaches the database.

PostgreSQL cannot store or even compare text holding U+0000 (psycopg raises DataError, a 500
and, inside a transaction, an aborted one); no field of ours means to accept it. Django's form
fields refuse it one by one; this does it once for every API endpoint, ours and other apps'
(statistics, knowledge base): in the path, the query string and a JSON body.
"""

import logging

from django.http import JsonResponse
from django.utils.translation import gettext as _

from .errors import error_body

log = logging.getLogger("helpdesk.api")
JSON_NUL = b"\\u0000"


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


class RejectNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/") and _has_nul(request):
            log.info("API request refused (%s %s): NUL character", request.method, request.path)
            message = _("The request contains a NUL character, which no field accepts.")
            return JsonResponse(
                error_body("invalid", message, {"non_field_errors": [message]}), status=400
            )
        return self.get_response(request)
