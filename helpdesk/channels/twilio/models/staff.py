"""Who answers: staff members' phones and whether they take calls today; interpreters."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffPhone(models.Model):
    """The phone a staff member answers calls on, and whether they take calls today.

    Availability is for one (local) day: someone who forgets to switch it off is not rung the
    next morning.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="twilio_phone"
    )
    phone = models.CharField(_("phone number"), max_length=20)
    available_on = models.DateField(_("taking calls on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("staff phone")
        verbose_name_plural = _("staff phones")

    def __str__(self):
        return f"{self.user}: {self.phone}"


class Interpreter(models.Model):
    """Someone staff can bring into a call (a third participant in the conference)."""

    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone number"), max_length=20)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    languages = models.ManyToManyField(
        "helpdesk.Language", related_name="+", verbose_name=_("languages"), blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("interpreter")
        verbose_name_plural = _("interpreters")

    def __str__(self):
        return f"{self.name} ({self.organisation})" if self.organisation else self.name
