"""Personal API tokens: created by an administrator, shown once, stored as a SHA-256 digest."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.api.models import ApiToken
from helpdesk.privacy.audit import audit_record

TOKEN_PREFIX = "ilt_"  # noqa: S105 - a marker, not a secret
# 32 random bytes (256 bits): the digest needs no salt or slow hash, guessing is hopeless.
SECRET_BYTES = 32
# What people see to tell tokens apart: "ilt_" and 8 characters of the token.
VISIBLE_LENGTH = len(TOKEN_PREFIX) + 8


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    raw: str  # shown once, never stored


def api_token_create(
    *, user, name: str, created_by, expires_at: datetime | None = None
) -> NewToken:
    """Make a token acting as `user`. The raw token is returned once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Say what the token is for.")})
    if not user.is_active:
        raise ValidationError({"user": _("This account is not active.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry date is in the past.")})
    with transaction.atomic():
        while True:
            raw = TOKEN_PREFIX + secrets.token_urlsafe(SECRET_BYTES)
            prefix = raw[:VISIBLE_LENGTH]
            if not ApiToken.objects.filter(prefix=prefix).exists():
                break
        token = ApiToken.objects.create(
            user=user,
            name=name[:100],
            prefix=prefix,
            digest=token_digest(raw),
            created_by=created_by,
            expires_at=expires_at,
        )
        audit_record(
            actor=created_by,
            action="api.token_created",
            target=user,
            details={"token": prefix},
        )
    return NewToken(token=token, raw=raw)


def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    """Stop the token working at once (idempotent); the row stays for the record."""
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        token.refresh_from_db()
        if updated:
            audit_record(
                actor=actor,
                action="api.token_revoked",
                target=token.user,
                details={"token": token.prefix},
            )
    return token


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The usable token for `raw`, with its user, or None; notes when it was last used."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(raw)).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    touch = timedelta(seconds=settings.API_TOKEN_TOUCH_SECONDS)
    if token.last_used_at is None or now - token.last_used_at >= touch:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
