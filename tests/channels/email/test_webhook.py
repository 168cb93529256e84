"""Inbound mail posted by a provider (django-anymail) takes the poller's path: stored raw, then
a ticket. The endpoint exists only when switched on and protected by a secret."""

import base64
import json

import pytest
from django.urls import reverse

from helpdesk.channels.email.models import InboundEmail, Origin
from helpdesk.models import Ticket

from .conftest import make_mail

WEBHOOK_SECRET = "infolijn:not-a-real-secret"  # a test value, allowed by the secret scan

# The channel's promises are about commits (store, commit, then move; tasks run on commit).
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_transactional_db"),
]

URL = "/channels/email/inbound/postmark/"


@pytest.fixture
def enabled(settings):
    settings.EMAIL_INBOUND_PROVIDERS = ["postmark"]
    settings.ANYMAIL = {"WEBHOOK_SECRET": WEBHOOK_SECRET}


def auth(secret=WEBHOOK_SECRET):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def post(client, raw, **extra):
    """Postmark's inbound JSON with "include raw email content" switched on."""
    data = {
        "RawEmail": raw.decode(),
        "OriginalRecipient": "infolijn@infolijn.test",
        "Headers": [],
    }
    return client.post(URL, json.dumps(data), content_type="application/json", **extra)


def test_the_url_is_where_the_readme_says():
    assert reverse("email_channel:inbound_webhook", args=["postmark"]) == URL


def test_a_signed_post_becomes_a_ticket(client, enabled, infolijn):
    response = post(client, make_mail(message_id="<hook-1@example.org>"), **auth())
    assert response.status_code == 200
    stored = InboundEmail.objects.get()
    assert stored.origin == Origin.WEBHOOK
    assert stored.origin_detail == "Postmark"
    assert stored.ticket.contact.email == "amina@example.org"
    # The provider retries (it did not see our answer): still one ticket.
    assert post(client, make_mail(message_id="<hook-1@example.org>"), **auth()).status_code == 200
    assert Ticket.objects.count() == 1


def test_it_rejects_an_unsigned_webhook(client, enabled, infolijn):
    response = post(client, make_mail())
    assert response.status_code == 400
    assert b"credentials" in response.content
    assert post(client, make_mail(), **auth("infolijn:guess")).status_code == 400
    assert InboundEmail.objects.count() == 0


def test_without_a_secret_the_webhook_refuses_everything(client, settings, infolijn):
    settings.EMAIL_INBOUND_PROVIDERS = ["postmark"]
    settings.ANYMAIL = {}
    response = post(client, make_mail(), **auth())
    assert response.status_code == 503
    assert b"ANYMAIL_WEBHOOK_SECRET" in response.content
    assert InboundEmail.objects.count() == 0


def test_a_provider_that_is_not_switched_on_does_not_exist(client, settings, infolijn):
    settings.EMAIL_INBOUND_PROVIDERS = []
    settings.ANYMAIL = {"WEBHOOK_SECRET": WEBHOOK_SECRET}
    assert post(client, make_mail(), **auth()).status_code == 404
    assert client.post("/channels/email/inbound/nonsense/", {}, **auth()).status_code == 404
