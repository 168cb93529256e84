from django.db.models import QuerySet

from helpdesk.api.models import ApiToken


def api_tokens() -> QuerySet[ApiToken]:
    """Every token, newest first, with its user (for the administrators' page)."""
    return ApiToken.objects.select_related("user", "created_by").order_by("-created_at", "-id")
