from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


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

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username
