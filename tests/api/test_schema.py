"""The OpenAPI schema is complete, and the API keeps to it (schemathesis, bounded)."""

import pytest
import schemathesis
import yaml
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from helpdesk.models import Channel
from helpdesk.services.contacts import contact_find_or_create
from helpdesk.services.tickets import ticket_add_note, ticket_create

from .conftest import token_for

pytestmark = pytest.mark.django_db

# Every endpoint the API promises, with the methods it answers.
ENDPOINTS = {
    "/api/v1/tickets/": {"get", "post"},
    "/api/v1/tickets/{reference}/": {"get", "patch"},
    "/api/v1/tickets/{reference}/merge/": {"post"},
    "/api/v1/tickets/{reference}/messages/": {"get"},
    "/api/v1/tickets/{reference}/reply/": {"post"},
    "/api/v1/tickets/{reference}/notes/": {"post"},
    "/api/v1/contacts/": {"get"},
    "/api/v1/contacts/{contact_id}/": {"get"},
    "/api/v1/queues/": {"get"},
    "/api/v1/topics/": {"get"},
    "/api/v1/requester-types/": {"get"},
    "/api/v1/outcomes/": {"get"},
    "/api/v1/referrals/": {"get"},
    "/api/v1/languages/": {"get"},
    "/api/v1/stats/summary/": {"get"},
}


@pytest.fixture
def openapi(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_the_schema_lists_every_endpoint_with_its_methods(openapi):
    paths = {path: set(ops) - {"parameters"} for path, ops in openapi["paths"].items()}
    for path, methods in ENDPOINTS.items():
        assert methods <= paths.get(path, set()), path


def test_every_operation_documents_its_success_and_error_responses(openapi):
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            success = {"200", "201", "204"}  # 204: a delete answers with no body
            assert codes & success, (method, path)
            assert {"400", "401", "403", "404", "429", "500"} <= codes, (method, path)
            for code in codes - success:
                ref = operation["responses"][code]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/Error"), (method, path, code)
            assert operation.get("summary") or operation.get("description"), (method, path)


def test_the_list_documents_its_filters_and_paging(openapi):
    names = {p["name"] for p in openapi["paths"]["/api/v1/tickets/"]["get"]["parameters"]}
    assert names >= {
        "q",
        "queue",
        "status",
        "assignee",
        "channel",
        "language",
        "topic",
        "requester_type",
        "sort",
        "cursor",
        "page_size",
    }


def test_both_ways_to_authenticate_are_in_the_schema(openapi):
    schemes = openapi["components"]["securitySchemes"]
    assert schemes["tokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["tokenAuth"]["description"],
    }
    assert "cookieAuth" in schemes


def test_the_documentation_page_loads_nothing_from_another_host(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in body
    assert "http://" not in body
    assert "https://" not in body
    assert "'self'" in response["Content-Security-Policy"]


# --- schemathesis: generated requests against the running app (bounded to stay fast) ---


@pytest.fixture
def adam_token(adam, infolijn, ines):
    # Something to find: a ticket with messages in a queue adam (an administrator) sees.
    contact = contact_find_or_create(email="someone@example.org")
    ticket = ticket_create(
        queue=infolijn, channel=Channel.EMAIL, body="A question", contact=contact
    )
    ticket_add_note(ticket=ticket, author=ines, body="A note")
    return token_for(adam), ticket


def steer(case, ticket):
    """Half the generated requests name the ticket, its contact and a real queue, so they reach
    the code behind the 404s and 400s instead of stopping at them."""
    params = case.path_parameters or {}
    if "reference" in params:
        params["reference"] = ticket.reference
    if "contact_id" in params:
        params["contact_id"] = ticket.contact_id or 1
    if isinstance(case.body, dict) and "queue" in case.body:
        case.body["queue"] = "infolijn"


@pytest.fixture
def wsgi_app():
    """The real WSGI application, kept from closing the test's database connection after each
    request (Django's test client does the same; PostgreSQL would lose the test transaction)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_generated_requests_find_no_server_error_and_no_response_outside_the_schema(
    adam_token, wsgi_app
):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)
    token, ticket = adam_token
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= sum(len(methods) for methods in ENDPOINTS.values())

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=6,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case):
            case.call_and_validate(headers=headers, checks=checks)
            steer(case, ticket)
            case.call_and_validate(headers=headers, checks=checks)

        call()
