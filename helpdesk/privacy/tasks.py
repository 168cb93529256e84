from datetime import timedelta

from django.tasks import task

from config.tasks import periodic

from .services.retention import apply_retention


@task
def apply_retention_task():
    """Apply the retention periods (idempotent: each ticket is done once, in its own transaction)."""
    apply_retention()


periodic("privacy.apply_retention", apply_retention_task, every=timedelta(hours=6))
