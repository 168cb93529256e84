from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "helpdesk.privacy"
    label = "privacy"
    verbose_name = _("Privacy and audit")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # signals: the audit log's receivers; tasks: registers the periodic retention job.
        from . import signals, tasks  # noqa: F401
