"""Tickets: list (the inbox's filters), retrieve, create, update, merge; messages, reply, note.

Thin: each view checks the input with a serializer, calls one service or selector, and answers
with a serializer. Who may see which ticket comes from helpdesk.selectors.access.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from helpdesk.api.forms import TicketFilterForm
from helpdesk.api.pagination import keyset_page, page_response, paginated_schema
from helpdesk.api.permissions import WorksTickets
from helpdesk.api.selectors.tickets import (
    messages_by_ids,
    ticket_messages,
    tickets_by_ids,
)
from helpdesk.api.serializers.messages import MessageSerializer, NoteSerializer, ReplySerializer
from helpdesk.api.serializers.tickets import (
    TicketCreateSerializer,
    TicketMergeSerializer,
    TicketSerializer,
    TicketUpdateSerializer,
)
from helpdesk.api.services.tickets import api_ticket_create, api_ticket_update
from helpdesk.models import Channel, Status
from helpdesk.privacy.audit import AuditAction, audit_record
from helpdesk.selectors.access import ticket_for
from helpdesk.selectors.inbox import DEFAULT_SORT, SORTS, inbox_tickets
from helpdesk.services import tickets as services

TicketPage = paginated_schema(TicketSerializer, "TicketPage")
MessagePage = paginated_schema(MessageSerializer, "MessagePage")

PAGING = [
    OpenApiParameter("cursor", str, description="The next_cursor of the previous page."),
    OpenApiParameter("page_size", int, description="Rows per page (default 50, at most 200)."),
]
REFERENCE = OpenApiParameter(
    "reference", str, OpenApiParameter.PATH, description="The ticket's reference, IL-2026-000123."
)


def _many(name, description, enum=None):
    return OpenApiParameter(name, str, many=True, explode=True, description=description, enum=enum)


TICKET_FILTERS = [
    OpenApiParameter("q", str, description="Search: reference, name, email, phone or text."),
    _many("queue", "Queue slug (repeat for several)."),
    _many(
        "status",
        "Status (repeat for several). Without status and q: the open work (new, open, waiting), "
        "as in the inbox.",
        enum=Status.values,
    ),
    OpenApiParameter(
        "assignee", str, description='"me", "none", or a user id (a member of your queues).'
    ),
    _many("channel", "Channel.", enum=Channel.values),
    _many("language", "Language code."),
    _many("topic", "Topic code."),
    _many("requester_type", "Requester type code."),
    OpenApiParameter("sort", str, enum=list(SORTS), description=f"Order (default {DEFAULT_SORT})."),
    *PAGING,
]


class TicketListView(APIView):
    permission_classes = [WorksTickets]

    @extend_schema(
        operation_id="tickets_list",
        summary="Tickets in your queues",
        parameters=TICKET_FILTERS,
        responses={200: TicketPage},
        tags=["tickets"],
    )
    def get(self, request):
        form = TicketFilterForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise ValidationError(
                {
                    field: [error["message"] for error in errors]
                    for field, errors in form.errors.get_json_data().items()
                }
            )
        filters = form.filters()
        page = keyset_page(
            queryset=inbox_tickets(user=request.user, filters=filters),
            ordering=SORTS[filters.sort],
            request=request,
            load=tickets_by_ids,
        )
        return Response(page_response(page, TicketSerializer(page.rows, many=True).data))

    @extend_schema(
        operation_id="tickets_create",
        summary="Open a ticket",
        request=TicketCreateSerializer,
        responses={201: TicketSerializer},
        tags=["tickets"],
    )
    def post(self, request):
        serializer = TicketCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        ticket = api_ticket_create(
            actor=request.user,
            queue=data.pop("queue"),
            channel=data.pop("channel"),
            contact_data=data.pop("contact"),
            **data,
        )
        ticket = tickets_by_ids([ticket.pk])[0]
        return Response(TicketSerializer(ticket).data, status=status.HTTP_201_CREATED)


class TicketDetailView(APIView):
    permission_classes = [WorksTickets]

    @extend_schema(
        operation_id="tickets_retrieve",
        summary="One ticket",
        parameters=[REFERENCE],
        responses={200: TicketSerializer},
        tags=["tickets"],
    )
    def get(self, request, reference):
        ticket = ticket_for(request.user, reference)
        audit_record(actor=request.user, action=AuditAction.TICKET_VIEW, target=ticket)
        return Response(TicketSerializer(tickets_by_ids([ticket.pk])[0]).data)

    @extend_schema(
        operation_id="tickets_update",
        summary="Change status, assignee, topics, outcome, referral, queue...",
        parameters=[REFERENCE],
        request=TicketUpdateSerializer,
        responses={200: TicketSerializer},
        tags=["tickets"],
    )
    def patch(self, request, reference):
        ticket = ticket_for(request.user, reference)
        serializer = TicketUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ticket = api_ticket_update(
            ticket=ticket, actor=request.user, changes=serializer.validated_data
        )
        return Response(TicketSerializer(tickets_by_ids([ticket.pk])[0]).data)


class TicketMergeView(APIView):
    permission_classes = [WorksTickets]

    @extend_schema(
        operation_id="tickets_merge",
        summary="Merge a duplicate into this ticket",
        parameters=[REFERENCE],
        request=TicketMergeSerializer,
        responses={200: TicketSerializer},
        tags=["tickets"],
    )
    def post(self, request, reference):
        target = ticket_for(request.user, reference)
        serializer = TicketMergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        duplicate_ref = serializer.validated_data["duplicate"].strip().upper()
        try:
            duplicate = ticket_for(request.user, duplicate_ref)
        except Http404:
            raise ValidationError(
                {
                    "duplicate": [
                        _("No ticket %(reference)s in your queues.") % {"reference": duplicate_ref}
                    ]
                }
            ) from None
        target = services.ticket_merge(source=duplicate, target=target, actor=request.user)
        return Response(TicketSerializer(tickets_by_ids([target.pk])[0]).data)


class MessageListView(APIView):
    permission_classes = [WorksTickets]

    @extend_schema(
        operation_id="tickets_messages_list",
        summary="A ticket's messages (questions, answers, internal notes), oldest first",
        parameters=[REFERENCE, *PAGING],
        responses={200: MessagePage},
        tags=["messages"],
    )
    def get(self, request, reference):
        ticket = ticket_for(request.user, reference)
        audit_record(actor=request.user, action=AuditAction.TICKET_VIEW, target=ticket)
        page = keyset_page(
            queryset=ticket_messages(ticket),
            ordering=("created_at", "id"),
            request=request,
            load=messages_by_ids,
        )
        return Response(page_response(page, MessageSerializer(page.rows, many=True).data))


class ReplyView(APIView):
    permission_classes = [WorksTickets]

    @extend_schema(
        operation_id="tickets_reply",
        summary="Answer the requester (sent through a channel, or recorded as given)",
        parameters=[REFERENCE],
        request=ReplySerializer,
        responses={201: MessageSerializer},
        tags=["messages"],
    )
    def post(self, request, reference):
        ticket = ticket_for(request.user, reference)
        serializer = ReplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        message = services.ticket_reply(
            ticket=ticket,
            author=request.user,
            body=data["body"],
            channel=data["channel"],
            status=data["status"],
        )
        return Response(
            MessageSerializer(messages_by_ids([message.pk])[0]).data,
            status=status.HTTP_201_CREATED,
        )


class NoteView(APIView):
    permission_classes = [WorksTickets]

    @extend_schema(
        operation_id="tickets_note",
        summary="Add an internal note (staff only, never shown to the requester)",
        parameters=[REFERENCE],
        request=NoteSerializer,
        responses={201: MessageSerializer},
        tags=["messages"],
    )
    def post(self, request, reference):
        ticket = ticket_for(request.user, reference)
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = services.ticket_add_note(
            ticket=ticket, author=request.user, body=serializer.validated_data["body"]
        )
        return Response(
            MessageSerializer(messages_by_ids([message.pk])[0]).data,
            status=status.HTTP_201_CREATED,
        )
