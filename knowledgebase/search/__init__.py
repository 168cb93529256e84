"""Knowledge-base search behind one small interface (see base.py).

`get_backend()` returns the configured engine (settings.KB_SEARCH_BACKEND, a dotted path to a class
taking no arguments); the whoosh backend is the default, a PostgreSQL full-text one the alternative.
"""

from functools import cache
from itertools import islice

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from .base import Doc, Hit, Results, SearchBackend, Translation

__all__ = ["Doc", "Hit", "Results", "SearchBackend", "Translation", "get_backend", "health"]


@cache
def _backend(path: str) -> SearchBackend:
    return import_string(path)()


def get_backend() -> SearchBackend:
    return _backend(settings.KB_SEARCH_BACKEND)


def health(*, backend: SearchBackend | None = None, source=None) -> tuple[bool, dict]:
    """For /health/: is this machine's index in step with the database?

    A shared index (PostgreSQL) is as current as the database. A machine's own index is behind
    when an article changed after its watermark and that change is older than
    KB_INDEX_HEALTH_MAX_LAG_SECONDS: the catch-up timer runs every minute, so a longer lag means
    it is not running. Details are figures only (this answers without a login).
    """
    from .sync import get_source

    backend = backend or get_backend()
    if not getattr(backend, "keeps_own_index", False):
        return True, {"backend": type(backend).__name__, "shared": True}
    # Timestamps only, oldest first: this runs on every poll of the load balancer.
    pending = list(islice((source or get_source()).changed_at(backend.watermark()), 200))
    lag = (timezone.now() - pending[0]).total_seconds() if pending else 0.0
    return lag <= settings.KB_INDEX_HEALTH_MAX_LAG_SECONDS, {
        "backend": type(backend).__name__,
        "lag_seconds": round(max(lag, 0.0), 1),
        "behind": len(pending),
    }
