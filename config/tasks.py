"""Background work: how tasks are enqueued, retried and scheduled.

Rules every task in this project follows:
- enqueue on commit (`enqueue_on_commit`), so a task never sees data that was rolled back and
  never runs before the row it needs exists;
- pass ids, never model instances;
- be idempotent: a crash or a retry may run a task twice, so each task checks what is already done.

Periodic jobs (mail polling, retention, index catch-up) register with `periodic()` in their app's
ready(); `manage.py run_periodic` (called every minute by a systemd timer or cron) enqueues those that
are due, and `reap_stuck_tasks` requeues tasks whose worker died mid-run.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.tasks import Task, task_backends
from django.utils import timezone

log = logging.getLogger(__name__)


def enqueue_on_commit(task: Task, *args, **kwargs) -> None:
    """Enqueue `task` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs), robust=False)


def retry_later(task: Task, *args, attempt: int, max_attempts: int, base_delay: int = 30, **kwargs):
    """Enqueue another attempt with exponential backoff; return False when attempts are used up.

    django.tasks has no retries of its own. Backends that cannot defer (the immediate backend of
    the tests) get no automatic retry: the caller records the failure and a person or the next
    scheduled run retries it.
    """
    if attempt >= max_attempts:
        return False
    backend = task_backends[task.backend]
    if not backend.supports_defer:
        return False
    delay = timedelta(seconds=base_delay * 2 ** (attempt - 1))
    task.using(run_after=timezone.now() + delay).enqueue(*args, attempt=attempt + 1, **kwargs)
    return True


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: Task
    every: timedelta


_PERIODIC: dict[str, PeriodicJob] = {}


def periodic(name: str, task: Task, every: timedelta) -> None:
    """Register `task` (taking no arguments) to be enqueued every `every`."""
    _PERIODIC[name] = PeriodicJob(name, task, every)


def periodic_jobs() -> list[PeriodicJob]:
    return sorted(_PERIODIC.values(), key=lambda job: job.name)
