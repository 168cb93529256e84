from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from helpdesk.models import (
    Channel,
    Language,
    Outcome,
    Priority,
    Queue,
    ReferralOrganisation,
    RequesterType,
    Status,
    Ticket,
    Topic,
    User,
)

from .common import CodeField, UserRefSerializer


class TicketSerializer(serializers.ModelSerializer):
    queue = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    language = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    requester_type = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    topics = serializers.SerializerMethodField()
    outcome = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    referral = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    assignee = UserRefSerializer(read_only=True, allow_null=True)
    contact = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text=_("The contact's id (see /api/v1/contacts/).")
    )
    merged_into = serializers.SlugRelatedField(
        slug_field="reference", read_only=True, allow_null=True
    )
    related_to = serializers.SlugRelatedField(
        slug_field="reference", read_only=True, allow_null=True
    )

    class Meta:
        model = Ticket
        fields = [
            "reference",
            "queue",
            "status",
            "priority",
            "channel",
            "subject",
            "language",
            "requester_type",
            "topics",
            "outcome",
            "referral",
            "policy_signal",
            "assignee",
            "contact",
            "merged_into",
            "related_to",
            "created_at",
            "updated_at",
            "first_response_at",
            "answered_at",
            "closed_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_topics(self, ticket) -> list[str]:
        return [topic.code for topic in ticket.topics.all()]


class ContactInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    organisation = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )


class TicketCreateSerializer(serializers.Serializer):
    queue = serializers.SlugRelatedField(slug_field="slug", queryset=Queue.objects.all())
    channel = serializers.ChoiceField(choices=Channel.choices)
    subject = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    body = serializers.CharField(
        max_length=50_000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The question, as its first message."),
    )
    contact = ContactInputSerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Who asked, if needed to answer: found again by email or phone, else created."),
    )
    language = CodeField(Language, required=False, allow_null=True, default=None)
    requester_type = CodeField(RequesterType, required=False, allow_null=True, default=None)
    topics = CodeField(Topic, many=True, required=False, default=list)
    priority = serializers.ChoiceField(
        choices=Priority.choices, required=False, default=Priority.NORMAL
    )


class TicketUpdateSerializer(serializers.Serializer):
    """Only the fields sent change; each goes through the service the ticket page uses."""

    status = serializers.ChoiceField(choices=Status.choices, required=False)
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text=_("A member of the ticket's queue (a user id), or null for nobody."),
    )
    queue = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Queue.objects.all(),
        required=False,
        help_text=_("Move the ticket to this queue (applied last)."),
    )
    topics = CodeField(Topic, many=True, required=False)
    requester_type = CodeField(RequesterType, required=False, allow_null=True)
    language = CodeField(Language, required=False, allow_null=True)
    outcome = CodeField(Outcome, required=False, allow_null=True)
    referral = CodeField(ReferralOrganisation, required=False, allow_null=True)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    policy_signal = serializers.BooleanField(required=False)
    subject = serializers.CharField(max_length=255, required=False, allow_blank=True)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(_("Send at least one field to change."))
        return attrs


class TicketMergeSerializer(serializers.Serializer):
    duplicate = serializers.CharField(
        max_length=20,
        help_text=_("The reference of the duplicate to fold into this ticket (IL-2026-000123)."),
    )
