"""Background work of the knowledge base (django.tasks; see config/tasks.py for the rules).

Index writes run on the dedicated "search" queue, so one worker (`db_worker --queue-name search`,
or any worker taking every queue) holds the index's write lock at a time and web processes only
read. Every task is idempotent: it reads the article as it is now and writes that.
"""

from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from config.tasks import periodic


@task(queue_name="search")
def index_article(slug: str) -> str:
    """Bring the index in line with the article named `slug`: add, replace or remove it."""
    from knowledgebase.search import get_backend
    from knowledgebase.selectors.articles import index_docs

    docs = list(index_docs(slugs=[slug]))
    backend = get_backend()
    if docs:
        backend.upsert(docs)
        return "indexed"
    backend.delete([slug])
    return "removed"


@task(queue_name="search")
def rebuild_index() -> int:
    """Rebuild the whole index from the database (the source of truth)."""
    from knowledgebase.services.index import index_rebuild

    return index_rebuild()


@task
def remind_review_owners() -> int:
    """Mail the owners of articles past their review date (each owner at most once a week)."""
    from knowledgebase.services.reviews import review_reminders_send

    return review_reminders_send(today=timezone.localdate())


@task
def prune_search_log() -> int:
    """Searches are kept KB_SEARCH_LOG_RETENTION_DAYS (long enough for the annual report)."""
    from django.conf import settings

    from knowledgebase.services.search import search_log_prune

    keep = settings.KB_SEARCH_LOG_RETENTION_DAYS
    return search_log_prune(today=timezone.localdate(), keep_days=keep)


periodic("knowledgebase.remind_review_owners", remind_review_owners, every=timedelta(days=1))
periodic("knowledgebase.prune_search_log", prune_search_log, every=timedelta(days=1))
# Catch-up: whatever an interrupted worker missed is right again within a day.
periodic("knowledgebase.rebuild_index", rebuild_index, every=timedelta(days=1))
