"""API test helpers: a JSON client per persona, by session or by personal token."""

import json

import pytest
from django.test import Client

from helpdesk.api.services.tokens import api_token_create


class ApiClient:
    """Speaks JSON; authenticates with a token (Authorization: Bearer) or a session."""

    def __init__(self, client: Client, token: str | None = None):
        self.client = client
        self.headers = {"Accept-Language": "en"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def _call(self, method, path, data=None, **extra):
        kwargs = {"headers": {**self.headers, **extra.pop("headers", {})}}
        if method in ("post", "patch", "put") and data is not None:
            kwargs.update(data=json.dumps(data), content_type="application/json")
        elif data is not None:
            kwargs["data"] = data
        return getattr(self.client, method)(path, **kwargs, **extra)

    def get(self, path, data=None, **extra):
        return self._call("get", path, data, **extra)

    def post(self, path, data=None, **extra):
        return self._call("post", path, data, **extra)

    def patch(self, path, data=None, **extra):
        return self._call("patch", path, data, **extra)


def token_for(user, name="test") -> str:
    return api_token_create(user=user, name=name, created_by=None).raw


@pytest.fixture
def api_as(request):
    """api_as("ines") → a client with ines's token; api_as("anonymous") → no credentials;
    api_as("ines", session=True) → logged in in the browser sense."""

    def make(persona: str, *, session: bool = False) -> ApiClient:
        client = Client(enforce_csrf_checks=False)
        if persona == "anonymous":
            return ApiClient(client)
        user = request.getfixturevalue(persona)
        if session:
            client.force_login(user)
            return ApiClient(client)
        return ApiClient(client, token_for(user))

    return make


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    assert body["error"]["message"], body
    return body["error"]
