"""Receivers that feed the audit log from events other code already announces.

- logins, logouts and failed logins (django.contrib.auth signals);
- every ticket change (a TicketEvent row) and every answer or note (an authored Message),
  mirrored with a link to the event or message, so "what did this person do" is one query on one
  table, and the log keeps the trail after a ticket's details are pseudonymised;
- changes made in the admin (Django's own LogEntry), which is where roles and queues change;
- a two-factor device deleted (an administrator resetting a lost phone).
"""

import time

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from helpdesk.models import Message, TicketEvent
from helpdesk.privacy.audit import AuditAction, audit_record, current_user, fingerprint_of
from helpdesk.privacy.auth import USERNAME_KIND
from helpdesk.privacy.middleware import LAST_SEEN_KEY, LOGGED_IN_KEY


@receiver(user_logged_in, dispatch_uid="privacy_audit_login")
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        # The clocks start at login (and the first page need not write the session).
        request.session[LAST_SEEN_KEY] = request.session[LOGGED_IN_KEY] = int(time.time())
    audit_record(actor=user, action=AuditAction.LOGIN, target=user, request=request)


@receiver(user_logged_out, dispatch_uid="privacy_audit_logout")
def on_logout(sender, request, user, **kwargs):
    if user is None or getattr(request, "privacy_session_expired", False):
        return  # an expired session's end is logged as such
    audit_record(actor=user, action=AuditAction.LOGOUT, target=user, request=request)


@receiver(user_login_failed, dispatch_uid="privacy_audit_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    User = get_user_model()
    username = str(credentials.get(User.USERNAME_FIELD) or credentials.get("username") or "")
    blocked = getattr(request, "privacy_login_blocked", False)
    # Only a real account's name is written down: a password typed into the user-name field
    # by mistake must never land in the log. Unknown names are counted by their fingerprint.
    account = (
        User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
        if username and "\x00" not in username
        else None
    )
    audit_record(
        action=AuditAction.LOGIN_BLOCKED if blocked else AuditAction.LOGIN_FAILED,
        target=account,
        target_type="user",
        request=request,
        fingerprint=fingerprint_of(USERNAME_KIND, username),
        details={} if account else {"account": "unknown"},
    )


@receiver(post_save, sender=TicketEvent, dispatch_uid="privacy_audit_ticket_event")
def on_ticket_event(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    details = {"event": instance.pk, "kind": instance.kind}
    if field := instance.data.get("field"):
        details["field"] = field
    audit_record(
        actor=instance.actor,
        action=AuditAction.TICKET_CHANGE,
        target=instance.ticket,
        details=details,
        at=instance.created_at,
    )


@receiver(post_save, sender=Message, dispatch_uid="privacy_audit_message")
def on_message(sender, instance, created, raw=False, **kwargs):
    if not created or raw or instance.author_id is None:
        return  # what requesters send is not something a user did
    audit_record(
        actor=instance.author,
        action=AuditAction.TICKET_MESSAGE,
        target=instance.ticket,
        details={"message": instance.pk, "direction": instance.direction},
        at=instance.created_at,
    )


_ADMIN_FLAGS = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}


@receiver(post_save, sender=LogEntry, dispatch_uid="privacy_audit_admin")
def on_admin_change(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    content_type = instance.content_type
    audit_record(
        actor=instance.user,
        action=AuditAction.ADMIN_CHANGE,
        target_type=content_type.model_class()._meta.label_lower if content_type else "",
        target_id=instance.object_id or "",
        # The admin's own words about the change: field names, never the values.
        details={
            "flag": _ADMIN_FLAGS.get(instance.action_flag, str(instance.action_flag)),
            "change": instance.get_change_message()[:500],
        },
    )


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="privacy_audit_totp_removed")
@receiver(post_delete, sender=StaticDevice, dispatch_uid="privacy_audit_static_removed")
def on_device_removed(sender, instance, **kwargs):
    actor = current_user()
    if actor is None or actor.pk == instance.user_id or not instance.confirmed:
        return  # people's own changes are logged by the service that made them
    audit_record(
        actor=actor,
        action=AuditAction.OTP_REMOVED,
        target_type="user",
        target_id=instance.user_id,
        details={"device": instance.name},
    )
