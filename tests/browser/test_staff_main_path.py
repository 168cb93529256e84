import re

import pytest
from playwright.sync_api import expect

from helpdesk.models import Status, Ticket

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_transactional_db")]


def test_staff_log_a_call_by_keyboard_then_answer_and_close_a_ticket(
    live_server, page, ines, ticket
):
    log_in(page, live_server, "ines")
    expect(page.get_by_role("heading", name="Tickets")).to_be_visible()
    expect(page.get_by_role("link", name=ticket.reference)).to_be_visible()

    # Log a call with the keyboard only: the form opens on "who is asking".
    page.get_by_role("link", name="Log a call").click()
    expect(page.locator("#id_requester_type")).to_be_focused()
    page.keyboard.press("ArrowDown")  # first requester type
    page.keyboard.press("Tab")  # language: the default
    page.keyboard.press("Tab")  # topic
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("Where does a man without a reception place sleep tonight?")
    page.keyboard.press("Tab")
    page.keyboard.type("Samusocial, and register at Fedasil dispatching tomorrow.")
    page.keyboard.press("Control+Enter")
    expect(page.locator(".messages")).to_contain_text("Call logged as")
    logged = Ticket.objects.exclude(pk=ticket.pk).get()
    assert logged.status == Status.CLOSED
    assert logged.messages.count() == 2

    # Answer the email ticket (sent by email, its own channel, by default) and close it.
    page.goto(f"{live_server.url}/desk/tickets/{ticket.reference}/")
    page.fill("#reply_body", "You can sleep at the Samusocial tonight.")
    page.get_by_role("button", name="Send answer").click()
    expect(page.locator(".messages")).to_contain_text("The answer is on its way.")
    expect(page.locator(".timeline")).to_contain_text("You can sleep at the Samusocial tonight.")
    page.select_option("#status_status", "closed")
    page.select_option("#status_outcome", label="Information given")
    page.get_by_role("button", name="Change status").click()
    expect(page.locator(".ticket-head .badge")).to_have_text("Closed")
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED


def test_the_inbox_filters_without_a_page_load(live_server, page, ines, ticket):
    log_in(page, live_server, "ines")
    page.fill("#id_q", "no-such-words")
    expect(page.locator("#results")).to_contain_text("No tickets match")
    assert re.search(r"q=no-such-words", page.url)  # the filter is in the URL, to bookmark
    page.fill("#id_q", "reception")
    expect(page.get_by_role("link", name=ticket.reference)).to_be_visible()


def test_pages_load_nothing_from_other_hosts_and_break_no_csp_rule(live_server, page, ines, ticket):
    outside, violations = [], []
    page.on(
        "request", lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url)
    )
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    log_in(page, live_server, "ines")
    for path in ("/desk/", f"/desk/tickets/{ticket.reference}/", "/desk/calls/new/"):
        page.goto(live_server.url + path)
    assert outside == []
    assert violations == []
