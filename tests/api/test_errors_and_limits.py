"""One error body everywhere, and rate limits per token."""

import pytest
from django.test import Client

from helpdesk.api.throttling import AnonymousRateThrottle, ClientRateThrottle

from .conftest import ApiClient, error_of, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_a_minute(monkeypatch):
    rates = {"client": "3/min", "anonymous": "2/min"}
    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(AnonymousRateThrottle, "THROTTLE_RATES", rates)


def test_each_token_has_its_own_limit(three_a_minute, ines):
    first, second = ApiClient(Client(), token_for(ines)), ApiClient(Client(), token_for(ines))
    assert [first.get("/api/v1/topics/").status_code for _ in range(3)] == [200, 200, 200]
    limited = first.get("/api/v1/topics/")
    assert limited.status_code == 429
    error = error_of(limited)
    assert error["code"] == "throttled"
    assert int(limited["Retry-After"]) > 0
    assert second.get("/api/v1/topics/").status_code == 200


def test_a_browser_session_is_limited_per_person(three_a_minute, ines):
    client = Client()
    client.force_login(ines)
    statuses = [client.get("/api/v1/topics/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_statistics_api_follows_the_same_conventions(three_a_minute, cora, api_as):
    client = api_as("cora")
    bad = client.get("/api/v1/stats/summary/", {"from": "2026-02-01", "to": "2026-01-01"})
    assert bad.status_code == 400
    assert error_of(bad)["fields"]["to"] == ["The period ends before it starts."]
    assert api_as("anonymous").get("/api/v1/stats/summary/").status_code == 401
    refused = api_as("ines").get(
        "/api/v1/stats/summary/", {"from": "2026-01-01", "to": "2026-01-31"}
    )
    assert refused.status_code == 403
    assert (
        error_of(refused)["message"]
        == "Only coordinators and administrators may read the statistics."
    )
    client.get("/api/v1/stats/summary/", {"from": "2026-01-01", "to": "2026-01-31"})
    client.get("/api/v1/stats/summary/", {"from": "2026-01-01", "to": "2026-01-31"})
    assert client.get("/api/v1/stats/summary/").status_code == 429


def test_a_body_that_is_not_json_gets_a_parse_error(api_as):
    client = api_as("ines")
    response = client.client.post(
        "/api/v1/tickets/", "{not json", content_type="application/json", headers=client.headers
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


def test_a_form_body_is_refused_with_unsupported_media_type(api_as):
    client = api_as("ines")
    response = client.client.post("/api/v1/tickets/", {"queue": "infolijn"}, headers=client.headers)
    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


def test_a_method_not_allowed_uses_the_error_body(api_as):
    response = api_as("ines").client.delete("/api/v1/topics/", headers=api_as("ines").headers)
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_field_errors_name_each_field(api_as):
    response = api_as("ines").post("/api/v1/tickets/", {"channel": "pigeon"})
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"queue", "channel"}
    assert all(isinstance(m, str) for messages in error["fields"].values() for m in messages)


def test_a_server_error_is_logged_and_answered_with_the_error_body(api_as, monkeypatch, caplog):
    from helpdesk.api.views import lists

    def boom(user):
        raise RuntimeError("broken")

    monkeypatch.setattr(lists, "queues_visible_to", boom)
    client = api_as("ines")
    client.client.raise_request_exception = False
    response = client.get("/api/v1/queues/")
    assert response.status_code == 500
    assert error_of(response)["code"] == "server_error"
    assert "broken" not in response.content.decode()
    assert any("API server error" in r.message for r in caplog.records)


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/api/v1/tickets/", {"queue": "info\x00lijn"}),
        (
            "get",
            "/api/v1/stats/summary/",
            {"from": "2026-01-01", "to": "2026-01-31", "queue": "\x00"},
        ),
        (
            "post",
            "/api/v1/tickets/",
            {"queue": "infolijn", "channel": "phone", "topics": ["a\x00"]},
        ),
    ],
)
def test_a_nul_character_anywhere_is_a_clear_400_before_the_database(api_as, method, path, data):
    response = getattr(api_as("adam"), method)(path, data)
    assert response.status_code == 400
    assert "NUL" in error_of(response)["message"]


def test_an_unknown_api_path_answers_with_the_error_body(api_as):
    response = api_as("ines").get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_a_missing_second_factor_answers_with_the_error_body(cora):
    client = Client()
    client.force_login(cora, second_factor=False)  # coordinators must use two factors
    response = client.get(
        "/api/v1/stats/summary/",
        {"from": "2026-01-01", "to": "2026-01-31"},
        HTTP_ACCEPT_LANGUAGE="en",  # the message is in the caller's language
    )
    assert response.status_code == 403
    error = error_of(response)
    assert error["code"] == "permission_denied"
    assert "Two-factor" in error["message"]
