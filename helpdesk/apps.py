from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "helpdesk"
    verbose_name = _("Helpdesk")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from config.languages import install_gettext_fallbacks

        from . import roles, tasks  # noqa: F401 - tasks registers its periodic jobs
        from .answer import apps as answer_apps

        answer_apps.ready()

        # ps pages borrow the Persian chrome, ar pages fall back on English, not Dutch.
        install_gettext_fallbacks()

        # Apps that come later add permissions to the roles; keep the groups complete after
        # every migrate (it only adds what is missing).
        post_migrate.connect(roles.sync_roles_after_migrate, sender=self)
