"""Health checks for load balancers and monitoring: each part of the system registers one.

A check returns (ok, details). Details are figures (latency, lag, counts), never personal data,
because /health/ answers without a login.
"""

import os
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.utils import timezone

Check = Callable[[], tuple[bool, dict]]
_CHECKS: dict[str, Check] = {}


def register_check(name: str, check: Check) -> None:
    _CHECKS[name] = check


def run_checks() -> dict[str, dict]:
    results = {}
    for name, check in sorted(_CHECKS.items()):
        started = time.perf_counter()
        try:
            ok, details = check()
        except Exception as error:  # a failing check is a result, not a crash
            ok, details = False, {"error": type(error).__name__}
        results[name] = {
            "ok": ok,
            "ms": round((time.perf_counter() - started) * 1000, 1),
            **details,
        }
    return results


def database() -> tuple[bool, dict]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True, {"vendor": connection.vendor}


def task_queue() -> tuple[bool, dict]:
    """How long the oldest task that could run has been waiting (lag), and how many wait."""
    from django.tasks import TaskResultStatus, task_backends

    if not type(task_backends["default"]).__module__.startswith("django_tasks_db"):
        return True, {"backend": "inline"}
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    lag = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    stuck = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count()
    return lag <= settings.HEALTH_MAX_TASK_LAG_SECONDS, {
        "lag_seconds": round(lag, 1),
        "waiting": ready.count(),
        "running": stuck,
    }


def search_index() -> tuple[bool, dict]:
    """The knowledge base's search index, through `knowledgebase.search.health()` if it has one.

    That function answers like a check here, `(ok, details)` (details: figures such as the
    watermark's lag), or a dict with an "ok" key. Without it the index reports "not configured"
    and does not fail the machine.
    """
    try:
        from knowledgebase import search
    except ImportError:
        search = None
    check = getattr(search, "health", None)
    if not callable(check):
        return True, {"status": "not configured"}
    result = check()
    if isinstance(result, tuple):
        ok, details = result
    elif isinstance(result, dict):
        details = {key: value for key, value in result.items() if key != "ok"}
        ok = bool(result.get("ok", True))
    else:
        ok, details = bool(result), {}
    return bool(ok), dict(details)


def media_storage() -> tuple[bool, dict]:
    """Media (attachments, recordings) must be reachable from every machine: the shared folder
    is mounted and writable, or the object store answers."""
    from django.core.files.storage import FileSystemStorage, default_storage

    if isinstance(default_storage, FileSystemStorage):
        root = settings.MEDIA_ROOT
        if not os.path.isdir(root):  # nothing stored yet: the first upload creates it
            return True, {"backend": "filesystem", "status": "no folder yet"}
        return os.access(root, os.W_OK), {"backend": "filesystem"}
    default_storage.exists("health-probe")  # raises when the store cannot be reached
    return True, {"backend": type(default_storage).__name__}


def shared_cache() -> tuple[bool, dict]:
    """The shared cache (REDIS_URL) answers a write and a read: sessions and rate limits live
    there. A per-process cache is always there, and says so."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    cache = caches["default"]
    if isinstance(cache, LocMemCache):
        return True, {"backend": "local memory"}
    key = f"health-probe:{os.getpid()}"
    cache.set(key, "ok", timeout=30)
    return cache.get(key) == "ok", {"backend": type(cache).__name__}


register_check("database", database)
register_check("cache", shared_cache)
register_check("media", media_storage)
register_check("tasks", task_queue)
register_check("search", search_index)
