from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "helpdesk.api"
    label = "api"
    verbose_name = _("API")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from helpdesk import signals

        from . import authentication, receivers, tasks  # noqa: F401 - schema extension, periodic jobs

        signals.ticket_created.connect(
            receivers.on_ticket_created, dispatch_uid="api_webhooks_created"
        )
        signals.ticket_status_changed.connect(
            receivers.on_ticket_status_changed, dispatch_uid="api_webhooks_status"
        )
        signals.message_added.connect(
            receivers.on_message_added, dispatch_uid="api_webhooks_message"
        )
