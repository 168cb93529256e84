"""Two-factor authentication: required for administrators and coordinators, optional for others."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from helpdesk.privacy.middleware import LAST_SEEN_KEY, LOGGED_IN_KEY
from helpdesk.privacy.models import AuditAction, AuditEntry

from .two_factor import current_code

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")
SETUP = reverse("privacy:otp_setup")
VERIFY = reverse("privacy:otp_verify")
INBOX = reverse("helpdesk:inbox")


def log_in(client, username, password="password", next_url=""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data, HTTP_ACCEPT_LANGUAGE="en")


def enrol(client, user) -> tuple[TOTPDevice, list[str]]:
    """Go through the set-up page as the person would, with their phone's code."""
    assert client.get(SETUP).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETUP, {"code": current_code(device)})
    assert response.status_code == 200
    codes = re.findall(r"<code>(\d{8})</code>", response.content.decode())
    device.refresh_from_db()
    return device, codes


def test_a_coordinator_sets_it_up_on_first_login_before_anything_else(client, cora):
    response = log_in(client, "cora", next_url="/admin/")
    assert response.url == "/admin/"
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(SETUP)
    assert client.get(INBOX).url.startswith(SETUP)

    page = client.get(SETUP).content.decode()
    assert 'src="data:image/svg+xml' in page  # the QR code is made here, no third party
    device, codes = enrol(client, cora)
    assert device.confirmed
    assert len(codes) == 10
    assert client.get("/admin/").status_code == 200
    assert AuditEntry.objects.filter(action=AuditAction.OTP_ENROLLED, actor=cora).exists()


def test_a_wrong_code_does_not_confirm_the_device(client, cora):
    log_in(client, "cora")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=cora)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"code": wrong}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/admin/").status_code == 302


def test_the_code_is_asked_at_every_later_login(client, adam):
    log_in(client, "adam")
    device, _codes = enrol(client, adam)
    client.post(reverse("logout"))

    log_in(client, "adam", next_url="/admin/")
    response = client.get("/admin/")
    assert response.url == f"{VERIFY}?next=%2Fadmin%2F"
    response = client.post(
        VERIFY, {"code": current_code(device, offset_steps=1), "next": "/admin/"}
    )
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert AuditEntry.objects.filter(action=AuditAction.OTP_VERIFIED, actor=adam).exists()


def test_a_code_cannot_be_used_twice(client, adam):
    log_in(client, "adam")
    device, _codes = enrol(client, adam)
    used = current_code(device)
    client.post(reverse("logout"))
    log_in(client, "adam")
    response = client.post(VERIFY, {"code": used})
    assert response.status_code == 400


def test_wrong_codes_slow_the_next_tries_down(client, adam):
    TOTPDevice.objects.create(user=adam, name="phone", confirmed=True)
    log_in(client, "adam")
    assert client.post(VERIFY, {"code": "000000"}).status_code == 400
    # Even the right code is refused while the device waits (1, 2, 4, 8... seconds).
    device = TOTPDevice.objects.get(user=adam)
    response = client.post(VERIFY, {"code": current_code(device)}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Wait" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert AuditEntry.objects.filter(action=AuditAction.OTP_FAILED).count() == 2


def test_a_backup_code_works_once(client, adam):
    log_in(client, "adam")
    _device, codes = enrol(client, adam)
    client.post(reverse("logout"))
    log_in(client, "adam")
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert client.get(INBOX).status_code == 200
    client.post(reverse("logout"))
    log_in(client, "adam")
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 400
    assert StaticToken.objects.filter(device__user=adam).count() == 9


def test_others_may_turn_it_on_and_are_then_asked_for_it(client, ines):
    assert log_in(client, "ines").url == reverse("helpdesk:inbox")
    assert client.get(INBOX).status_code == 200  # not required: straight in
    device, _codes = enrol(client, ines)
    client.post(reverse("logout"))
    log_in(client, "ines")
    assert client.get(INBOX).url.startswith(VERIFY)
    client.post(VERIFY, {"code": current_code(device, offset_steps=1)})
    assert client.get(INBOX).status_code == 200
    client.post(reverse("privacy:otp_turn_off"))
    assert not TOTPDevice.objects.filter(user=ines).exists()


def test_it_cannot_be_turned_off_where_the_role_needs_it(client, cora):
    client.force_login(cora)
    client.post(reverse("privacy:otp_turn_off"))
    assert TOTPDevice.objects.filter(user=cora, confirmed=True).exists()


def test_everyone_needs_it_when_the_setting_says_so(client, ines, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_ALL = True
    log_in(client, "ines")
    assert client.get(INBOX).url.startswith(SETUP)


def test_a_new_phone_can_only_be_registered_from_a_verified_session(client, adam):
    TOTPDevice.objects.create(user=adam, name="old phone", confirmed=True)
    log_in(client, "adam")  # the password alone, as a thief would have it
    response = client.get(SETUP)
    assert response.url.startswith(VERIFY)
    assert not TOTPDevice.objects.filter(user=adam, confirmed=False).exists()


def test_the_api_answers_json_before_the_second_factor(client, cora):
    client.force_login(cora, second_factor=False)
    response = client.get("/api/", HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert response.json()["detail"]


def test_logging_out_and_password_reset_stay_reachable_before_the_second_factor(client, cora):
    client.force_login(cora, second_factor=False)
    assert client.get(reverse("password_reset")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_session_left_idle_ends(client, ines, settings):
    settings.SESSION_IDLE_TIMEOUT = 60 * 60
    client.force_login(ines)
    assert client.get(INBOX).status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = int((timezone.now() - timedelta(hours=2)).timestamp())
    session.save()
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    assert "_auth_user_id" not in client.session
    entries = AuditEntry.objects.filter(actor=ines).values_list("action", flat=True)
    assert AuditAction.SESSION_EXPIRED in entries
    assert AuditAction.LOGOUT not in entries


def test_the_device_admin_never_shows_a_secret(client, adam, cora):
    device = TOTPDevice.objects.create(user=cora, name="phone", confirmed=True)
    client.force_login(adam)
    for url in (
        reverse("admin:otp_totp_totpdevice_changelist"),
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
    ):
        body = client.get(url).content.decode()
        assert device.key not in body
        assert "otpauth" not in body
    response = client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    entry = AuditEntry.objects.get(action=AuditAction.OTP_REMOVED)
    assert (entry.actor, entry.target_id) == (adam, str(cora.pk))


def test_the_manage_page_shows_the_state(client, adam):
    client.force_login(adam)
    body = client.get(reverse("privacy:otp"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "cannot be turned off" in body
    response = client.post(reverse("privacy:otp_backup_codes"))
    assert len(re.findall(r"<code>\d{8}</code>", response.content.decode())) == 10


def test_a_busy_session_still_ends_after_a_working_day(client, ines, settings):
    settings.SESSION_COOKIE_AGE = 8 * 60 * 60
    client.force_login(ines)
    session = client.session
    session[LOGGED_IN_KEY] = int((timezone.now() - timedelta(hours=9)).timestamp())
    session.save()
    response = client.get(INBOX)  # active a minute ago, but logged in nine hours ago
    assert response.url.startswith(LOGIN)
    entry = AuditEntry.objects.get(action=AuditAction.SESSION_EXPIRED)
    assert entry.details == {"why": "age"}


def test_the_status_follows_the_role_and_the_devices(ines, cora, django_assert_num_queries):
    from django_otp.plugins.otp_static.models import StaticDevice

    from helpdesk.privacy import otp

    with django_assert_num_queries(1):
        assert otp.second_factor_status(ines) == (False, False)  # optional for info-line staff
    assert otp.second_factor_status(cora) == (True, False)  # required for coordinators
    TOTPDevice.objects.create(user=ines, name="authenticator", confirmed=False)
    assert otp.second_factor_status(ines) == (False, False)  # set up, not confirmed yet
    codes = StaticDevice.objects.create(user=ines, name="backup", confirmed=True)
    assert otp.second_factor_status(ines) == (False, False)  # backup codes, all used up
    codes.token_set.create(token="12345678")
    assert otp.second_factor_status(ines) == (False, True)
    TOTPDevice.objects.create(user=cora, name="authenticator", confirmed=True)
    assert otp.second_factor_status(cora) == (True, True)
