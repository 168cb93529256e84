"""The shared cache (REDIS_URL): sessions, rate limits and /health/, against a real Redis.

Production sets REDIS_URL (docs/deploy.md). These tests use the machine's Redis (REDIS_TEST_URL,
database 15 by default), each under a key prefix of its own so that parallel test processes and
anything else in that database never meet. Without a Redis they are skipped, except in CI.
"""

import importlib
import os
import secrets
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
CACHED_DB = "django.contrib.sessions.backends.cached_db"

pytestmark = pytest.mark.django_db


def _redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture
def shared_cache():
    """Settings as with REDIS_URL set: Redis as the cache, sessions read through it."""
    if not _redis_answers():
        if os.environ.get("CI"):
            pytest.fail(f"no Redis at {REDIS_URL}: .ci/run starts the machine's redis-server")
        pytest.skip(f"no Redis at {REDIS_URL}")
    redis_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"test-{secrets.token_hex(6)}",
    }
    with override_settings(CACHES={"default": redis_cache}, SESSION_ENGINE=CACHED_DB):
        yield caches["default"]


@contextmanager
def _production_settings(**env):
    """config.settings read again with `env` (as a new process would read it)."""
    import config.settings as project_settings

    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        yield importlib.reload(project_settings)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        importlib.reload(project_settings)


def test_redis_url_makes_redis_the_cache_and_reads_sessions_through_it():
    with _production_settings(REDIS_URL="redis://10.0.0.5:6379/0") as configured:
        assert configured.CACHES["default"]["BACKEND"].endswith("RedisCache")
        assert configured.SESSION_ENGINE == CACHED_DB
    with _production_settings(REDIS_URL="") as configured:
        # A per-process cache must never hold sessions: logging out elsewhere would not end them.
        assert configured.CACHES["default"]["BACKEND"].endswith("LocMemCache")
        assert configured.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_the_redis_client_is_installed_for_production(tmp_path):
    # Django's RedisCache imports redis-py only when the cache is first used: a missing package
    # would pass every check and fail on the first rate limit. A new process, as production.
    code = (
        "import django; django.setup(); from django.core.cache import caches; "
        "print(type(caches['default']._cache.get_client()).__module__)"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        TESTING="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REDIS_URL="redis://127.0.0.1:1/0",  # never connected to: get_client() does not connect
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("redis")


def test_a_page_reads_its_session_from_redis_not_the_database(client, shared_cache, ines):
    client.force_login(ines)
    client.get("/desk/")  # the session is in the cache after its first read
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/desk/").status_code == 200
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]


def test_logging_out_ends_the_session_for_every_process(client, shared_cache, ines):
    client.force_login(ines)
    assert client.get("/desk/").status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    # Another web machine logs the same session out: it deletes it from Redis and the database.
    store = importlib.import_module(CACHED_DB).SessionStore
    store(session_key=key).delete()
    assert client.get("/desk/").status_code == 302


def test_sessions_survive_an_emptied_redis(client, shared_cache, ines):
    client.force_login(ines)
    assert client.get("/desk/").status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    shared_cache.delete(f"django.contrib.sessions.cache{key}")  # Redis restarted without data
    assert client.get("/desk/").status_code == 200


def test_health_writes_and_reads_the_shared_cache(client, shared_cache):
    check = client.get("/health/").json()["checks"]["cache"]
    assert check["ok"] is True
    assert check["backend"] == "RedisCache"


def test_an_unreachable_redis_makes_the_machine_unhealthy(client):
    unreachable = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
    with override_settings(CACHES={"default": unreachable}):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["ok"] is False
    assert response.json()["checks"]["database"]["ok"] is True


def test_a_local_memory_cache_is_reported_as_such(client):
    check = client.get("/health/").json()["checks"]["cache"]
    assert check == {"ok": True, "ms": check["ms"], "backend": "local memory"}
