from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebformConfig(AppConfig):
    name = "helpdesk.channels.webform"
    label = "webform"
    verbose_name = _("Web form")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from helpdesk import roles

        from . import tasks  # noqa: F401 - registers the periodic job that forgets sent pages

        # Coordinators read the web form's counts (blocked spam, answered by the knowledge base).
        roles.extend_role(
            roles.COORDINATOR,
            "webform.view_blockedsubmission",
            "webform.view_suggestionvisit",
            "webform.view_suggestionopen",
        )
