import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from config import settings as config
from helpdesk.models import Queue

ROOT = Path(__file__).resolve().parent.parent


def test_secrets_can_come_from_a_file(tmp_path, monkeypatch):
    secret = tmp_path / "key"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("SOME_SECRET_FILE", str(secret))
    monkeypatch.setenv("SOME_SECRET", "from-the-environment")
    assert config.env("SOME_SECRET") == "from-a-file"


@pytest.mark.parametrize(
    ("value", "expected"), [("true", True), ("0", False), ("", None), ("Yes", True)]
)
def test_booleans_are_read_strictly(monkeypatch, value, expected):
    monkeypatch.setenv("A_FLAG", value)
    assert config.env_bool("A_FLAG", None) is expected


def test_a_typo_in_a_boolean_is_an_error_not_a_default(monkeypatch):
    monkeypatch.setenv("A_FLAG", "ture")
    with pytest.raises(ValueError, match="A_FLAG"):
        config.env_bool("A_FLAG")


def production_env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "TESTING", "PYTEST_VERSION"}}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="infolijn.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **extra,
    )
    return env


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_the_gunicorn_config_loads_the_app_under_production_settings(tmp_path):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    result = subprocess.run(
        [str(gunicorn), "--check-config", "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _database_options(tmp_path, url, **extra):
    """settings.DATABASES["default"]["OPTIONS"] as production settings read them (no connection)."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
    )
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="config.settings", **extra)
    env["DATABASE_URL"] = url
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_postgresql_binds_parameters_on_the_server_and_prepares_repeated_statements(tmp_path):
    url = "postgresql://infolijn@db.example.org:5432/infolijn?sslmode=require"
    options = _database_options(tmp_path, url)
    assert options == {"sslmode": "require", "server_side_binding": True, "prepare_threshold": 2}


def test_prepared_statements_can_be_turned_off_for_an_old_pgbouncer(tmp_path):
    url = "postgresql://infolijn@db.example.org:5432/infolijn"
    options = _database_options(tmp_path, url, DATABASE_PREPARE_THRESHOLD="0")
    assert options == {"server_side_binding": True, "prepare_threshold": None}


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)
def test_a_statement_run_twice_on_a_connection_is_prepared(db):
    def prepared():
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    before = prepared()
    for _ in range(3):
        list(Queue.objects.filter(slug="infolijn").values_list("pk", flat=True))
    new = [statement for statement in prepared() if statement not in before]
    assert any('FROM "helpdesk_queue"' in statement for statement in new)
    assert all("$1" in statement for statement in new if "helpdesk_queue" in statement)
