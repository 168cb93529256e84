"""Searches recorded for the statistics (no personal data: see models.SearchLog)."""

from django.core import signing
from django.utils import timezone

from knowledgebase.models import Article, SearchLog
from knowledgebase.search import Results

_SALT = "knowledgebase.search-opened"


def search_record(
    *, query: str, language: str, scope: str, source: str, results: Results
) -> SearchLog:
    return SearchLog.objects.create(
        day=timezone.localdate(),
        query=query[:300],
        language=language,
        scope=scope,
        source=source,
        result_count=results.total,
        fuzzy=results.fuzzy,
    )


def opened_token(log: SearchLog) -> str:
    """What a result link carries so that opening it can be counted (signed: not forgeable)."""
    return signing.Signer(salt=_SALT).sign(str(log.pk))


def search_mark_opened(*, token: str, article: Article) -> bool:
    """Record the article opened from a search (the first one only). Bad tokens are ignored."""
    try:
        log_id = int(signing.Signer(salt=_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return False
    return bool(
        SearchLog.objects.filter(pk=log_id, opened_article__isnull=True).update(
            opened_article=article
        )
    )


def search_log_prune(*, today, keep_days: int) -> int:
    """Forget searches older than `keep_days` (the words people typed are kept no longer than
    the statistics need them); return how many were removed."""
    from datetime import timedelta

    removed, _details = SearchLog.objects.filter(day__lt=today - timedelta(days=keep_days)).delete()
    return removed
