from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

from .taxonomy import CodedEntryQuerySet, ListVersion, bump_list_version


class Queue(models.Model):
    """A team's work: Infolijn, Legal helpdesk, Education. Staff see only their queues' tickets."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,4}$", _("Two to four capital letters."))],
        help_text=_("Starts every ticket reference of this queue, as in IL-2026-000123."),
    )
    email = models.EmailField(_("email address"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="queues", blank=True, verbose_name=_("members")
    )
    observes_public_holidays = models.BooleanField(
        _("closed on public holidays"), default=True, help_text=_("Belgian public holidays.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    # Its names and activity are a list on the ticket page like the coded ones (ListVersion).
    objects = CodedEntryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("queue")
        verbose_name_plural = _("queues")

    def __str__(self):
        return self.name or self.slug


post_save.connect(bump_list_version, sender=Queue, dispatch_uid="list-version-Queue")
post_delete.connect(bump_list_version, sender=Queue, dispatch_uid="list-version-del-Queue")


def bump_staff_version(update_fields=None, action=None, **_kwargs) -> None:
    """A user saved or deleted, or a queue's members changed: the assignee lists are stale.

    Memberships change through the many-to-many managers (queue.members, user.queues), whose
    signal this is; a write to the through table itself would have to bump the version too."""
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return  # a login or a new password changes no name, activity or membership
    if action is not None and not action.startswith("post_"):
        return
    ListVersion.bump(ListVersion.STAFF)


post_save.connect(
    bump_staff_version, sender=settings.AUTH_USER_MODEL, dispatch_uid="list-version-staff"
)
post_delete.connect(
    bump_staff_version, sender=settings.AUTH_USER_MODEL, dispatch_uid="list-version-del-staff"
)
m2m_changed.connect(
    bump_staff_version, sender=Queue.members.through, dispatch_uid="list-version-members"
)


class ReferenceCounter(models.Model):
    """The last number handed out per prefix and year (IL-2026-000123)."""

    prefix = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="unique_reference_counter")
        ]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last_number}"
