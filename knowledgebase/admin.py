"""Settings › Knowledge base. Article texts are saved through the services (revisions, index).

Translations are best edited side by side with their source on the knowledge base's own page
(/<lang>/kb/<slug>/translate/<language>/): every article here links to it per language.
"""

from django.conf import settings
from django.contrib import admin
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .models import Article, ArticleTranslation, Category, SearchLog, Tag, TranslationState
from .selectors.articles import translation_states
from .services.articles import TEXT_FIELDS, article_save

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


@admin.register(Category)
class CategoryAdmin(TranslationAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name_nl"]}


@admin.register(Tag)
class TagAdmin(TranslationAdmin):
    list_display = ["name", "slug"]
    search_fields = ["slug", "name"]


class ReviewDueFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", _("Past its review date")), ("unset", _("No review date"))]

    def queryset(self, request, queryset):
        from django.utils import timezone

        if self.value() == "due":
            return queryset.filter(review_by__lte=timezone.localdate())
        if self.value() == "unset":
            return queryset.filter(review_by__isnull=True)
        return queryset


@admin.register(Article)
class ArticleAdmin(TranslationAdmin):
    list_display = ["slug", "category", "visibility", "owner", "review_by", "translation_summary"]
    list_filter = ["visibility", "category", ReviewDueFilter, "source_language"]
    search_fields = ["slug", *(f"title_{code}" for code in LANGUAGE_CODES)]
    autocomplete_fields = ["tags", "related"]
    readonly_fields = ["code", "source_revision", "translate_links"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "slug",
                    "code",
                    "category",
                    "visibility",
                    "source_language",
                    "source_revision",
                    "owner",
                    "review_by",
                    "tags",
                    "related",
                    "translate_links",
                ]
            },
        ),
        (_("Text"), {"fields": ["title", "summary", "body"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("category", "owner")
            .prefetch_related(
                Prefetch("translation_marks", queryset=ArticleTranslation.objects.all())
            )
        )

    @admin.display(description=_("translations"))
    def translation_summary(self, article):
        states = translation_states(article)
        outdated = [c for c, s in states.items() if s == TranslationState.OUTDATED]
        missing = [c for c, s in states.items() if s == TranslationState.MISSING]
        return format_html(
            "{}: {} · {}: {}",
            _("outdated"),
            " ".join(outdated) or "-",
            _("missing"),
            " ".join(missing) or "-",
        )

    @admin.display(description=_("translate side by side"))
    def translate_links(self, article):
        if not article.pk:
            return "-"
        states = translation_states(article)
        return format_html_join(
            " · ",
            '<a href="{}">{}</a> ({})',
            (
                (
                    reverse(
                        "knowledgebase:translate", kwargs={"slug": article.slug, "language": code}
                    ),
                    code,
                    TranslationState(states[code]).label,
                )
                for code in LANGUAGE_CODES
            ),
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        translations = {
            code: {name: data.get(f"{name}_{code}") or "" for name in TEXT_FIELDS}
            for code in LANGUAGE_CODES
            if any(f"{name}_{code}" in form.changed_data for name in TEXT_FIELDS)
        }
        saved = article_save(
            article=Article.objects.get(pk=obj.pk) if change else None,
            slug=data["slug"],
            category=data["category"],
            visibility=data["visibility"],
            source_language=data["source_language"],
            owner=data.get("owner"),
            review_by=data.get("review_by"),
            translations=translations,
        )
        obj.pk = saved.pk
        obj.code = saved.code
        obj.source_revision = saved.source_revision
        obj._state.adding = False
        obj._state.db = saved._state.db

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        from config.tasks import enqueue_on_commit
        from knowledgebase.tasks import index_article

        enqueue_on_commit(index_article, form.instance.slug)  # tags may have changed


class UnansweredFilter(admin.SimpleListFilter):
    title = _("answered")
    parameter_name = "answered"

    def lookups(self, request, model_admin):
        return [("no", _("Nothing found")), ("opened", _("An article was opened"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(result_count=0)
        if self.value() == "opened":
            return queryset.filter(opened_article__isnull=False)
        return queryset


@admin.register(SearchLog)
class SearchLogAdmin(admin.ModelAdmin):
    """What people searched for: the questions the knowledge base could not answer first."""

    list_display = ["day", "query", "language", "source", "result_count", "opened_article"]
    list_filter = [UnansweredFilter, "language", "source", "day"]
    search_fields = ["query"]
    date_hierarchy = "day"
    list_select_related = ["opened_article"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
