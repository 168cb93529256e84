"""The coded lists coordinators maintain: topics, requester types, outcomes, referrals, languages.

Statistics count these codes over many years, so an entry in use is retired, never deleted:
tickets point at them with PROTECT, and the admin offers "retire" instead of "delete".
"""

import uuid

from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ListVersion(models.Model):
    """A token that changes whenever a coded list (or the queues) changes; a second one
    (STAFF) whenever a user or a queue's membership does.

    The ticket page keeps the translated lists in memory per token (selectors/lists.py) and
    reads only these two rows per request. The token is random, never a counter: a change in a
    transaction that rolls back restores the old token, and a later change must not reuse the
    rolled-back one (its cached lists would be the discarded ones).
    """

    CODED_LISTS = "coded-lists"
    # The queues' active members by name (the ticket page's assignee list): users (their saves,
    # deletes and bulk writes, models/user.py) and queue memberships change it (models/queue.py).
    STAFF = "staff"

    name = models.CharField(max_length=50, primary_key=True)
    token = models.CharField(max_length=32)

    def __str__(self):
        return f"{self.name}: {self.token}"

    @classmethod
    def bump(cls, name: str = CODED_LISTS) -> None:
        token = uuid.uuid4().hex
        if not cls.objects.filter(name=name).update(token=token):
            cls.objects.update_or_create(name=name, defaults={"token": token})


def bump_list_version(**_kwargs) -> None:
    ListVersion.bump()


class CodedEntryQuerySet(models.QuerySet):
    """Bulk writes skip the save/delete signals, so they change the list version themselves."""

    def active(self):
        return self.filter(is_active=True)

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        ListVersion.bump()
        return rows

    def bulk_create(self, *args, **kwargs):
        created = super().bulk_create(*args, **kwargs)
        ListVersion.bump()
        return created

    def bulk_update(self, *args, **kwargs):
        rows = super().bulk_update(*args, **kwargs)
        ListVersion.bump()
        return rows


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


for _model in (Topic, RequesterType, Outcome, ReferralOrganisation, Language):
    post_save.connect(
        bump_list_version, sender=_model, dispatch_uid=f"list-version-{_model.__name__}"
    )
    post_delete.connect(
        bump_list_version, sender=_model, dispatch_uid=f"list-version-del-{_model.__name__}"
    )
