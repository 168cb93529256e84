import secrets
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from helpdesk.models import Queue, ReferenceCounter


def next_reference(queue: Queue, at: datetime) -> str:
    """The next human reference of this queue and year: IL-2026-000123.

    Numbers restart every year and never repeat; gaps only appear when a transaction that took a
    number rolls back.
    """
    year = timezone.localtime(at).year
    with transaction.atomic():
        try:
            with transaction.atomic():
                ReferenceCounter.objects.get_or_create(prefix=queue.reference_prefix, year=year)
        except IntegrityError:
            pass  # created by a concurrent request: fine, we only need it to exist
        counter = ReferenceCounter.objects.select_for_update().filter(
            prefix=queue.reference_prefix, year=year
        )
        counter.update(last_number=F("last_number") + 1)
        number = counter.values_list("last_number", flat=True).get()
    return f"{queue.reference_prefix}-{year}-{number:06d}"


def new_access_token() -> str:
    """A requester's private link token: 256 bits, URL-safe."""
    return secrets.token_urlsafe(32)
