from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from .taxonomy import ListVersion


class UserQuerySet(models.QuerySet):
    """Bulk writes skip the save signals, so they change the staff list version themselves: the
    ticket page's assignee lists are cached under it (selectors/lists.py, models/queue.py)."""

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        ListVersion.bump(ListVersion.STAFF)
        return rows

    def bulk_create(self, *args, **kwargs):
        created = super().bulk_create(*args, **kwargs)
        ListVersion.bump(ListVersion.STAFF)
        return created

    def bulk_update(self, *args, **kwargs):
        rows = super().bulk_update(*args, **kwargs)
        ListVersion.bump(ListVersion.STAFF)
        return rows


class StaffUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who logs in: staff, legal specialists, volunteers, coordinators, administrators.

    Requesters never log in; they follow their ticket through a private link.
    """

    spoken_languages = models.ManyToManyField(
        "helpdesk.Language",
        blank=True,
        related_name="speakers",
        verbose_name=_("languages spoken"),
        help_text=_("Used to route calls and to suggest the language of a logged call."),
    )

    objects = StaffUserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username
