import pytest
from django.utils import timezone
from playwright.sync_api import expect

from helpdesk.channels.twilio.models import Call, StaffPhone
from helpdesk.models import Queue

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_transactional_db")]


def test_staff_start_taking_calls_and_see_callers_waiting_without_reloading(
    live_server, page, ines, settings
):
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = "AC" + "0" * 32, "token"
    outside, violations = [], []
    page.on(
        "request", lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url)
    )
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    log_in(page, live_server, "ines")
    page.get_by_role("link", name="Phone").click()
    page.fill("#id_phone", "0470 12 34 56")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Your phone number was saved.")
    page.get_by_role("button", name="Take calls today").click()
    expect(page.get_by_text("You take calls today", exact=True)).to_be_visible()
    assert StaffPhone.objects.get(user=ines).available_on == timezone.localdate()

    expect(page.locator("#waiting")).to_contain_text("Nobody is waiting.")
    Call.objects.create(
        queue=Queue.objects.get(slug="infolijn"),
        language_id="ar",
        state="queued",
        enqueued_at=timezone.now(),
        call_sid="CA" + "1" * 32,
    )
    # The list refreshes itself every 10 seconds (htmx).
    expect(page.locator("#waiting")).to_contain_text("Arabic", timeout=15_000)
    assert outside == []
    assert violations == []
