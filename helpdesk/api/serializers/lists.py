from rest_framework import serializers

from helpdesk.models import (
    Contact,
    Language,
    Outcome,
    Queue,
    ReferralOrganisation,
    RequesterType,
    Topic,
)

from .common import UserRefSerializer

_CODED = ["code", "name", "position", "is_active", "retired_at"]


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = [*_CODED, "is_question"]


class RequesterTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequesterType
        fields = _CODED


class OutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outcome
        fields = [*_CODED, "closes_ticket", "needs_referral"]


class ReferralSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReferralOrganisation
        fields = _CODED


class LanguageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Language
        fields = ["code", "name", "native_name", "rtl", "position", "is_active", "retired_at"]


class QueueSerializer(serializers.ModelSerializer):
    members = UserRefSerializer(many=True, read_only=True)

    class Meta:
        model = Queue
        fields = ["slug", "name", "reference_prefix", "is_active", "position", "members"]


class ContactSerializer(serializers.ModelSerializer):
    requester_type = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    preferred_language = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = Contact
        fields = [
            "id",
            "name",
            "email",
            "phone",
            "organisation",
            "requester_type",
            "preferred_language",
            "created_at",
        ]
        read_only_fields = fields
