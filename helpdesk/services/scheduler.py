"""The scheduler entry point's work: enqueue due periodic jobs, requeue tasks whose worker died.

`manage.py run_periodic` calls `run_periodic()` every minute (systemd timer or cron). Several
machines may run it at once: a job is claimed with a conditional UPDATE, so it is enqueued once.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import TaskResultStatus, task_backends
from django.utils import timezone

from config.tasks import periodic_jobs
from helpdesk.models import ScheduledJobRun

log = logging.getLogger(__name__)


def enqueue_due_jobs(now=None) -> list[str]:
    now = now or timezone.now()
    enqueued = []
    for job in periodic_jobs():
        run, _created = ScheduledJobRun.objects.get_or_create(name=job.name)
        last = run.last_enqueued_at
        if last is not None and now - last < job.every:
            continue
        # Claim the run: only the process whose UPDATE matches the value it read enqueues it.
        with transaction.atomic():
            claimed = ScheduledJobRun.objects.filter(pk=run.pk, last_enqueued_at=last).update(
                last_enqueued_at=now
            )
            if claimed:
                transaction.on_commit(job.task.enqueue)
                enqueued.append(job.name)
    return enqueued


def reap_stuck_tasks(now=None) -> int:
    """Requeue database tasks left RUNNING by a worker that died (SIGKILL, power loss).

    Our tasks are idempotent, so running one again is safe; the stuck result is marked failed so
    it is not reaped twice.
    """
    backend = task_backends["default"]
    if not type(backend).__module__.startswith("django_tasks_db"):
        return 0
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    stuck_after = timedelta(seconds=settings.TASKS_STUCK_AFTER_SECONDS)
    count = 0
    stale = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - stuck_after
    )
    for result in stale:
        with transaction.atomic():
            marked = DBTaskResult.objects.filter(
                pk=result.pk, status=TaskResultStatus.RUNNING
            ).update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="helpdesk.services.scheduler.WorkerDied",
                traceback="The worker stopped while running this task; it was enqueued again.",
            )
            if marked:
                task = result.task.using(priority=result.priority, queue_name=result.queue_name)
                args = result.args_kwargs
                transaction.on_commit(
                    lambda task=task, args=args: task.enqueue(*args["args"], **args["kwargs"])
                )
                log.warning(
                    "Requeued task %s (%s) left running by a dead worker",
                    result.pk,
                    result.task_path,
                )
                count += 1
    return count


def run_periodic(now=None) -> tuple[list[str], int]:
    return enqueue_due_jobs(now), reap_stuck_tasks(now)
