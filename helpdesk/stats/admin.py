from django.contrib import admin

from .models import ExportRecord, StartpuntSession


@admin.register(StartpuntSession)
class StartpuntSessionAdmin(admin.ModelAdmin):
    list_display = [
        "date",
        "volunteers_present",
        "people_informed",
        "flyers_handed_out",
        "logged_by",
    ]
    date_hierarchy = "date"
    filter_horizontal = ["languages", "topics"]
    readonly_fields = ["logged_by", "logged_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.logged_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ExportRecord)
class ExportRecordAdmin(admin.ModelAdmin):
    """The export log is evidence: it can be read, never changed or deleted."""

    list_display = [
        "created_at",
        "user",
        "kind",
        "format",
        "period_start",
        "period_end",
        "queue",
        "row_count",
    ]
    list_filter = ["kind", "format"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
