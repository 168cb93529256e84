"""One error body for every API response that is not a success:

    {"error": {"code": "invalid", "message": "...", "fields": {"status": ["..."]}}}

`code` is stable (programs branch on it), `message` is a sentence in the request's language,
`fields` names what was wrong with which input (empty when it is not about one field).
Validation errors raised by the services (django.core.exceptions.ValidationError) get the same
body as those of the serializers, so a rule broken through the API reads as on the pages.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

log = logging.getLogger("helpdesk.api")

_MESSAGES = {
    "invalid": lambda: _("The request is not valid: see the fields."),
    "parse_error": lambda: _("The request body is not valid JSON."),
    "not_authenticated": lambda: _(
        "Log in, or send a personal API token: Authorization: Bearer <token>."
    ),
    "authentication_failed": None,
    "permission_denied": None,
    "not_found": lambda: _("Not found, or not in your queues."),
    "method_not_allowed": None,
    "not_acceptable": None,
    "unsupported_media_type": lambda: _("Send the request body as JSON (application/json)."),
    "throttled": None,
}


def _flatten(detail) -> list[str] | dict:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        flat = []
        for item in detail:
            value = _flatten(item)
            if isinstance(value, list):
                flat.extend(value)
            else:
                flat.append(value)
        return flat
    return [str(detail)]


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def from_django_validation_error(error: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError(
            {
                (field if field != "__all__" else "non_field_errors"): [str(m) for m in messages]
                for field, messages in error.message_dict.items()
            }
        )
    return exceptions.ValidationError({"non_field_errors": [str(m) for m in error.messages]})


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = from_django_validation_error(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    request = context.get("request")
    if response is None:
        log.exception(
            "API server error on %s %s",
            getattr(request, "method", "?"),
            getattr(request, "path", "?"),
            exc_info=exc,
        )
        return Response(
            error_body("server_error", _("Something went wrong on our side; it was logged.")),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )

    code = exc.default_code if isinstance(exc, exceptions.APIException) else "error"
    if isinstance(exc, exceptions.NotAuthenticated):
        code = "not_authenticated"
    fields: dict = {}
    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
        detail = _flatten(exc.detail)
        fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        # A rule of the services (not about one field) is the message itself.
        others = fields.get("non_field_errors", [])
        message = others[0] if len(fields) == 1 and len(others) == 1 else _MESSAGES["invalid"]()
        log.info(
            "API request refused (%s %s): invalid %s",
            getattr(request, "method", "?"),
            getattr(request, "path", "?"),
            sorted(fields),
        )
    else:
        default = _MESSAGES.get(code)
        detail = exc.detail if isinstance(exc, exceptions.APIException) else ""
        message = default() if default else str(detail)
        if isinstance(exc, exceptions.PermissionDenied | exceptions.AuthenticationFailed):
            message = str(detail)
    response.data = error_body(code, message, fields)
    return response
