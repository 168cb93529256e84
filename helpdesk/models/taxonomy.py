"""The coded lists coordinators maintain: topics, requester types, outcomes, referrals, languages.

Statistics count these codes over many years, so an entry in use is retired, never deleted:
tickets point at them with PROTECT, and the admin offers "retire" instead of "delete".
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CodedEntryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class CodedEntry(models.Model):
    code = models.SlugField(
        _("code"),
        max_length=50,
        unique=True,
        help_text=_(
            "A stable code for statistics and exports. It cannot change once tickets use it: "
            "to change what an entry means, retire it and add a new one."
        ),
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Retired entries stay on earlier tickets and in earlier figures."),
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True, editable=False)

    objects = CodedEntryQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self):
        return self.name or self.code

    def retire(self):
        self.is_active = False
        self.retired_at = timezone.now()
        self.save(update_fields=["is_active", "retired_at"])

    def reactivate(self):
        self.is_active = True
        self.retired_at = None
        self.save(update_fields=["is_active", "retired_at"])


class Topic(CodedEntry):
    is_question = models.BooleanField(
        _("counts as a question"),
        default=True,
        help_text=_("Off for contacts that are not questions: silent, hang-up, wrong number..."),
    )

    class Meta(CodedEntry.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class RequesterType(CodedEntry):
    class Meta(CodedEntry.Meta):
        verbose_name = _("requester type")
        verbose_name_plural = _("requester types")


class Outcome(CodedEntry):
    closes_ticket = models.BooleanField(
        _("closes the ticket"),
        default=True,
        help_text=_("A call logged with this outcome is closed at once (information given)."),
    )
    needs_referral = models.BooleanField(
        _("needs a referral organisation"),
        default=False,
    )

    class Meta(CodedEntry.Meta):
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")


class ReferralOrganisation(CodedEntry):
    class Meta(CodedEntry.Meta):
        verbose_name = _("referral organisation")
        verbose_name_plural = _("referral organisations")


class Language(models.Model):
    """A language people speak to us in (Dari, Kurmanji, Lingala...), not only the site's languages.

    `interface_language` names the site language that serves its speakers best (Dari -> fa), for
    mail, the private page and knowledge-base links.
    """

    code = models.CharField(_("code"), max_length=12, primary_key=True, help_text=_("ISO 639"))
    name = models.CharField(_("name"), max_length=100)
    native_name = models.CharField(_("name in the language itself"), max_length=100, blank=True)
    rtl = models.BooleanField(_("written right to left"), default=False)
    interface_language = models.CharField(
        _("site language for its speakers"), max_length=12, blank=True
    )
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    is_active = models.BooleanField(_("active"), default=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True, editable=False)

    objects = CodedEntryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self):
        return self.name or self.code

    retire = CodedEntry.retire
    reactivate = CodedEntry.reactivate
