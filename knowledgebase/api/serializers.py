from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from knowledgebase.models import Visibility
from knowledgebase.selectors.articles import translation_states

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=300, help_text=_("What to search for."))
    lang = serializers.ChoiceField(
        choices=LANGUAGE_CODES,
        required=False,
        help_text=_("The searcher's language (default: the request's)."),
    )
    scope = serializers.ChoiceField(choices=["public", "internal"], default="public")
    category = serializers.SlugField(required=False)
    limit = serializers.IntegerField(min_value=1, max_value=50, default=10)


class SearchResultSerializer(serializers.Serializer):
    slug = serializers.CharField()
    language = serializers.CharField()
    title = serializers.CharField()
    snippet = serializers.CharField(help_text=_("Escaped text; matched words in <mark>."))
    score = serializers.FloatField()
    url = serializers.CharField()


class SearchResponseSerializer(serializers.Serializer):
    results = SearchResultSerializer(many=True)


class TextSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True, required=False)
    summary = serializers.CharField(allow_blank=True, required=False, trim_whitespace=False)
    body = serializers.CharField(allow_blank=True, required=False, trim_whitespace=False)


class ArticleSerializer(serializers.Serializer):
    """An article with every translation it has. Staff also see owner, review date and states."""

    slug = serializers.SlugField(max_length=120)
    category = serializers.SlugField(source="category.slug", max_length=80)
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.DRAFT)
    source_language = serializers.ChoiceField(choices=LANGUAGE_CODES, required=False)
    tags = serializers.ListField(child=serializers.SlugField(), required=False)
    translations = serializers.DictField(child=TextSerializer())
    review_by = serializers.DateField(required=False, allow_null=True)
    owner = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    minor = serializers.BooleanField(
        required=False, write_only=True, help_text=_("A small correction of the source text.")
    )
    translation_status = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, article):
        data = {
            "slug": article.slug,
            "category": article.category.slug,
            "visibility": article.visibility,
            "source_language": article.source_language,
            "tags": [tag.slug for tag in article.tags.all()],
            "translations": {code: article.text(code) for code in article.languages()},
            "url": self.get_url(article),
            "updated_at": article.updated_at.isoformat(),
        }
        if self.context.get("internal"):
            data["review_by"] = article.review_by.isoformat() if article.review_by else None
            data["owner"] = article.owner.get_username() if article.owner else None
            data["translation_status"] = self.get_translation_status(article)
        return data

    def get_translation_status(self, article) -> dict[str, str]:
        return {code: str(state) for code, state in translation_states(article).items()}

    def get_url(self, article) -> str:
        from django.urls import reverse

        return reverse("knowledgebase:article", kwargs={"slug": article.slug})

    def validate_translations(self, value):
        unknown = sorted(set(value) - set(LANGUAGE_CODES))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown languages: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return value

    def validate_owner(self, value):
        if not value:
            return None
        user = get_user_model().objects.filter(username=value, is_active=True).first()
        if user is None:
            raise serializers.ValidationError(_("No active user with this name."))
        return user
