from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from helpdesk.models import Attachment, Channel, Message, Status

from .common import UserRefSerializer


class AttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "filename", "content_type", "size", "download_url"]

    def get_download_url(self, attachment) -> str:
        return reverse("helpdesk:attachment", kwargs={"pk": attachment.pk})


class MessageSerializer(serializers.ModelSerializer):
    author = UserRefSerializer(read_only=True, allow_null=True)
    sender = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text=_("The contact who sent it (inbound).")
    )
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "direction",
            "channel",
            "status",
            "body",
            "author",
            "sender",
            "created_at",
            "sent_at",
            "attachments",
        ]
        read_only_fields = fields


class ReplySerializer(serializers.Serializer):
    body = serializers.CharField(max_length=50_000, allow_blank=True)
    channel = serializers.ChoiceField(
        choices=[("", _("Record an answer given by phone or in person")), *Channel.choices],
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Send through this channel; empty records an answer given (nothing sent)."),
    )
    status = serializers.ChoiceField(
        choices=[(s, Status(s).label) for s in (Status.ANSWERED, Status.WAITING, Status.CLOSED)],
        required=False,
        default=Status.ANSWERED,
        help_text=_("What happens to the ticket after the answer."),
    )


class NoteSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=50_000, allow_blank=True)
