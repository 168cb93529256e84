"""Two-factor authentication: who must use it, and the devices (an authenticator app, TOTP, with
single-use backup codes for a lost phone), on django-otp.

Rules:
- anyone who can open the admin (is_staff, superuser), anyone in TWO_FACTOR_REQUIRED_GROUPS
  (administrators and coordinators) and, with TWO_FACTOR_REQUIRED_FOR_ALL, everyone must use it:
  on their first login they set it up before anything else;
- anyone else may turn it on, and is then asked for it at every login;
- a session counts as verified only after a code, and stays so until it ends.
"""

import base64
import secrets

import segno
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from helpdesk.models import User
from helpdesk.privacy.audit import AuditAction, audit_record

APP_DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup"
BACKUP_CODE_COUNT = 10
BACKUP_CODE_LENGTH = 8


def _requirement_by_flags(user) -> bool:
    return bool(settings.TWO_FACTOR_REQUIRED_FOR_ALL or user.is_superuser or user.is_staff)


def second_factor_status(user) -> tuple[bool, bool]:
    """(required, enrolled) for `user`, in one query.

    It runs on every request of a session not verified by a code (most staff: the second factor
    is optional for them), so it is one SQL statement: built with the ORM (three EXISTS
    subqueries) it cost about 2 ms of CPU to compile, for a statement the database answers in a
    tenth of a millisecond.
    """
    by_flags = _requirement_by_flags(user)
    q = connection.ops.quote_name
    membership = User.groups.through._meta
    user_column = q(membership.get_field(User._meta.model_name).column)
    groups = list(settings.TWO_FACTOR_REQUIRED_GROUPS)
    params: list = []
    if by_flags or not groups:
        required = "%s"
        params.append(by_flags)
    else:
        required = (
            f"EXISTS(SELECT 1 FROM {q(membership.db_table)} ug"  # noqa: S608 (model tables)
            f" JOIN {q(Group._meta.db_table)} g ON g.id = ug.group_id"
            f" WHERE ug.{user_column} = %s AND g.name IN ({', '.join(['%s'] * len(groups))}))"
        )
        params += [user.pk, *groups]
    # A device counts once confirmed; backup codes only while some are left.
    sql = (
        f"SELECT {required},"  # noqa: S608 (model tables)
        f" EXISTS(SELECT 1 FROM {q(TOTPDevice._meta.db_table)}"
        " WHERE user_id = %s AND confirmed = %s),"
        f" EXISTS(SELECT 1 FROM {q(StaticDevice._meta.db_table)} d"
        f" JOIN {q(StaticToken._meta.db_table)} t ON t.device_id = d.id"
        " WHERE d.user_id = %s AND d.confirmed = %s)"
    )
    params += [user.pk, True, user.pk, True]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        required_row, app, codes = cursor.fetchone()
    return bool(required_row), bool(app or codes)


def next_step(request) -> str | None:
    """What the logged-in user must do before using the site: "verify", "setup" or nothing."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return None
    required, enrolled = second_factor_status(user)
    if enrolled:
        return "verify"
    return "setup" if required else None


def is_required(user) -> bool:
    return second_factor_status(user)[0]


def app_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def pending_app_device(user) -> TOTPDevice:
    """The unconfirmed device being set up (made once per setup, reused on reload)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def device_qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI as an SVG QR code, made here: the secret never leaves our server."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def device_key_text(device: TOTPDevice) -> str:
    """The secret in base32 groups of four, to type into an app that cannot scan."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _new_backup_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [
        f"{secrets.randbelow(10**BACKUP_CODE_LENGTH):0{BACKUP_CODE_LENGTH}d}"
        for _ in range(BACKUP_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def confirm_app_device(request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the device being set up with a code from the app; return new backup codes.

    None when the code is wrong. The new device replaces any earlier one (a new phone), and the
    session counts as verified with it.
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=request.user)
    if not device.verify_token(_digits(code)):
        audit_record(actor=request.user, action=AuditAction.OTP_FAILED, target=request.user)
        return None
    TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_backup_codes(request.user)
    otp_login(request, device)
    request.session.cycle_key()
    audit_record(actor=request.user, action=AuditAction.OTP_ENROLLED, target=request.user)
    return codes


def regenerate_backup_codes(user) -> list[str]:
    codes = _new_backup_codes(user)
    audit_record(actor=user, action=AuditAction.BACKUP_CODES, target=user)
    return codes


@transaction.atomic
def turn_off(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(actor=user, action=AuditAction.OTP_REMOVED, target=user, details={"by": "self"})


def _digits(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isdigit() and ch.isascii())[:12]


def verify(request, code: str) -> tuple[bool, int]:
    """Check a code from the app or a backup code; (verified, seconds to wait if throttled).

    Each device throttles itself (django-otp): after every wrong code the next one is refused
    for 1, 2, 4, 8... seconds, so guessing six digits is hopeless.
    """
    user = request.user
    code = _digits(code)
    wait = 0
    # Backup codes have eight digits, the app's six: only the right kind of device is asked, so a
    # backup code does not count as a wrong app code (which would slow the next one down).
    model = StaticDevice if len(code) == BACKUP_CODE_LENGTH else TOTPDevice
    if code:
        with transaction.atomic():
            for device in model.objects.select_for_update().filter(user=user, confirmed=True):
                allowed, info = device.verify_is_allowed()
                if not allowed:
                    locked_until = (info or {}).get("locked_until")
                    if locked_until:
                        wait = max(wait, int((locked_until - timezone.now()).total_seconds()) + 1)
                    continue
                if device.verify_token(code):
                    otp_login(request, device)
                    request.session.cycle_key()
                    audit_record(
                        actor=user,
                        action=AuditAction.OTP_VERIFIED,
                        target=user,
                        details={"method": "backup" if model is StaticDevice else "app"},
                    )
                    return True, 0
    audit_record(actor=user, action=AuditAction.OTP_FAILED, target=user)
    return False, wait
