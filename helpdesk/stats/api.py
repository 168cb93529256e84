"""GET /api/v1/stats/summary/?from=YYYY-MM-DD&to=YYYY-MM-DD[&queue=slug]

Counts the tickets created in the period (both days included, Brussels time), merged duplicates
once. Coordinators and administrators only. Authentication, throttling and the error body follow
the project's REST_FRAMEWORK settings.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from helpdesk.models import Queue

from . import sections
from .forms import MAX_DAYS
from .periods import Period
from .sections import Scope
from .selectors.tickets import ticket_figures


class CanViewStatistics(permissions.BasePermission):
    message = _("Only coordinators and administrators may read the statistics.")

    def has_permission(self, request, view):
        return bool(request.user and request.user.has_perm("helpdesk.view_statistics"))


def _validate_period(self, attrs):
    if attrs["to"] < attrs["from"]:
        raise serializers.ValidationError({"to": [_("The period ends before it starts.")]})
    if (attrs["to"] - attrs["from"]).days > MAX_DAYS:
        raise serializers.ValidationError(_("Choose a period of at most ten years."))
    return attrs


# "from" is a Python keyword, so the serializer is built with type() to have a field of that name.
SummaryQuery = type(
    "SummaryQuery",
    (serializers.Serializer,),
    {
        "from": serializers.DateField(help_text=_("First day, included (YYYY-MM-DD).")),
        "to": serializers.DateField(help_text=_("Last day, included (YYYY-MM-DD).")),
        "queue": serializers.SlugRelatedField(
            slug_field="slug",
            queryset=Queue.objects.all(),
            required=False,
            help_text=_("Only this queue (its slug)."),
        ),
        "validate": _validate_period,
    },
)


_counts = serializers.DictField(child=serializers.IntegerField())
_durations = inline_serializer(
    "StatsDurations",
    {
        "count": serializers.IntegerField(),
        "median_hours": serializers.FloatField(allow_null=True),
        "p90_hours": serializers.FloatField(allow_null=True),
        "median_opening_hours": serializers.FloatField(allow_null=True),
        "p90_opening_hours": serializers.FloatField(allow_null=True),
    },
)
SummarySchema = inline_serializer(
    "StatsSummary",
    {
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "queue": serializers.CharField(allow_null=True),
        "total": serializers.IntegerField(),
        "questions": serializers.IntegerField(),
        "answered": serializers.IntegerField(),
        "by_month": _counts,
        "by_channel": _counts,
        "by_queue": _counts,
        "by_requester_type": _counts,
        "by_language": _counts,
        "by_topic": _counts,
        "by_outcome": _counts,
        "by_referral": _counts,
        "first_response": _durations,
        "resolution": _durations,
        "sections": serializers.DictField(child=serializers.JSONField()),
    },
)


def summary(scope: Scope, user=None) -> dict:
    computed = sections.compute_all(scope, user=user)
    f = next((c.figures for c in computed if c.section.key == "tickets"), None)
    if f is None:  # the tickets section was unregistered: still answer what the API promises
        f = ticket_figures(scope)
    extra = {
        c.section.key: c.summary
        for c in computed
        if c.section.key != "tickets" and c.section.summary is not None
    }
    return {
        "from": scope.period.start.isoformat(),
        "to": scope.period.end.isoformat(),
        "queue": scope.queue.slug if scope.queue else None,
        "total": f.total,
        "questions": f.questions,
        "answered": f.answered,
        "by_month": f.by_month,
        "by_channel": f.codes(f.channels),
        "by_queue": f.codes(f.queues),
        "by_requester_type": f.codes(f.requester_types),
        "by_language": f.codes(f.languages),
        "by_topic": f.codes(f.topics),
        "by_outcome": f.codes(f.outcomes),
        "by_referral": f.codes(f.referrals),
        "first_response": f.first_response.as_dict(),
        "resolution": f.resolution.as_dict(),
        "sections": extra,
    }


class SummaryView(APIView):
    permission_classes = [permissions.IsAuthenticated, CanViewStatistics]

    @extend_schema(
        operation_id="stats_summary",
        summary="Statistics of a period",
        description=__doc__,
        parameters=[SummaryQuery],
        responses={200: SummarySchema},
        tags=["statistics"],
    )
    def get(self, request):
        query = SummaryQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        scope = Scope(Period(data["from"], data["to"]), data.get("queue"))
        return Response(summary(scope, user=request.user))
