import json
import logging
from datetime import timedelta

import pytest
from django.tasks import task
from django.utils import timezone

from config.logging import JsonFormatter


@task
def nothing():
    return None


def test_health_answers_ok_with_figures_and_no_login(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_health_fails_when_background_tasks_lag(client, settings, seeded_transactional_db):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    from django_tasks_db.models import DBTaskResult

    result = nothing.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - timedelta(hours=1)
    )
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["tasks"]["lag_seconds"] > 3000


def test_json_logs_are_one_object_per_line_with_extras():
    record = logging.makeLogRecord(
        {
            "name": "helpdesk",
            "levelno": logging.WARNING,
            "levelname": "WARNING",
            "msg": "Retry %s",
            "args": (3,),
        }
    )
    record.ticket_id = 42
    line = JsonFormatter().format(record)
    data = json.loads(line)
    assert data["message"] == "Retry 3"
    assert data["ticket_id"] == 42
    assert "\n" not in line
