from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Contact(models.Model):
    """Who asked. Every field is optional: store the least that lets us answer.

    Contacts are found again by email or phone (services.contacts.contact_find_or_create), so the
    two are unique where present. Phone numbers are stored in E.164 (+32470123456).
    """

    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    requester_type = models.ForeignKey(
        "helpdesk.RequesterType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("requester type"),
    )
    preferred_language = models.ForeignKey(
        "helpdesk.Language",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("preferred language"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    pseudonymised_at = models.DateTimeField(_("personal data removed"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="unique_contact_email"
            ),
            models.UniqueConstraint(
                fields=["phone"], condition=~Q(phone=""), name="unique_contact_phone"
            ),
        ]

    def __str__(self):
        return (
            self.name
            or self.email
            or self.phone
            or _("Anonymous contact #%(id)s") % {"id": self.pk}
        )
