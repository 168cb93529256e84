"""The knowledge base's API: search, and articles read per visibility, written by staff.

Authentication comes from REST_FRAMEWORK's defaults (sessions, and whatever else settings add);
the permission rule is the knowledge base's own (selectors.access).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils import translation
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, permissions, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from knowledgebase.selectors.access import (
    article_for,
    articles_visible_to,
    can_add,
    can_delete,
    can_edit,
    can_read_internal,
)
from knowledgebase.selectors.search import kb_search
from knowledgebase.services.articles import article_delete, article_save
from knowledgebase.services.search import search_record

from .serializers import ArticleSerializer, SearchQuerySerializer, SearchResponseSerializer


class KnowledgeBasePermission(permissions.BasePermission):
    """Anyone reads (what they may read); writing needs the knowledge base's change rights."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if request.method == "POST":
            return can_add(request.user)
        if request.method == "DELETE":
            return can_delete(request.user)
        return can_edit(request.user)


class SearchView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="Search the knowledge base",
        parameters=[SearchQuerySerializer],
        responses={200: SearchResponseSerializer},
        description=(
            "Best first, at most `limit` (10). Anonymous callers find public articles; "
            "scope=internal needs a staff or volunteer login and adds internal articles. "
            "A result is in the searcher's language when the article has it, otherwise in the "
            "fallback language (ps → fa → en, uk → ru → en, else nl)."
        ),
    )
    def get(self, request):
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        if data["scope"] == "internal" and not can_read_internal(request.user):
            raise PermissionDenied("scope=internal needs a staff or volunteer login.")
        language = data.get("lang") or translation.get_language()
        results = kb_search(
            user=request.user,
            query=data["q"],
            language=language,
            scope=data["scope"],
            category=data.get("category"),
            limit=data["limit"],
        )
        search_record(
            query=data["q"], language=language, scope=data["scope"], source="api", results=results
        )
        with translation.override(language):
            payload = [
                {
                    "slug": hit.slug,
                    "language": hit.language,
                    "title": hit.title,
                    "snippet": hit.snippet,
                    "score": round(float(hit.score), 4),
                    "url": reverse("knowledgebase:article", kwargs={"slug": hit.slug}),
                }
                for hit in results.hits
            ]
        return Response({"results": payload})


class ArticlePagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200


def _save(serializer, request, article=None):
    data = serializer.validated_data
    fields = {}
    for key in ("slug", "visibility", "source_language", "translations", "tags"):
        if key in data:
            fields[key] = data[key]
    if "category" in data:
        fields["category"] = data["category"]["slug"]
    for key in ("owner", "review_by"):
        if key in data:
            fields[key] = data[key]
    if article is None and "source_language" not in fields:
        raise ValidationError({"source_language": ["This field is required."]})
    try:
        return article_save(article=article, minor=data.get("minor", False), **fields)
    except DjangoValidationError as error:
        raise ValidationError({"detail": error.messages}) from None


def _queryset(user):
    return (
        articles_visible_to(user)
        .select_related("category", "owner")
        .prefetch_related("tags", "translation_marks")
        .order_by("slug")
    )


@extend_schema_view(
    get=extend_schema(summary="List the articles you may read"),
    post=extend_schema(summary="Create an article (staff)"),
)
class ArticleListView(generics.ListCreateAPIView):
    serializer_class = ArticleSerializer
    permission_classes = [KnowledgeBasePermission]
    pagination_class = ArticlePagination

    def get_queryset(self):
        return _queryset(self.request.user)

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "internal": can_read_internal(self.request.user),
        }

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        article = _save(serializer, request)
        article = _queryset(request.user).get(pk=article.pk)
        return Response(self.get_serializer(article).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(summary="Read an article"),
    put=extend_schema(summary="Replace an article's fields (staff)"),
    patch=extend_schema(summary="Change an article (staff)"),
    delete=extend_schema(summary="Delete an article (staff with delete rights)"),
)
class ArticleDetailView(generics.RetrieveUpdateDestroyAPIView):
    serializer_class = ArticleSerializer
    permission_classes = [KnowledgeBasePermission]
    lookup_field = "slug"

    def get_object(self):
        return article_for(self.request.user, self.kwargs["slug"], _queryset(self.request.user))

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "internal": can_read_internal(self.request.user),
        }

    def update(self, request, *args, partial=False, **kwargs):
        article = self.get_object()
        serializer = self.get_serializer(article, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        article = _save(serializer, request, article)
        article = _queryset(request.user).get(pk=article.pk)
        return Response(self.get_serializer(article).data)

    def destroy(self, request, *args, **kwargs):
        article_delete(article=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
