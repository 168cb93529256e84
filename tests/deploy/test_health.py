"""/health/ for the load balancer: database, task-queue lag and the search index, no login.
(The shared cache's check: test_shared_cache.py.)"""

import pytest

import knowledgebase.search as search

pytestmark = pytest.mark.django_db


def test_the_search_index_is_reported_not_configured_without_its_health_function(
    client, monkeypatch
):
    monkeypatch.delattr(search, "health", raising=False)
    body = client.get("/health/").json()
    assert body["checks"]["search"] == {
        "ok": True,
        "ms": body["checks"]["search"]["ms"],
        "status": "not configured",
    }
    assert body["status"] == "ok"


def test_a_search_index_that_lags_makes_the_machine_unhealthy(client, monkeypatch):
    monkeypatch.setattr(search, "health", lambda: (False, {"lag_seconds": 240.0}), raising=False)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["search"]["lag_seconds"] == 240.0
    assert response.json()["checks"]["database"]["ok"] is True


def test_a_search_health_answering_a_dict_is_read_too(client, monkeypatch):
    monkeypatch.setattr(search, "health", lambda: {"ok": True, "documents": 12}, raising=False)
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["checks"]["search"]["documents"] == 12


def test_a_search_health_that_raises_fails_the_check_without_a_traceback_in_the_answer(
    client, monkeypatch
):
    def broken():
        raise OSError("/var/lib/infolijn/index: permission denied")

    monkeypatch.setattr(search, "health", broken, raising=False)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["search"]["error"] == "OSError"
    assert "permission" not in response.content.decode()


def test_a_media_folder_the_app_cannot_write_makes_the_machine_unhealthy(
    client, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    assert client.get("/health/").json()["checks"]["media"]["ok"] is True
    monkeypatch.setattr("config.health.os.access", lambda path, mode: False)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["media"] == {
        "ok": False,
        "ms": response.json()["checks"]["media"]["ms"],
        "backend": "filesystem",
    }


def test_media_on_object_storage_is_configured_from_the_environment(monkeypatch):
    import importlib

    import config.settings as project_settings

    monkeypatch.setenv("MEDIA_STORAGE", "s3")
    monkeypatch.setenv("S3_BUCKET", "infolijn-media")
    monkeypatch.setenv("S3_ENDPOINT_URL", "https://s3.example.org")
    try:
        reloaded = importlib.reload(project_settings)
        storage = reloaded.STORAGES["default"]
        assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
        assert storage["OPTIONS"]["bucket_name"] == "infolijn-media"
        assert storage["OPTIONS"]["default_acl"] == "private"  # never public links
        monkeypatch.setenv("MEDIA_STORAGE", "ftp")
        with pytest.raises(RuntimeError, match="MEDIA_STORAGE"):
            importlib.reload(project_settings)
    finally:
        monkeypatch.delenv("MEDIA_STORAGE")
        importlib.reload(project_settings)
