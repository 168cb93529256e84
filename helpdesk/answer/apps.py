"""Wiring of the answer tools, called from HelpdeskConfig.ready()."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def article_usage_facts(article, user) -> list[tuple[str, str]]:
    """For the knowledge base's article page (staff section): how often and how recently the
    article was used in answers (one query). Counts only: which tickets is the ticket page's."""
    from .selectors import article_usage

    count, last = article_usage([article.slug]).get(article.slug, (0, None))
    if not count:
        return [(_("Used in answers"), _("not yet"))]
    from django.utils import timezone

    return [
        (
            _("Used in answers"),
            ngettext("%(count)d time, last on %(date)s", "%(count)d times, last on %(date)s", count)
            % {"count": count, "date": date_format(timezone.localtime(last), "DATE_FORMAT")},
        )
    ]


def ready() -> None:
    from helpdesk import roles
    from knowledgebase import extensions

    from . import stats_section

    stats_section.register()
    extensions.register_article_facts(article_usage_facts)
    # Coordinators keep the canned responses (Settings), like the other lists.
    roles.extend_role(
        roles.COORDINATOR,
        *(f"helpdesk.{action}_cannedresponse" for action in ("view", "add", "change", "delete")),
    )
