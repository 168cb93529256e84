"""The coordinator's and administrator's configuration pages.

Lists (topics, requester types, outcomes, referral organisations, languages) are retired rather
than deleted once tickets use them, and their codes freeze, so earlier statistics never change.
Tickets are worked in the staff pages, where the queue rules apply; they are not in the admin.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from modeltranslation.admin import TranslationAdmin

from .models import (
    Closure,
    Contact,
    Language,
    OpeningHours,
    Outcome,
    Queue,
    ReferralOrganisation,
    RequesterType,
    Ticket,
    TicketTopic,
    Topic,
    User,
)

# The site's name is a setting (SITE_NAME), not a word to translate.
admin.site.site_header = format_lazy(_("{site_name} administration"), site_name=settings.SITE_NAME)
admin.site.site_title = settings.SITE_NAME


def _in_use(obj) -> bool:
    if obj is None or obj.pk is None:
        return False
    if isinstance(obj, Topic):
        return TicketTopic.objects.filter(topic=obj).exists()
    if isinstance(obj, Language):
        return (
            Ticket.objects.filter(language=obj).exists()
            or Contact.objects.filter(preferred_language=obj).exists()
        )
    field = {
        RequesterType: "requester_type",
        Outcome: "outcome",
        ReferralOrganisation: "referral",
        Queue: "queue",
    }[type(obj)]
    return Ticket.objects.filter(**{field: obj}).exists()


@admin.action(description=_("Retire (keep on earlier tickets, no longer offered)"))
def retire(modeladmin, request, queryset):
    count = 0
    for entry in queryset.filter(is_active=True):
        entry.retire()
        count += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d entry retired.", "%(count)d entries retired.", count)
        % {"count": count},
        messages.SUCCESS,
    )


@admin.action(description=_("Bring back into use"))
def reactivate(modeladmin, request, queryset):
    count = 0
    for entry in queryset.filter(is_active=False):
        entry.reactivate()
        count += 1
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d entry brought back into use.",
            "%(count)d entries brought back into use.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


class CodedListAdmin(TranslationAdmin):
    list_display = ("code", "name", "position", "is_active", "retired_at")
    list_filter = ("is_active",)
    list_editable = ("position",)
    search_fields = ("code", "name")
    actions = [retire, reactivate]
    readonly_fields = ("retired_at",)

    def get_readonly_fields(self, request, obj=None):
        # A code counted in earlier statistics must not change under them.
        frozen = ("code",) if _in_use(obj) else ()
        return (*super().get_readonly_fields(request, obj), *frozen)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _in_use(obj)

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)  # retire instead; single unused entries can be deleted
        return actions


@admin.register(Topic)
class TopicAdmin(CodedListAdmin):
    list_display = (*CodedListAdmin.list_display, "is_question")


@admin.register(RequesterType)
class RequesterTypeAdmin(CodedListAdmin):
    pass


@admin.register(Outcome)
class OutcomeAdmin(CodedListAdmin):
    list_display = (*CodedListAdmin.list_display, "closes_ticket", "needs_referral")


@admin.register(ReferralOrganisation)
class ReferralOrganisationAdmin(CodedListAdmin):
    pass


@admin.register(Language)
class LanguageAdmin(CodedListAdmin):
    list_display = (
        "code",
        "name",
        "native_name",
        "rtl",
        "interface_language",
        "position",
        "is_active",
    )


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ("starts_on", "ends_on", "queue", "reason")
    list_filter = ("queue",)
    date_hierarchy = "starts_on"


@admin.register(Queue)
class QueueAdmin(TranslationAdmin):
    inlines = [OpeningHoursInline]
    list_display = ("slug", "name", "reference_prefix", "email", "is_active", "position")
    list_editable = ("position",)
    filter_horizontal = ("members",)
    search_fields = ("slug", "name")

    def get_readonly_fields(self, request, obj=None):
        return ("slug", "reference_prefix") if _in_use(obj) else ()

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _in_use(obj)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            pgettext_lazy("a section of a user's settings", "Work"),
            {"fields": ("spoken_languages",)},
        ),
    )
    filter_horizontal = (*DjangoUserAdmin.filter_horizontal, "spoken_languages")
    list_display = ("username", "first_name", "last_name", "email", "is_active", "last_login")


from .answer import admin as _answer_admin  # noqa: E402, F401 - canned responses, article uses
