"""Outgoing webhooks: record an event for every endpoint that wants it, deliver it signed,
retry with backoff, pause an endpoint that keeps failing.

Events come from the helpdesk services' signals (helpdesk.signals, sent after commit), through
helpdesk.api.receivers: one hook for the API, the pages, the channels and the commands alike.
Payloads carry ids, the reference and codes: never a name, an address, a number or a text.
"""

import json
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.tasks import task_backends
from django.utils import timezone

from config.tasks import enqueue_on_commit, retry_later
from helpdesk.api.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    WebhookStatus,
)
from helpdesk.api.webhooks import transport
from helpdesk.api.webhooks.signing import HEADER, signature_header
from helpdesk.models import Ticket

log = logging.getLogger(__name__)

USER_AGENT = "Infolijn-Webhooks/1"


def _ticket_data(ticket: Ticket) -> dict:
    return {
        "id": ticket.pk,
        "reference": ticket.reference,
        "queue": ticket.queue.slug,
        "status": ticket.status,
        "channel": ticket.channel,
    }


def _endpoints_for(event: str, queue_id: int) -> list[WebhookEndpoint]:
    endpoints = WebhookEndpoint.objects.filter(is_active=True).prefetch_related("queues")
    return [
        endpoint
        for endpoint in endpoints
        if event in (endpoint.events or [])
        and (not endpoint.queues.all() or any(q.pk == queue_id for q in endpoint.queues.all()))
    ]


def webhooks_emit(
    *, event: str, ticket_id: int, extra: dict | None = None
) -> list[WebhookDelivery]:
    """Record `event` about the ticket for each endpoint that wants it, and send them."""
    if event not in WebhookEvent.values:
        raise ValueError(f"unknown webhook event {event!r}")
    if not WebhookEndpoint.objects.filter(is_active=True).exists():
        return []
    ticket = Ticket.objects.select_related("queue").filter(pk=ticket_id).first()
    if ticket is None:
        return []
    now = timezone.now()
    deliveries = []
    with transaction.atomic():
        for endpoint in _endpoints_for(event, ticket.queue_id):
            delivery = WebhookDelivery(
                endpoint=endpoint,
                event=event,
                ticket=ticket,
                status=WebhookStatus.HELD if endpoint.is_paused else WebhookStatus.PENDING,
                created_at=now,
            )
            delivery.payload = {
                "id": str(delivery.uuid),
                "event": event,
                "created_at": now.isoformat(),
                "data": {"ticket": _ticket_data(ticket), **(extra or {})},
            }
            delivery.save()
            deliveries.append(delivery)
            if delivery.status == WebhookStatus.PENDING:
                _enqueue(delivery, attempt=1)
    return deliveries


def _enqueue(delivery: WebhookDelivery, *, attempt: int) -> None:
    from helpdesk.api.tasks import deliver_webhook

    enqueue_on_commit(deliver_webhook, delivery.pk, attempt=attempt)


def delivery_body(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


def backoff_seconds(attempt: int) -> int:
    """Seconds to wait after failed attempt number `attempt` (1, 2, 4, 8... times the base)."""
    return settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (attempt - 1)


def webhook_deliver(*, delivery_id: int, attempt: int) -> WebhookDelivery | None:
    """Make attempt number `attempt` of a delivery (idempotent: an attempt already made, a
    delivery already done or held, is left alone). No transaction is held during the call."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.attempts >= attempt:
        return delivery
    if delivery.status in (WebhookStatus.SUCCEEDED, WebhookStatus.FAILED, WebhookStatus.HELD):
        return delivery
    endpoint = delivery.endpoint
    if not endpoint.is_active or endpoint.is_paused:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookStatus.HELD)
        delivery.status = WebhookStatus.HELD
        return delivery

    body = delivery_body(delivery)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Infolijn-Event": delivery.event,
        "Infolijn-Delivery": str(delivery.uuid),
        HEADER: signature_header(endpoint.secret, timestamp, body),
    }
    outcome = transport.post(endpoint.url, body, headers)
    return _record(delivery, attempt, outcome)


@transaction.atomic
def _record(delivery: WebhookDelivery, attempt: int, outcome) -> WebhookDelivery:
    now = timezone.now()
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=attempt,
        at=now,
        status_code=outcome.status_code,
        ok=outcome.ok,
        error=outcome.error,
        response_excerpt=outcome.excerpt,
        duration_ms=outcome.duration_ms,
    )
    delivery.attempts = attempt
    endpoint = delivery.endpoint
    if outcome.ok:
        delivery.status = WebhookStatus.SUCCEEDED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
    else:
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            consecutive_failures=F("consecutive_failures") + 1
        )
        endpoint.refresh_from_db(fields=["consecutive_failures", "paused_at"])
        if (
            endpoint.paused_at is None
            and endpoint.consecutive_failures >= settings.WEBHOOK_PAUSE_AFTER_FAILURES
        ):
            endpoint.paused_at = now
            endpoint.save(update_fields=["paused_at"])
            # What waits for a retry waits for the resume instead (and is sent then).
            endpoint.deliveries.filter(
                status__in=[WebhookStatus.PENDING, WebhookStatus.RETRYING]
            ).exclude(pk=delivery.pk).update(status=WebhookStatus.HELD, next_attempt_at=None)
            log.warning(
                "Webhook endpoint %s paused after %s failures in a row",
                endpoint.pk,
                endpoint.consecutive_failures,
            )
        if endpoint.paused_at is not None:
            delivery.status = WebhookStatus.HELD
            delivery.next_attempt_at = None
        elif attempt >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status = WebhookStatus.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.status = WebhookStatus.RETRYING
            delivery.next_attempt_at = now + timedelta(seconds=backoff_seconds(attempt))
    delivery.save(update_fields=["attempts", "status", "delivered_at", "next_attempt_at"])
    if delivery.status == WebhookStatus.RETRYING:
        from helpdesk.api.tasks import deliver_webhook

        transaction.on_commit(
            lambda: retry_later(
                deliver_webhook,
                delivery.pk,
                attempt=attempt,
                max_attempts=settings.WEBHOOK_MAX_ATTEMPTS,
                base_delay=settings.WEBHOOK_RETRY_BASE_SECONDS,
            )
        )
    return delivery


def can_schedule_retries() -> bool:
    return task_backends["default"].supports_defer


@transaction.atomic
def webhook_endpoint_resume(*, endpoint: WebhookEndpoint) -> int:
    """Un-pause an endpoint and send what was held for it; returns how many are sent again."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(paused_at=None, consecutive_failures=0)
    endpoint.refresh_from_db()
    held = list(endpoint.deliveries.filter(status=WebhookStatus.HELD))
    for delivery in held:
        webhook_delivery_retry(delivery=delivery)
    return len(held)


@transaction.atomic
def webhook_delivery_retry(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again now (held, failed or waiting for a retry)."""
    if delivery.status == WebhookStatus.SUCCEEDED:
        return delivery
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookStatus.PENDING, next_attempt_at=None
    )
    delivery.status = WebhookStatus.PENDING
    _enqueue(delivery, attempt=delivery.attempts + 1)
    return delivery


def webhook_deliveries_prune(*, older_than_days: int | None = None) -> int:
    """Forget deliveries (and their attempts) older than the retention period."""
    days = settings.WEBHOOK_DELIVERY_RETENTION_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _by_model = (
        WebhookDelivery.objects.filter(created_at__lt=cutoff)
        .exclude(status__in=[WebhookStatus.PENDING, WebhookStatus.RETRYING, WebhookStatus.HELD])
        .delete()
    )
    return deleted
