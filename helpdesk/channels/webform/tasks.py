"""Background work of the web form: forgetting the claims of pages whose tokens have expired."""

from datetime import timedelta

from django.conf import settings
from django.tasks import task

from config.tasks import periodic
from helpdesk.services import clock

from . import services


@task
def forget_sent_forms() -> int:
    """Drop SentForm rows older than a form token's life (idempotent: deletes what is due)."""
    before = clock.now() - timedelta(hours=settings.WEBFORM_FORM_MAX_AGE_HOURS)
    return services.sent_forms_forget(before=before)


periodic("webform.forget_sent_forms", forget_sent_forms, every=timedelta(hours=1))
