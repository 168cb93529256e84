"""Personal API tokens: made by an administrator on a page, shown once, stored hashed, revoked."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from helpdesk.api.models import ApiToken
from helpdesk.api.services.tokens import api_token_create, api_token_revoke

from .conftest import ApiClient, error_of

pytestmark = pytest.mark.django_db
PAGE = "/api/tokens/"
TOKEN_RE = re.compile(r"ilt_[A-Za-z0-9_-]{40,}")


def test_an_administrator_creates_a_token_and_sees_it_once(client, adam, ines, ticket):
    client.force_login(adam)
    response = client.post(PAGE, {"user": ines.pk, "name": "Report script"})
    assert response.status_code == 200
    raw = TOKEN_RE.search(response.content.decode()).group(0)
    assert response["Cache-Control"] == "no-store"

    token = ApiToken.objects.get()
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {token.prefix, token.digest, token.name}
    assert raw.startswith(token.prefix)

    listing = client.get(PAGE).content.decode()
    assert token.prefix in listing
    assert "Report script" in listing
    assert raw not in listing  # never shown again

    api = ApiClient(client.__class__(), raw)
    assert api.get("/api/v1/tickets/").status_code == 200


def test_a_token_records_when_it_was_last_used(ines):
    new = api_token_create(user=ines, name="x", created_by=None)
    assert new.token.last_used_at is None
    from django.test import Client

    ApiClient(Client(), new.raw).get("/api/v1/topics/")
    new.token.refresh_from_db()
    assert new.token.last_used_at is not None


def test_a_revoked_token_stops_working_at_once(client, adam, ines):
    new = api_token_create(user=ines, name="x", created_by=adam)
    client.force_login(adam)
    response = client.post(f"{PAGE}{new.token.pk}/revoke/")
    assert response.status_code == 302
    from django.test import Client

    refused = ApiClient(Client(), new.raw).get("/api/v1/topics/")
    assert refused.status_code == 401
    assert error_of(refused)["code"] == "authentication_failed"
    assert "revoked" in client.get(PAGE).content.decode().lower()


def test_an_expired_token_is_refused(ines):
    new = api_token_create(user=ines, name="x", created_by=None)
    ApiToken.objects.filter(pk=new.token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    from django.test import Client

    assert ApiClient(Client(), new.raw).get("/api/v1/topics/").status_code == 401


def test_a_token_of_a_deactivated_person_is_refused(ines):
    new = api_token_create(user=ines, name="x", created_by=None)
    ines.is_active = False
    ines.save()
    from django.test import Client

    assert ApiClient(Client(), new.raw).get("/api/v1/topics/").status_code == 401


@pytest.mark.parametrize("header", ["Bearer ilt_wrong", "Bearer", "Token a b", "Bearer nottoken"])
def test_a_wrong_token_gets_a_401_with_the_error_body(header):
    from django.test import Client

    response = Client().get("/api/v1/topics/", headers={"Authorization": header})
    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"


def test_a_token_follows_its_persons_queues_as_they_change(ticket, ines):
    new = api_token_create(user=ines, name="x", created_by=None)
    from django.test import Client

    api = ApiClient(Client(), new.raw)
    assert api.get(f"/api/v1/tickets/{ticket.reference}/").status_code == 200
    ines.queues.clear()
    assert api.get(f"/api/v1/tickets/{ticket.reference}/").status_code == 404


@pytest.mark.parametrize("persona", ["ines", "cora", "vera", "otto"])
def test_only_administrators_reach_the_token_page(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"user": 1, "name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_nobody_else_can_revoke_a_token(client, ines, otto):
    new = api_token_create(user=ines, name="x", created_by=None)
    client.force_login(otto)
    assert client.post(f"{PAGE}{new.token.pk}/revoke/").status_code == 403
    new.token.refresh_from_db()
    assert new.token.revoked_at is None


def test_creating_and_revoking_are_audited(adam, ines):
    from helpdesk.privacy.models import AuditEntry

    new = api_token_create(user=ines, name="x", created_by=adam)
    api_token_revoke(token=new.token, actor=adam)
    api_token_revoke(token=new.token, actor=adam)  # idempotent: logged once
    actions = list(AuditEntry.objects.values_list("action", flat=True).order_by("id"))
    assert actions == ["api.token_created", "api.token_revoked"]
    assert new.raw not in str(list(AuditEntry.objects.values_list("details", flat=True)))


def test_the_form_explains_what_is_missing(client, adam):
    client.force_login(adam)
    response = client.post(PAGE, {"name": "", "expires_on": "2000-01-01"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "This field is required" in body
    assert "Choose a day after today" in body
    assert not ApiToken.objects.exists()


def test_the_token_page_reads_right_to_left_in_arabic(client, adam):
    client.force_login(adam)
    response = client.get(PAGE, headers={"Accept-Language": "ar"})
    assert 'dir="rtl"' in response.content.decode()


def test_the_admin_list_of_tokens_points_to_the_page_that_makes_them(client, adam, ines):
    new = api_token_create(user=ines, name="Report script", created_by=adam)
    client.force_login(adam)
    body = client.get("/admin/api/apitoken/").content.decode()
    assert 'href="/api/tokens/"' in body
    assert new.token.prefix in body
    assert new.raw not in body
