from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .append_only import AppendOnlyModel


class AuditAction(models.TextChoices):
    """What happened. Apps may record other codes ("area.verb"); add them here to name them."""

    LOGIN = "auth.login", _("Logged in (password)")
    LOGIN_FAILED = "auth.login_failed", _("Failed to log in")
    LOGIN_BLOCKED = "auth.login_blocked", _("Login refused: too many failures")
    LOGOUT = "auth.logout", _("Logged out")
    SESSION_EXPIRED = "auth.session_expired", _("Session expired (idle)")
    OTP_VERIFIED = "auth.otp_verified", _("Second factor verified")
    OTP_FAILED = "auth.otp_failed", _("Wrong second-factor code")
    OTP_ENROLLED = "auth.otp_enrolled", _("Two-factor authentication set up")
    OTP_REMOVED = "auth.otp_removed", _("Two-factor device removed")
    BACKUP_CODES = "auth.backup_codes", _("New backup codes made")
    PASSWORD_RESET_REQUESTED = "auth.password_reset_requested", _("Password reset requested")
    PASSWORD_RESET = "auth.password_reset", _("Password set through a reset link")
    PASSWORD_CHANGED = "auth.password_changed", _("Password changed")
    TICKET_VIEW = "ticket.view", _("Viewed a ticket")
    TICKET_CHANGE = "ticket.change", _("Changed a ticket")
    TICKET_MESSAGE = "ticket.message", _("Answered or noted on a ticket")
    ATTACHMENT_DOWNLOAD = "attachment.download", _("Downloaded an attachment")
    TICKET_PSEUDONYMISE = "ticket.pseudonymise", _("Removed a ticket's personal data")
    CONTACT_VIEW = "contact.view", _("Viewed a person's data")
    CONTACT_SEARCH = "contact.search", _("Searched people")
    CONTACT_CHANGE = "contact.change", _("Corrected a person's data")
    CONTACT_EXPORT = "contact.export", _("Exported a person's data")
    CONTACT_ERASE = "contact.erase", _("Erased a person's data on request")
    CONTACT_PSEUDONYMISE = "contact.pseudonymise", _("Removed a person's data")
    RETENTION_RUN = "retention.run", _("Retention applied")
    ADMIN_CHANGE = "admin.change", _("Changed settings (admin)")
    STATS_EXPORT = "stats.export", _("Exported statistics")
    DATA_EXPORT = "data.export", _("Exported data")


class AuditEntry(AppendOnlyModel):
    """One thing someone did: who, what, to what, when, from where.

    Entries never hold a requester's personal data (a ticket is named by its reference, a person
    by their number), so the log may outlive the tickets it mentions: it has its own, longer
    retention (PRIVACY_AUDIT_RETENTION_DAYS). The actor is kept as an id and a name at the time,
    without a database constraint, so deleting a user rewrites nothing here.
    """

    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_label = models.CharField(_("who (at the time)"), max_length=150, blank=True)
    action = models.CharField(_("what"), max_length=40, choices=AuditAction.choices)
    target_type = models.CharField(_("kind of target"), max_length=40, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_label = models.CharField(_("target"), max_length=150, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # A keyed hash of what was typed (a user name, an email address) for counting attempts
    # without storing it: the login throttle and password-reset limit count on it.
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["-at", "-id"], name="audit_recent_idx"),
            # Each filter of the audit page, in the page's order: the newest entries come
            # straight from the index however long the log is.
            models.Index(fields=["actor_label", "-at", "-id"], name="audit_actor_idx"),
            models.Index(fields=["target_label", "-at", "-id"], name="audit_target_label_idx"),
            models.Index(
                fields=["target_type", "target_id", "-at", "-id"], name="audit_target_idx"
            ),
            models.Index(fields=["action", "-at", "-id"], name="audit_action_idx"),
            models.Index(
                fields=["fingerprint", "action", "at"],
                condition=~Q(fingerprint=""),
                name="audit_fingerprint_idx",
            ),
            models.Index(
                fields=["ip", "action", "at"],
                condition=Q(action__startswith="auth."),
                name="audit_auth_ip_idx",
            ),
        ]

    def __str__(self):
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_label or '-'} {self.action} {self.target_label}"
        )
