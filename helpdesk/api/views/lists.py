"""Contacts, queues and the coded lists (topics, requester types, outcomes, referrals, languages)."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from helpdesk.api.pagination import keyset_page, page_response, paginated_schema
from helpdesk.api.permissions import ReadsLists, WorksTickets
from helpdesk.api.selectors.tickets import (
    contacts_by_ids,
    contacts_matching,
    contacts_visible_to,
    queues_visible_to,
)
from helpdesk.api.serializers import lists as s
from helpdesk.models import Language, Outcome, ReferralOrganisation, RequesterType, Topic
from helpdesk.privacy.audit import AuditAction, audit_record

ContactPage = paginated_schema(s.ContactSerializer, "ContactPage")


class ContactListView(APIView):
    permission_classes = [WorksTickets]

    @extend_schema(
        operation_id="contacts_list",
        summary="People who asked or took part in a ticket of your queues",
        parameters=[
            OpenApiParameter("q", str, description="Part of a name, email, phone or organisation."),
            OpenApiParameter("cursor", str, description="The next_cursor of the previous page."),
            OpenApiParameter(
                "page_size", int, description="Rows per page (default 50, at most 200)."
            ),
        ],
        responses={200: ContactPage},
        tags=["contacts"],
    )
    def get(self, request):
        q = request.query_params.get("q", "")
        contacts = contacts_matching(contacts_visible_to(request.user), q)
        page = keyset_page(
            queryset=contacts, ordering=("-id",), request=request, load=contacts_by_ids
        )
        if q.strip():
            # What was searched is personal data itself: the log keeps that a search happened.
            audit_record(
                actor=request.user,
                action=AuditAction.CONTACT_SEARCH,
                details={"found": len(page.rows), "via": "api"},
            )
        return Response(page_response(page, s.ContactSerializer(page.rows, many=True).data))


class ContactDetailView(APIView):
    permission_classes = [WorksTickets]

    @extend_schema(
        operation_id="contacts_retrieve",
        summary="One person (only if they are on a ticket of your queues)",
        parameters=[OpenApiParameter("contact_id", int, OpenApiParameter.PATH)],
        responses={200: s.ContactSerializer},
        tags=["contacts"],
    )
    def get(self, request, contact_id):
        contact = contacts_visible_to(request.user).filter(pk=contact_id).first()
        if contact is None:
            raise Http404
        audit_record(actor=request.user, action=AuditAction.CONTACT_VIEW, target=contact)
        return Response(s.ContactSerializer(contacts_by_ids([contact.pk])[0]).data)


class QueueListView(APIView):
    permission_classes = [ReadsLists]
    view_permission = "helpdesk.view_queue"

    @extend_schema(
        operation_id="queues_list",
        summary="Your queues (all of them for coordinators and administrators), with members",
        responses={200: s.QueueSerializer(many=True)},
        tags=["lists"],
    )
    def get(self, request):
        return Response(s.QueueSerializer(queues_visible_to(request.user), many=True).data)


ACTIVE = OpenApiParameter(
    "active",
    bool,
    description="true: only entries that can be chosen; false: only retired ones; "
    "left out: all (tickets keep retired entries).",
)


def coded_list_view(model, serializer_class, name: str, operation: str):
    class CodedListView(APIView):
        permission_classes = [ReadsLists]
        view_permission = f"helpdesk.view_{model._meta.model_name}"

        @extend_schema(
            operation_id=operation,
            summary=f"The {name}",
            parameters=[ACTIVE],
            responses={200: serializer_class(many=True)},
            tags=["lists"],
        )
        def get(self, request):
            entries = model.objects.all()
            active = request.query_params.get("active", "").lower()
            if active in {"true", "1", "yes"}:
                entries = entries.filter(is_active=True)
            elif active in {"false", "0", "no"}:
                entries = entries.filter(is_active=False)
            elif active:
                raise ValidationError({"active": [_("Use true or false.")]})
            return Response(serializer_class(entries, many=True).data)

    CodedListView.__name__ = f"{model.__name__}ListView"
    CodedListView.__qualname__ = CodedListView.__name__
    return CodedListView


TopicListView = coded_list_view(Topic, s.TopicSerializer, "topics", "topics_list")
RequesterTypeListView = coded_list_view(
    RequesterType, s.RequesterTypeSerializer, "requester types", "requester_types_list"
)
OutcomeListView = coded_list_view(Outcome, s.OutcomeSerializer, "outcomes", "outcomes_list")
ReferralListView = coded_list_view(
    ReferralOrganisation, s.ReferralSerializer, "referral organisations", "referrals_list"
)
LanguageListView = coded_list_view(Language, s.LanguageSerializer, "languages", "languages_list")
