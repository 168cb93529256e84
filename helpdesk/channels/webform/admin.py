"""Read-only lists of what the web form counts; the rows are written by the form alone."""

from django.contrib import admin

from .models import BlockedSubmission, SuggestionOpen, SuggestionVisit


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BlockedSubmission)
class BlockedSubmissionAdmin(ReadOnlyAdmin):
    list_display = ["day", "reason", "count"]
    list_filter = ["reason"]
    date_hierarchy = "day"


class SuggestionOpenInline(admin.TabularInline):
    model = SuggestionOpen
    fields = ["article_slug", "article_language"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SuggestionVisit)
class SuggestionVisitAdmin(ReadOnlyAdmin):
    list_display = ["day", "language", "submitted"]
    list_filter = ["language", "submitted"]
    date_hierarchy = "day"
    # The visit id is random and links nothing to a person, but it is no one's business either.
    exclude = ["form_id"]
    inlines = [SuggestionOpenInline]
