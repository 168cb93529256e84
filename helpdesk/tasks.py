from datetime import timedelta

from django.core.management import call_command
from django.db import connection
from django.tasks import task, task_backends

from config.tasks import periodic


@task
def prune_task_results():
    """Forget finished background tasks after two weeks (the database backend keeps them all)."""
    if type(task_backends["default"]).__module__.startswith("django_tasks_db"):
        call_command("prune_db_task_results", queue_name="*", min_age_days=14, verbosity=0)


periodic("helpdesk.prune_task_results", prune_task_results, every=timedelta(days=1))


@task
def optimize_sqlite():
    """SQLite only: refresh the planner's statistics where they are stale (PRAGMA optimize).

    Without them SQLite may pick a foreign-key index over the covering one the statistics and
    phone figures need (a month of one queue's calls: 0.7 s instead of 0.3 s, bench/README.md).
    PostgreSQL's autovacuum does this by itself.
    """
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA optimize")
    return True


periodic("helpdesk.optimize_sqlite", optimize_sqlite, every=timedelta(hours=6))
