"""Password reset: the same answer whether an account exists or not, the link on our own site."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from helpdesk.privacy.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db
RESET = reverse("password_reset")


def ask(client, email, **extra):
    extra.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
    return client.post(RESET, {"email": email}, **extra)


def test_the_answer_is_the_same_whether_or_not_an_account_exists(
    client, ines, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = ask(client, "ines@infolijn.test")
        unknown = ask(client, "nobody@infolijn.test")
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("password_reset_done")
    done = client.get(known.url).content.decode()
    assert "If an account uses the address" in done
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ines@infolijn.test"]


def test_the_link_points_at_our_site_not_at_the_host_the_request_named(
    client, ines, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://infolijn.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "ines@infolijn.test", HTTP_HOST="evil.example.com")
    body = mail.outbox[0].body
    assert "evil.example.com" not in body
    link = re.search(r"https://infolijn\.example\.org(/accounts/reset/\S+/)", body).group(1)
    # The link works once: set a new password through it.
    response = client.get(link)
    assert response.status_code == 302  # to the token-less URL Django keeps in the session
    form_url = response.url
    response = client.post(
        form_url,
        {"new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"},
    )
    assert response.status_code == 302
    ines.refresh_from_db()
    assert ines.check_password("a-long-new-passphrase")
    assert AuditEntry.objects.filter(action=AuditAction.PASSWORD_RESET, actor=ines).exists()
    assert client.get(link).status_code == 200  # shown as "does not work" now
    assert "does not work" in client.get(link, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_mail_is_written_in_the_language_of_the_page(
    client, ines, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "ines@infolijn.test", HTTP_ACCEPT_LANGUAGE="en")
    assert "choose a new password" in mail.outbox[0].subject


def test_requests_are_limited_silently(client, ines, settings, django_capture_on_commit_callbacks):
    settings.PASSWORD_RESET_PER_HOUR = 2
    with django_capture_on_commit_callbacks(execute=True):
        responses = [ask(client, "ines@infolijn.test") for _ in range(4)]
    assert {r.url for r in responses} == {reverse("password_reset_done")}
    assert len(mail.outbox) == 2
    entries = AuditEntry.objects.filter(action=AuditAction.PASSWORD_RESET_REQUESTED)
    assert [e.details["sent"] for e in entries.order_by("id")] == [1, 1, 0, 0]
    assert "ines@infolijn.test" not in str(list(entries.values_list()))


def test_the_pages_use_our_layout(client, db):
    body = client.get(RESET).content.decode()
    assert 'class="skip-link"' in body
    assert "django-admin" not in body
