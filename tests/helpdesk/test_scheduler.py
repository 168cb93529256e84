from datetime import timedelta

import pytest
from django.db import connection
from django.tasks import TaskResultStatus, task
from django.utils import timezone

from config.tasks import _PERIODIC, periodic, periodic_jobs
from helpdesk.services.scheduler import enqueue_due_jobs, reap_stuck_tasks
from helpdesk.tasks import optimize_sqlite

CALLS = []


@task
def count_a_call(value=1):
    CALLS.append(value)


@pytest.fixture
def a_periodic_job():
    CALLS.clear()
    periodic("tests.count", count_a_call, every=timedelta(minutes=5))
    yield
    _PERIODIC.pop("tests.count")


@pytest.mark.usefixtures("seeded_transactional_db")
def test_a_periodic_job_runs_once_per_interval_however_often_the_timer_fires(a_periodic_job):
    start = timezone.now()
    assert "tests.count" in enqueue_due_jobs(start)
    assert "tests.count" not in enqueue_due_jobs(start + timedelta(minutes=1))
    assert "tests.count" not in enqueue_due_jobs(start + timedelta(minutes=4))
    assert "tests.count" in enqueue_due_jobs(start + timedelta(minutes=5))
    assert CALLS == [1, 1]


@pytest.fixture
def database_tasks(settings):
    # Django resets its task backends when TASKS changes (and back when the test ends).
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


@pytest.mark.usefixtures("seeded_transactional_db")
def test_a_task_left_running_by_a_dead_worker_is_requeued_once(database_tasks):
    from django_tasks_db.models import DBTaskResult

    result = count_a_call.using(backend="default").enqueue(7)
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim("worker-that-died")
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now() - timedelta(hours=2))

    assert reap_stuck_tasks() == 1
    assert reap_stuck_tasks() == 0
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    again = DBTaskResult.objects.exclude(pk=row.pk).get()
    assert again.status == TaskResultStatus.READY
    assert again.args_kwargs["args"] == [7]


def test_sqlite_refreshes_its_planner_statistics_on_a_schedule(db):
    assert "helpdesk.optimize_sqlite" in {job.name for job in periodic_jobs()}
    assert optimize_sqlite.call() is (connection.vendor == "sqlite")
