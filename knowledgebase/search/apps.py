from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The search package as an app only for the PostgreSQL backend's table (models.py)."""

    name = "knowledgebase.search"
    label = "kbsearch"
    verbose_name = _("Knowledge-base search")
    default_auto_field = "django.db.models.BigAutoField"
