from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "helpdesk.stats"
    label = "stats"
    verbose_name = _("Statistics")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from helpdesk import roles

        from . import builtin, tasks  # noqa: F401 - registers the sections, the periodic refresh

        # Volunteers log their Startpunt mornings (and nothing else of the statistics);
        # coordinators see and correct them.
        roles.extend_role(roles.VOLUNTEER, "stats.add_startpuntsession")
        roles.extend_role(
            roles.COORDINATOR,
            "stats.add_startpuntsession",
            "stats.view_startpuntsession",
            "stats.change_startpuntsession",
            "stats.delete_startpuntsession",
            "stats.view_exportrecord",
        )
