"""Knowledge-base search behind one small interface (see base.py).

`get_backend()` returns the configured engine (settings.KB_SEARCH_BACKEND, a dotted path to a class
taking no arguments); the whoosh backend is the default, a PostgreSQL full-text one the alternative.
"""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import Doc, Hit, Results, SearchBackend, Translation

__all__ = ["Doc", "Hit", "Results", "SearchBackend", "Translation", "get_backend"]


@cache
def _backend(path: str) -> SearchBackend:
    return import_string(path)()


def get_backend() -> SearchBackend:
    return _backend(settings.KB_SEARCH_BACKEND)
