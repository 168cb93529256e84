"""Admin pages: retention rules (edited), the audit log and rights requests (read only), and the
two-factor devices (listed and deleted to reset a lost phone, never showing their secret)."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import AuditEntry, PrivacyRequest, RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "pseudonymise_after_days",
        "recordings_after_days",
        "note",
        "updated_at",
    )
    list_filter = ("queue", "channel")
    fields = ("queue", "channel", "pseudonymise_after_days", "recordings_after_days", "note")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows nobody edits here: the application only ever adds them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_label", "action", "target_type", "target_label", "ip")
    list_filter = ("action", "target_type")
    search_fields = ("actor_label", "target_label", "target_id", "ip")
    date_hierarchy = "at"
    exclude = ("fingerprint",)
    show_full_result_count = False  # a count(*) over years of entries on every page is waste


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(ReadOnlyAdmin):
    list_display = ("handled_at", "kind", "contact_id", "handled_by_label")
    list_filter = ("kind",)
    search_fields = ("handled_by_label", "reason")
    date_hierarchy = "handled_at"


# django-otp's own admin pages show a device's secret key and QR code: anyone with admin access
# could then copy a colleague's second factor. These list devices and delete them, nothing more.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class DeviceAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "confirmed")
    list_filter = ("confirmed",)
    search_fields = ("user__username",)
    fields = ("user", "name", "confirmed")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(DeviceAdmin):
    list_display = (*DeviceAdmin.list_display, "last_used_at")


@admin.register(StaticDevice)
class StaticDeviceAdmin(DeviceAdmin):
    pass
