from datetime import timedelta

from django.tasks import task

from config.tasks import periodic


@task(queue_name="webhooks")
def deliver_webhook(delivery_id: int, attempt: int = 1):
    """One attempt of a webhook delivery; a failure schedules the next (helpdesk.api.services)."""
    from helpdesk.api.services.webhooks import webhook_deliver

    delivery = webhook_deliver(delivery_id=delivery_id, attempt=attempt)
    return delivery.status if delivery else None


@task
def prune_webhook_deliveries():
    from helpdesk.api.services.webhooks import webhook_deliveries_prune

    return webhook_deliveries_prune()


periodic("api.prune_webhook_deliveries", prune_webhook_deliveries, every=timedelta(days=1))
