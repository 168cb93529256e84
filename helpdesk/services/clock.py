"""The services' notion of "now", which demo data and tests can move (never production code)."""

import contextlib
import threading
from datetime import datetime

from django.utils import timezone

_local = threading.local()


def now() -> datetime:
    return getattr(_local, "at", None) or timezone.now()


@contextlib.contextmanager
def travel_to(at: datetime):
    """Run the services as if it were `at` (aware datetime)."""
    previous = getattr(_local, "at", None)
    _local.at = at
    try:
        yield
    finally:
        _local.at = previous
