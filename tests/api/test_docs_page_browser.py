"""The API reference page renders in a real browser under our CSP, loading nothing from elsewhere."""

import pytest

from tests.browser.conftest import browser, page  # noqa: F401 - the shared chromium fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_reference_renders_every_operation_from_our_own_host(page, live_server):  # noqa: F811
    problems, hosts = [], set()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: hosts.add(r.url.split("/")[2]))
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock", timeout=20_000)
    assert page.locator(".opblock").count() >= 16
    assert "/api/v1/tickets/{reference}/merge/" in page.content()
    assert hosts == {live_server.url.split("/")[2]}
    assert not [p for p in problems if "Content Security Policy" in p], problems
