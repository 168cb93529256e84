from rest_framework import serializers

from helpdesk.models import User


class UserRefSerializer(serializers.ModelSerializer):
    """A staff member, as far as colleagues need to know them."""

    name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name"]

    def get_name(self, user) -> str:
        return str(user)


class CodeField(serializers.SlugRelatedField):
    """A coded list entry by its code (topics, outcomes...); retired entries are still read."""

    def __init__(self, model, **kwargs):
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("queryset", model.objects.all())
        super().__init__(**kwargs)
