"""Answering with the knowledge base in a real browser: insert at the cursor, the fallback
warning before sending, canned responses by keyboard, the search in place (htmx)."""

import re

import pytest
from playwright.sync_api import expect

from helpdesk.models import ArticleUse, CannedResponse
from tests.answer import conftest as answer_fixtures
from tests.knowledgebase import conftest as kb

from .conftest import log_in

make_article = kb.make_article
dublin = kb.dublin
whoosh_index = kb.whoosh_index
reindex = kb.reindex
reception_article = answer_fixtures.reception_article
pashto_ticket = answer_fixtures.pashto_ticket


pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_transactional_db")]


@pytest.fixture
def articles(whoosh_index, reindex, reception_article, dublin):
    reindex()


def test_staff_insert_an_article_at_the_cursor_and_the_answer_links_it(
    live_server, page, ines, ticket, articles
):
    log_in(page, live_server, "ines")
    page.goto(f"{live_server.url}/desk/tickets/{ticket.reference}/")
    panel = page.locator("#kb-panel")
    expect(panel).to_contain_text("لا يوجد مكان في الاستقبال")
    page.fill("#reply_body", "Hello,")
    url_before = page.url
    panel.get_by_role("button", name="Insert summary and link").first.click()
    expect(page.locator("#reply_body")).to_have_value(
        re.compile(r"^Hello,\n\nلا يوجد مكان في الاستقبال\n\n.*?/k/\w+/ar/$", re.S)
    )
    assert page.url == url_before  # no page load
    expect(page.locator("#kb-attached-list input[value=no-reception-place]")).to_be_checked()
    page.get_by_role("button", name="Send answer").click()
    expect(page.locator(".messages")).to_contain_text("The answer is on its way.")
    use = ArticleUse.objects.get()
    assert use.article_slug == "no-reception-place"
    assert use.language == "ar"
    expect(page.locator(".kb-answered")).to_contain_text("No reception place")


def test_the_fallback_warning_shows_before_sending(
    live_server, page, ines, pashto_ticket, articles
):
    log_in(page, live_server, "ines")
    page.goto(f"{live_server.url}/desk/tickets/{pashto_ticket.reference}/")
    page.locator("#kb-panel").get_by_role("button", name="Insert full text").first.click()
    expect(page.locator("#kb-attached [role=alert]")).to_contain_text(
        "does not exist in Pashto: the English text will be sent"
    )
    expect(page.locator("#reply_body")).to_have_value(
        re.compile(r"^No reception place\n\nPut your name")
    )
    assert not ArticleUse.objects.exists()


def test_a_canned_response_is_chosen_and_inserted_with_the_keyboard(
    live_server, page, ines, ticket, infolijn
):
    CannedResponse.objects.create(
        queue=infolijn,
        shortcut="thanks",
        name="Thanks",
        body_nl="Bedankt {name}.",
        body_ar="شكرا {name}.",
    )
    log_in(page, live_server, "ines")
    page.goto(f"{live_server.url}/desk/tickets/{ticket.reference}/")
    page.locator("#canned").focus()
    page.keyboard.type("thanks")
    page.keyboard.press("Enter")
    expect(page.locator("#reply_body")).to_have_value("شكرا Amina.")
    expect(page.locator("#canned")).to_have_value("")


def test_the_search_in_place_swaps_the_panel_only(live_server, page, ines, ticket, articles):
    log_in(page, live_server, "ines")
    page.goto(f"{live_server.url}/desk/tickets/{ticket.reference}/")
    page.fill("#reply_body", "typed text stays")
    page.fill("#kbq", "Dublin")
    page.locator("#kbq").press("Enter")
    expect(page.locator("#kb-panel")).to_contain_text("إجراءات دبلن")
    expect(page.locator("#reply_body")).to_have_value("typed text stays")
