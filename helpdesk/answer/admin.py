"""Settings › Canned responses (coordinators), and the article uses (read only)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from helpdesk.models import ArticleUse, CannedResponse


@admin.register(CannedResponse)
class CannedResponseAdmin(TranslationAdmin):
    list_display = ("shortcut", "name", "queue", "position", "is_active")
    list_filter = ("queue", "is_active")
    search_fields = ("shortcut", "name")
    ordering = ("position", "shortcut")


@admin.register(ArticleUse)
class ArticleUseAdmin(admin.ModelAdmin):
    """Which article answered which ticket, in which language: for the knowledge base's editors
    in Settings; the ticket page and the article page show the same."""

    list_display = ("article_slug", "language", "wanted_language", "ticket_reference", "user", "at")
    list_filter = ("language",)
    search_fields = ("article_slug",)
    date_hierarchy = "at"
    list_select_related = ("ticket", "user")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("ticket"))
    def ticket_reference(self, obj):
        return obj.ticket.reference
