"""Login throttling: guessing is slowed per account and per address, revealing nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from helpdesk.privacy.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")


def attempt(client, username, password="wrong", **extra):
    extra.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def fail(client, username, times, **extra):
    for _ in range(times):
        response = attempt(client, username, **extra)
        assert response.status_code == 200
        assert "correct username and password" in response.content.decode()


def test_after_five_failures_even_the_right_password_is_refused(client, ines, settings):
    settings.LOGIN_THROTTLE_PER_ACCOUNT = 5
    fail(client, "ines", 5)
    response = attempt(client, "ines", "password")
    assert "Too many failed attempts. Try again in 15 minutes." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_BLOCKED).count() == 1


def test_unknown_names_are_throttled_exactly_like_real_ones(client, ines):
    fail(client, "ines", 5)
    fail(client, "nobody-by-this-name", 5)
    real = attempt(client, "ines")
    unknown = attempt(client, "nobody-by-this-name")
    assert "Too many failed attempts" in real.content.decode()
    assert real.status_code == unknown.status_code
    assert real.context["form"].errors == unknown.context["form"].errors


def test_the_account_name_is_matched_whatever_its_case(client, ines):
    fail(client, "ines", 3)
    fail(client, "INES", 2)
    assert "Too many failed attempts" in attempt(client, "Ines").content.decode()


def test_many_failures_from_one_address_lock_that_address(client, ines, settings):
    settings.LOGIN_THROTTLE_PER_ADDRESS = 8
    for i in range(8):
        attempt(client, f"guess{i}", REMOTE_ADDR="203.0.113.9")
    blocked = attempt(client, "ines", "password", REMOTE_ADDR="203.0.113.9")
    assert "Too many failed attempts" in blocked.content.decode()
    # A colleague at another address is not affected.
    assert attempt(client, "ines", "password", REMOTE_ADDR="198.51.100.1").status_code == 302


def test_the_lock_lifts_when_the_oldest_failure_leaves_the_window(client, ines, monkeypatch):
    fail(client, "ines", 5)
    assert "Too many" in attempt(client, "ines", "password").content.decode()
    later = timezone.now() + timedelta(minutes=16)
    monkeypatch.setattr("helpdesk.privacy.auth.timezone.now", lambda: later)
    assert attempt(client, "ines", "password").status_code == 302


def test_refused_attempts_do_not_extend_the_lock(client, ines, monkeypatch):
    fail(client, "ines", 5)
    for _ in range(10):
        attempt(client, "ines")
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 5
    later = timezone.now() + timedelta(minutes=16)
    monkeypatch.setattr("helpdesk.privacy.auth.timezone.now", lambda: later)
    assert attempt(client, "ines", "password").status_code == 302


def test_the_admin_login_is_throttled_too(client, adam):
    admin_login = reverse("admin:login")
    for _ in range(5):
        client.post(admin_login, {"username": "adam", "password": "wrong"})
    client.post(admin_login, {"username": "adam", "password": "password"})
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_BLOCKED).exists()


def test_a_name_with_a_nul_character_is_an_ordinary_failure(client, db):
    response = attempt(client, "ad\x00am")
    assert response.status_code == 200
