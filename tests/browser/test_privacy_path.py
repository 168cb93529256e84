"""A coordinator's first login sets up two-factor authentication in a real browser, and an
administrator handles a person's request; no page breaks the CSP or loads from another host."""

import base64
import re

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from helpdesk.privacy.models import PrivacyRequest

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_transactional_db")]
SHOTS = None  # set to a folder (e.g. "/tmp/shots") to look at the pages while working on them


def code_from_key(key_text: str) -> str:
    """What the person's authenticator app shows for the key typed from the page."""
    key = key_text.replace(" ", "")
    key += "=" * (-len(key) % 8)
    return f"{TOTP(base64.b32decode(key)).token():06d}"


def watch(page, live_server):
    outside, violations = [], []
    page.on(
        "request",
        lambda r: None if r.url.startswith((live_server.url, "data:")) else outside.append(r.url),
    )
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return outside, violations


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_a_coordinator_sets_up_two_factor_then_reaches_the_settings(live_server, page, cora):
    outside, violations = watch(page, live_server)
    log_in(page, live_server, "cora")
    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    qr = page.get_by_role("img", name="QR code for your authenticator app")
    expect(qr).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth > 0", qr.element_handle())  # it rendered
    shot(page, "otp-setup")
    page.get_by_text("Cannot scan? Type this key instead").click()
    key = page.locator(".key code").inner_text()
    page.fill("#id_code", code_from_key(key))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Your backup codes")).to_be_visible()
    assert len(re.findall(r"\d{8}", page.locator(".backup-codes").inner_text())) == 10
    shot(page, "otp-backup-codes")
    page.get_by_role("link", name="I have saved them").click()
    page.goto(f"{live_server.url}/admin/")
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    assert outside == []
    assert violations == []


def test_an_administrator_exports_and_erases_a_persons_data(live_server, page, adam, ticket):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=adam, name="phone", confirmed=True)
    outside, violations = watch(page, live_server)
    log_in(page, live_server, "adam")
    page.fill("#id_code", f"{TOTP(device.bin_key).token():06d}")
    page.get_by_role("button", name="Continue").click()
    page.goto(f"{live_server.url}/desk/tickets/{ticket.reference}/")
    shot(page, "ticket")
    page.get_by_role("link", name="Their data: export, correct, erase").click()
    expect(page.get_by_role("heading", name=f"Person #{ticket.contact_id}")).to_be_visible()
    shot(page, "person")

    page.fill("#export_reason", "Email of 3 March, identity checked by phone")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the export").click()
    assert download.value.suggested_filename.endswith(".zip")

    page.fill("#erase_reason", "Asked by phone on 4 March")
    page.check("#erase_confirm")
    page.get_by_role("button", name="Erase this person's data").click()
    expect(page.locator(".messages")).to_contain_text("erased")
    assert list(PrivacyRequest.objects.values_list("kind", flat=True).order_by("id")) == [
        "access",
        "erasure",
    ]
    page.goto(f"{live_server.url}/privacy/audit/")
    expect(page.locator("table.audit")).to_contain_text("Erased a person's data on request")
    shot(page, "audit")
    page.goto(f"{live_server.url}/privacy/")
    shot(page, "privacy-home")
    assert outside == []
    assert violations == []
