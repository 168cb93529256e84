"""Logging in: throttling against guessing, and password reset that reveals nothing.

Throttling counts failures in the audit log rather than in the cache: the default cache is
per process (LocMem), so with four web workers an attacker would get four times the attempts and a
restart would forget them all, while the audit log is shared by every process, survives restarts,
and records every failure anyway. The count is one indexed query per login attempt.

Failures are counted per account (a keyed hash of the user name typed, so unknown names are
throttled exactly like real ones and never stored) and per client address (higher, since an
office shares one). A refused attempt is logged as "blocked" but not counted, so a lock lifts
once the oldest failure leaves the window: an attacker gets LOGIN_THROTTLE_PER_ACCOUNT guesses
per window, and a colleague is never locked out for longer than the window.
"""

import math
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import connection
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import ngettext

from config.sql import orm_values
from config.tasks import enqueue_on_commit
from helpdesk.privacy.audit import AuditAction, audit_record, client_ip, fingerprint_of
from helpdesk.privacy.models import AuditEntry

USERNAME_KIND = "username"
EMAIL_KIND = "email"


def _wait_seconds(entries, limit: int, window: timedelta, now) -> int:
    """Seconds until fewer than `limit` of `entries` (newest first) fall inside the window."""
    if limit <= 0:
        return 0
    times = list(entries.order_by("-at").values_list("at", flat=True)[:limit])
    if len(times) < limit:
        return 0
    return max(0, math.ceil((times[-1] + window - now).total_seconds()))


def login_wait_seconds(request, username: str) -> int:
    """0 if a password may be checked now for `username` from this client, else how long to wait."""
    now = timezone.now()
    window = timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)
    failures = AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED, at__gte=now - window)
    wait = _wait_seconds(
        failures.filter(fingerprint=fingerprint_of(USERNAME_KIND, username)),
        settings.LOGIN_THROTTLE_PER_ACCOUNT,
        window,
        now,
    )
    ip = client_ip(request)
    if ip:
        wait = max(
            wait,
            _wait_seconds(failures.filter(ip=ip), settings.LOGIN_THROTTLE_PER_ADDRESS, window, now),
        )
    return wait


def wait_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed attempts. Try again in %(minutes)d minute.",
        "Too many failed attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


class ThrottledModelBackend(ModelBackend):
    """Django's model backend, which refuses to check a password while throttled.

    Every way of logging in (our login page, the admin's, the API) goes through authenticate(),
    so every one is throttled. PermissionDenied stops authenticate() and sends user_login_failed,
    which the audit log records as a blocked attempt.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        if "\x00" in str(username):
            return None  # no such user name can exist; PostgreSQL refuses NUL in a query
        if login_wait_seconds(request, str(username)):
            if request is not None:
                request.privacy_login_blocked = True
            raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        """ModelBackend's (the user, if they may still log in), in one statement: every request
        of a logged-in person loads its user, and the ORM's query cost four times its running
        (0.40 against 0.10 ms of CPU)."""
        user = _user_by_id(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        """ModelBackend's answer (the user's own permissions and their groups'), in one query.

        Every staff page asks (the ticket worker check), so this runs on most requests: Django's
        two ORM queries cost about 1.5 ms of CPU to build, this statement a fifth of that.
        Superusers keep Django's path (every permission).
        """
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = _permissions_of(user_obj.pk)
        return user_obj._perm_cache


def _user_by_id(user_id):
    """The user `user_id` as `User.objects.get(pk=...)` would give it (every column, through
    the database's converters), or None."""
    model = get_user_model()
    meta = model._meta
    fields = meta.concrete_fields
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(q(f.column) for f in fields)} FROM {q(meta.db_table)}"  # noqa: S608 (model table)
            f" WHERE {q(meta.pk.column)} = %s",
            [meta.pk.get_db_prep_value(user_id, connection)],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    values = orm_values(model, [f.name for f in fields], row)
    return model.from_db(connection.alias, [f.attname for f in fields], values)


def _permissions_of(user_id) -> set[str]:
    """ "app_label.codename" of every permission `user_id` holds directly or through a group."""
    user_model = get_user_model()
    own = user_model.user_permissions.through._meta
    membership = user_model.groups.through._meta
    q = connection.ops.quote_name
    sql = (
        f"SELECT ct.app_label, p.codename FROM {q(Permission._meta.db_table)} p"  # noqa: S608 (model tables)
        f" JOIN {q(ContentType._meta.db_table)} ct ON ct.id = p.content_type_id"
        f" WHERE p.id IN (SELECT permission_id FROM {q(own.db_table)} WHERE"
        f" {q(own.get_field(user_model._meta.model_name).column)} = %s)"
        " OR p.id IN (SELECT gp.permission_id"
        f" FROM {q(Group.permissions.through._meta.db_table)} gp"
        f" JOIN {q(membership.db_table)} ug ON ug.group_id = gp.group_id"
        f" WHERE ug.{q(membership.get_field(user_model._meta.model_name).column)} = %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, user_id])
        return {f"{app_label}.{codename}" for app_label, codename in cursor.fetchall()}


class LoginForm(AuthenticationForm):
    """The login form, saying plainly when the attempt is throttled (for known and unknown names
    alike, so it reveals nothing about which accounts exist)."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username is not None and self.cleaned_data.get("password"):
            wait = login_wait_seconds(self.request, username)
            if wait:
                audit_record(
                    action=AuditAction.LOGIN_BLOCKED,
                    target_type="user",
                    request=self.request,
                    fingerprint=fingerprint_of(USERNAME_KIND, username),
                )
                raise forms.ValidationError(wait_message(wait), code="throttled")
        return super().clean()


# --- Password reset --------------------------------------------------------------------------


def reset_requests_exhausted(request, fingerprint: str) -> bool:
    since = timezone.now() - timedelta(hours=1)
    recent = AuditEntry.objects.filter(action=AuditAction.PASSWORD_RESET_REQUESTED, at__gte=since)
    limit = settings.PASSWORD_RESET_PER_HOUR
    if recent.filter(fingerprint=fingerprint)[:limit].count() >= limit:
        return True
    ip = client_ip(request)
    return bool(ip) and recent.filter(ip=ip)[: limit * 3].count() >= limit * 3


class QuietPasswordResetForm(PasswordResetForm):
    """Password reset that answers the same whether or not an account has the address.

    The mail is written and sent by a task, so the answer does not take longer when there is an
    account; requests per address and per client are limited (silently, again revealing
    nothing); the link points at SITE_URL, never at the Host header of the request.
    """

    def save(self, *args, request=None, **kwargs):
        email = self.cleaned_data["email"]
        fingerprint = fingerprint_of(EMAIL_KIND, email)
        users = list(self.get_users(email))
        exhausted = reset_requests_exhausted(request, fingerprint)
        audit_record(
            action=AuditAction.PASSWORD_RESET_REQUESTED,
            target=users[0] if len(users) == 1 else None,
            target_type="user",
            request=request,
            fingerprint=fingerprint,
            details={"accounts": len(users), "sent": 0 if exhausted else len(users)},
        )
        if exhausted:
            return
        language = translation.get_language() or settings.LANGUAGE_CODE
        for user in users:
            enqueue_on_commit(send_password_reset, user.pk, language)


@task(queue_name="mail")
def send_password_reset(user_id: int, language: str):
    """Mail a password reset link to an active user with a usable password.

    Run again (a retry), it sends a second link, which is harmless: both work until one is used.
    """
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password() or not user.email:
        return
    with translation.override(language):
        path = reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        context = {
            "user": user,
            "link": f"{settings.SITE_URL}{path}",
            "site_name": settings.SITE_NAME,
            "valid_hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600),
        }
        subject = "".join(
            render_to_string("registration/password_reset_subject.txt", context).splitlines()
        )
        body = render_to_string("registration/password_reset_email.txt", context)
    EmailMessage(subject, body, to=[user.email]).send()
