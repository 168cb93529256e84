"""Outgoing webhooks: signed deliveries a receiver can verify on its own, retries with backoff,
a failing endpoint paused and shown to the administrator, and no calls into our own network."""

import hashlib
import hmac
import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from helpdesk.api.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookStatus,
)
from helpdesk.api.services.webhooks import (
    backoff_seconds,
    webhook_deliver,
    webhook_deliveries_prune,
    webhook_endpoint_resume,
)
from helpdesk.api.webhooks import transport
from helpdesk.models import Channel
from helpdesk.services.tickets import ticket_change_status, ticket_create, ticket_reply

pytestmark = pytest.mark.django_db


class Receiver:
    """A real HTTP server on the loopback interface that records what it receives."""

    def __init__(self):
        self.requests = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                self.send_response(receiver.status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"received " + str(receiver.status).encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/infolijn"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def loopback_allowed(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True


def endpoint_for(receiver, events, **kwargs):
    return WebhookEndpoint.objects.create(url=receiver.url, events=events, **kwargs)


def verify(secret: str, headers: dict, body: bytes, tolerance: int = 300) -> dict:
    """A receiver's own check, written from the documentation with the hmac module only."""
    parts = dict(item.split("=", 1) for item in headers["Infolijn-Signature"].split(","))
    timestamp = int(parts["t"])
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(expected, parts["v1"]), "signature mismatch"
    assert abs(time.time() - timestamp) <= tolerance, "stale timestamp"
    return json.loads(body)


def new_ticket(queue, contact=None, capture=None):
    with capture(execute=True):
        return ticket_create(
            queue=queue,
            channel=Channel.EMAIL,
            subject="Secret subject",
            body="Secret body: my brother is detained",
            contact=contact,
        )


def test_a_new_ticket_is_delivered_signed_and_the_receiver_can_verify_it(
    receiver, loopback_allowed, infolijn, amina, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(receiver, ["ticket.created"])
    ticket = new_ticket(infolijn, amina, django_capture_on_commit_callbacks)

    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    payload = verify(endpoint.secret, request["headers"], request["body"])
    assert payload["event"] == "ticket.created"
    assert payload["data"]["ticket"] == {
        "id": ticket.pk,
        "reference": ticket.reference,
        "queue": "infolijn",
        "status": "new",
        "channel": "email",
    }
    assert request["headers"]["Infolijn-Event"] == "ticket.created"
    assert request["headers"]["Infolijn-Delivery"] == payload["id"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (WebhookStatus.SUCCEEDED, 1)
    attempt = WebhookAttempt.objects.get()
    assert (attempt.status_code, attempt.ok, attempt.response_excerpt) == (
        200,
        True,
        "received 200",
    )


def test_a_tampered_body_or_another_secret_fails_the_independent_check(
    receiver, loopback_allowed, infolijn, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(receiver, ["ticket.created"])
    new_ticket(infolijn, capture=django_capture_on_commit_callbacks)
    request = receiver.requests[0]
    with pytest.raises(AssertionError, match="signature mismatch"):
        verify(endpoint.secret, request["headers"], request["body"].replace(b"new", b"old"))
    with pytest.raises(AssertionError, match="signature mismatch"):
        verify("whsec_other", request["headers"], request["body"])
    with pytest.raises(AssertionError, match="stale timestamp"):
        verify(endpoint.secret, request["headers"], request["body"], tolerance=-1)


def test_payloads_carry_no_personal_data(
    receiver, loopback_allowed, infolijn, amina, ines, django_capture_on_commit_callbacks
):
    endpoint_for(receiver, ["ticket.created", "message.added", "ticket.status_changed"])
    ticket = new_ticket(infolijn, amina, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_reply(ticket=ticket, author=ines, body="Secret answer about Amina")
    sent = b" ".join(r["body"] for r in receiver.requests).decode()
    for secret in ("Secret", "Amina", "amina@example.org", "detained", "ines"):
        assert secret not in sent
    assert {json.loads(r["body"])["event"] for r in receiver.requests} == {
        "ticket.created",
        "message.added",
        "ticket.status_changed",
    }


def test_each_endpoint_gets_only_the_events_and_queues_it_chose(
    receiver, loopback_allowed, infolijn, legal_queue, ines, django_capture_on_commit_callbacks
):
    status_only = endpoint_for(receiver, ["ticket.status_changed"])
    legal_only = endpoint_for(receiver, ["ticket.created"])
    legal_only.queues.set([legal_queue])
    ticket = new_ticket(infolijn, capture=django_capture_on_commit_callbacks)
    assert receiver.requests == []
    with django_capture_on_commit_callbacks(execute=True):
        ticket_change_status(ticket=ticket, actor=ines, status="open")
    (request,) = receiver.requests
    payload = verify(status_only.secret, request["headers"], request["body"])
    assert payload["data"]["status"] == {"old": "new", "new": "open"}
    new_ticket(legal_queue, capture=django_capture_on_commit_callbacks)
    assert len(receiver.requests) == 2
    assert json.loads(receiver.requests[1]["body"])["data"]["ticket"]["queue"] == "legal-helpdesk"


def test_a_failed_attempt_is_recorded_and_retried_later_with_backoff(
    receiver, loopback_allowed, infolijn, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.dummy.DummyBackend",
            "QUEUES": ["default", "webhooks"],
        }
    }
    from django.tasks import task_backends

    receiver.status = 503
    endpoint = endpoint_for(receiver, ["ticket.created"])
    new_ticket(infolijn, capture=django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    backend = task_backends["default"]
    assert [r.args for r in backend.results] == [[delivery.pk]]  # enqueued, not yet run

    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        webhook_deliver(delivery_id=delivery.pk, attempt=1)
    delivery.refresh_from_db()
    assert delivery.status == WebhookStatus.RETRYING
    attempt = delivery.attempt_log.get()
    assert (attempt.status_code, attempt.ok, attempt.response_excerpt) == (
        503,
        False,
        "received 503",
    )
    retry = backend.results[-1]
    assert retry.kwargs == {"attempt": 2}
    assert retry.task.run_after >= before + timedelta(seconds=backoff_seconds(1))
    assert backoff_seconds(1) == settings.WEBHOOK_RETRY_BASE_SECONDS
    assert backoff_seconds(3) == 4 * settings.WEBHOOK_RETRY_BASE_SECONDS

    # The same attempt run twice (a worker died after sending) sends nothing more.
    webhook_deliver(delivery_id=delivery.pk, attempt=1)
    assert len(receiver.requests) == 1

    receiver.status = 204
    with django_capture_on_commit_callbacks(execute=True):
        webhook_deliver(delivery_id=delivery.pk, attempt=2)
    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (WebhookStatus.SUCCEEDED, 2)
    assert endpoint.consecutive_failures == 0


def test_after_the_last_attempt_the_delivery_fails_for_good(
    receiver, loopback_allowed, infolijn, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    receiver.status = 500
    endpoint_for(receiver, ["ticket.created"])
    new_ticket(infolijn, capture=django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    webhook_deliver(delivery_id=delivery.pk, attempt=2)
    delivery.refresh_from_db()
    assert delivery.status == WebhookStatus.FAILED
    assert delivery.next_attempt_at is None


def test_an_endpoint_failing_again_and_again_is_paused_its_events_held_and_resumed(
    receiver,
    loopback_allowed,
    infolijn,
    settings,
    client,
    adam,
    django_capture_on_commit_callbacks,
):
    settings.WEBHOOK_PAUSE_AFTER_FAILURES = 3
    receiver.status = 500
    endpoint = endpoint_for(receiver, ["ticket.created"], description="Partner CRM")
    for _ in range(3):
        new_ticket(infolijn, capture=django_capture_on_commit_callbacks)
    endpoint.refresh_from_db()
    assert endpoint.is_paused
    assert len(receiver.requests) == 3

    new_ticket(infolijn, capture=django_capture_on_commit_callbacks)  # held, not sent
    assert len(receiver.requests) == 3
    assert WebhookDelivery.objects.filter(status=WebhookStatus.HELD).count() == 4

    client.force_login(adam)
    page = client.get("/admin/api/webhookendpoint/").content.decode()
    assert "Paused since" in page

    receiver.status = 200
    with django_capture_on_commit_callbacks(execute=True):
        assert webhook_endpoint_resume(endpoint=endpoint) == 4
    assert len(receiver.requests) == 7
    assert WebhookDelivery.objects.filter(status=WebhookStatus.SUCCEEDED).count() == 4
    endpoint.refresh_from_db()
    assert not endpoint.is_paused


def test_addresses_inside_our_network_are_refused(
    receiver, infolijn, django_capture_on_commit_callbacks
):
    endpoint_for(receiver, ["ticket.created"])
    new_ticket(infolijn, capture=django_capture_on_commit_callbacks)
    assert receiver.requests == []
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None
    assert "non-public address" in attempt.error


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.10", False),
        ("172.16.5.4", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),
        ("0.0.0.0", False),  # noqa: S104 - an address to refuse, not one to bind
        ("::1", False),
        ("::ffff:127.0.0.1", False),
        ("fd00::1", False),
        ("224.0.0.1", False),
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
    ],
)
def test_only_public_addresses_count_as_public(address, public):
    assert transport._is_public(address) is public


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1/hook", "http://localhost:8000/", "ftp://example.org/", "http:///x"]
)
def test_the_admin_form_refuses_urls_that_cannot_be_called(client, adam, url):
    client.force_login(adam)
    response = client.post(
        "/admin/api/webhookendpoint/add/",
        {"url": url, "events": ["ticket.created"], "is_active": "on"},
    )
    assert response.status_code == 200  # the form again, with the error
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize("persona", ["cora", "ines", "vera"])
def test_only_administrators_see_webhook_endpoints(client, request, persona, receiver):
    WebhookEndpoint.objects.create(url=receiver.url, events=["ticket.created"])
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/admin/api/webhookendpoint/")
    assert response.status_code in (302, 403)
    assert receiver.url not in response.content.decode()


def test_a_broken_receiver_hook_never_breaks_saving_a_ticket(
    infolijn, monkeypatch, django_capture_on_commit_callbacks, receiver
):
    from helpdesk.api import receivers

    def broken(**kwargs):
        raise RuntimeError("webhooks down")

    monkeypatch.setattr(receivers, "webhooks_emit", broken)
    endpoint_for(receiver, ["ticket.created"])
    ticket = new_ticket(infolijn, capture=django_capture_on_commit_callbacks)
    assert ticket.pk is not None


def test_old_finished_deliveries_are_forgotten(
    receiver, loopback_allowed, infolijn, django_capture_on_commit_callbacks
):
    endpoint_for(receiver, ["ticket.created"])
    new_ticket(infolijn, capture=django_capture_on_commit_callbacks)
    WebhookDelivery.objects.update(created_at=timezone.now() - timedelta(days=31))
    assert webhook_deliveries_prune() >= 1
    assert not WebhookDelivery.objects.exists()
    assert not WebhookAttempt.objects.exists()


def test_the_administrator_resumes_a_paused_endpoint_from_the_admin(
    receiver, loopback_allowed, infolijn, client, adam, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(receiver, ["ticket.created"], paused_at=timezone.now())
    new_ticket(infolijn, capture=django_capture_on_commit_callbacks)
    assert receiver.requests == []
    client.force_login(adam)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/api/webhookendpoint/",
            {"action": "resume", "_selected_action": [endpoint.pk]},
            follow=True,
        )
    assert "1 held delivery is sent again" in response.content.decode()
    assert len(receiver.requests) == 1


def test_the_administrator_sends_a_failed_delivery_again_from_the_admin(
    receiver, loopback_allowed, infolijn, client, adam, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    receiver.status = 500
    endpoint_for(receiver, ["ticket.created"])
    new_ticket(infolijn, capture=django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookStatus.FAILED
    receiver.status = 200
    client.force_login(adam)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/api/webhookdelivery/",
            {"action": "send_again", "_selected_action": [delivery.pk]},
        )
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (WebhookStatus.SUCCEEDED, 2)
    page = client.get(f"/admin/api/webhookdelivery/{delivery.pk}/change/").content.decode()
    assert "received 500" in page
    assert "received 200" in page
