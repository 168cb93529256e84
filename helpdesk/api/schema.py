"""The schema class of every API view: each operation documents the error body it can return."""

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="Stable: invalid, parse_error, not_authenticated, authentication_failed, "
        "permission_denied, not_found, method_not_allowed, not_acceptable, "
        "unsupported_media_type, throttled, server_error."
    )
    message = serializers.CharField(help_text="A sentence in the request's language.")
    fields = serializers.DictField(
        child=serializers.JSONField(),
        help_text="Per input field, what was wrong (a list of sentences, or for a nested object "
        "the same again); non_field_errors for the rest.",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


class ApiAutoSchema(AutoSchema):
    """Adds the error responses the conventions produce to every operation."""

    def _error(self, code: str, description: str) -> dict:
        response = self._get_response_for_code(ErrorSerializer, code)
        response["description"] = description
        return response

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = {
            "400": "Invalid input or parameters",
            "401": "Not authenticated, or the token is not valid",
            "403": "Not allowed for your role",
            "404": "Not found, or not in your queues",
            "405": "Method not allowed",
            "406": "Not acceptable",
            "415": "Unsupported media type (send JSON)",
            "429": "Rate limit reached (see Retry-After)",
            "500": "Server error (logged)",
        }
        for code, description in errors.items():
            responses.setdefault(code, self._error(code, description))
        return responses
