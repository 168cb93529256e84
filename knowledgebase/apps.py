from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Who may do what in the knowledge base, added to the roles the helpdesk defines (helpdesk/roles.py
# documents extend_role as the way an app adds its permissions). Anonymous readers see public
# articles; volunteers and everyone who works tickets also read internal ones; staff edit.
READ_INTERNAL = ["knowledgebase.view_internal_article"]
EDIT = [
    "knowledgebase.view_internal_article",
    *(
        f"knowledgebase.{action}_{model}"
        for model in ("article", "category", "tag")
        for action in ("view", "add", "change")
    ),
]
ROLE_PERMISSIONS = {
    "Info-line staff": EDIT,
    "Legal specialist": EDIT,
    "Volunteer": READ_INTERNAL,
    "Coordinator": [*READ_INTERNAL, "knowledgebase.view_searchlog"],  # Settings › Searches
}


class KnowledgebaseConfig(AppConfig):
    name = "knowledgebase"
    label = "knowledgebase"
    verbose_name = _("Knowledge base")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.apps import apps

        from . import tasks  # noqa: F401 - registers the periodic review reminder
        from .search.sync import register_source
        from .selectors.articles import (
            article_changes_after,
            article_slugs,
            search_docs_changed_since,
        )

        # How a machine's own search index reads the articles when it catches up.
        register_source(
            changed_since=search_docs_changed_since,
            changed_at=article_changes_after,
            live_slugs=article_slugs,
        )

        if apps.is_installed("helpdesk"):
            # The one hook the helpdesk offers for this; the knowledge base uses nothing else of it.
            from helpdesk.roles import extend_role

            for role, permissions in ROLE_PERMISSIONS.items():
                extend_role(role, *permissions)
        if apps.is_installed("helpdesk.stats"):
            from . import stats_section

            stats_section.register()
