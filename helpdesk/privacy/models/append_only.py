"""Rows the application writes once and never changes: the audit log and the rights requests.

The only way to remove them is `prune()`, which the retention job calls for rows past their
retention period. On PostgreSQL a trigger (migration 0002) refuses UPDATE and DELETE from any
other path as well (a DELETE passes only where PRUNE_SETTING is on in the transaction), so a bug, a careless shell session or a future admin action cannot
rewrite history.
"""

from django.db import connection, models, transaction
from django.utils.translation import gettext_lazy as _

# The PostgreSQL trigger lets a DELETE through only inside a transaction that set this.
PRUNE_SETTING = "infolijn.audit_prune"


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(_("%(model)s rows cannot be changed.") % self._names())

    def delete(self):
        raise AppendOnlyError(
            _("%(model)s rows are only removed by the retention job.") % self._names()
        )

    def _names(self):
        return {"model": self.model._meta.verbose_name_plural}

    def prune(self) -> int:
        """Delete these rows: the retention job's path, and the only one."""
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config(%s, 'on', true)", [PRUNE_SETTING])
            deleted, _per_model = models.QuerySet.delete(self)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config(%s, 'off', true)", [PRUNE_SETTING])
        return deleted


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(_("%(model)s rows cannot be changed.") % self._names())
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(
            _("%(model)s rows are only removed by the retention job.") % self._names()
        )

    def _names(self):
        return {"model": self._meta.verbose_name_plural}
