"""The knowledge base in a real browser: a volunteer at the gate searches on a phone, in Arabic.

The articles are saved through the services in committed transactions, so the index is written
by the real index task (the immediate task backend of the tests) into the real whoosh engine.
"""

import re

import pytest
from playwright.sync_api import expect

from knowledgebase.services.articles import article_save

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded_transactional_db")]


def text(title, summary, body):
    return {"title": title, "summary": summary, "body": body}


@pytest.fixture
def articles(settings, tmp_path):
    article_save(
        slug="family-reunification",
        category="family",
        visibility="public",
        source_language="nl",
        translations={
            "nl": text(
                "Gezinshereniging",
                "Uw partner en kinderen laten overkomen.",
                "Binnen het jaar na de erkenning.",
            ),
            "en": text(
                "Family reunification",
                "Bringing your partner and children.",
                "Within a year of recognition.",
            ),
            "ar": text(
                "لمّ الشمل العائلي",
                "استقدام شريكك وأطفالك إذا حصلت على الحماية.",
                "يمكن للاجئين المعترف بهم طلب **لمّ الشمل العائلي** خلال سنة من الاعتراف.",
            ),
            "fa": text("پیوستن خانواده", "آوردن همسر و فرزندان‌تان.", "در یک سال پس از شناسایی."),
        },
    )
    article_save(
        slug="no-reception-place",
        category="reception",
        visibility="public",
        source_language="nl",
        translations={
            "nl": text(
                "Geen opvangplaats", "Wat als Fedasil u geen plaats geeft?", "Wachtlijst, advocaat."
            ),
            "ar": text(
                "لم أحصل على مكان في مركز الاستقبال",
                "ماذا تفعل إذا لم تمنحك فيداسيل مكاناً.",
                "قائمة الانتظار ومحامٍ.",
            ),
        },
    )


def watch(page, live_server):
    outside, violations = [], []
    page.on(
        "request", lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url)
    )
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return outside, violations


def serious_accessibility_violations(page):
    """axe-core's serious and critical findings (loaded from our own static files)."""
    origin = re.match(r"https?://[^/]+", page.url).group(0)
    page.add_script_tag(url=f"{origin}/static/vendor/axe-core/axe.min.js")
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations
                .filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(" "))}));
        }"""
    )


def test_a_volunteer_searches_in_arabic_on_a_phone_right_to_left(live_server, phone_page, articles):
    page = phone_page
    outside, violations = watch(page, live_server)
    page.goto(f"{live_server.url}/ar/kb/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")

    # Typed as people type: without the shadda, with a different alef.
    search = page.locator("#kb-q")
    search.fill("لم الشمل")
    search.press("Enter")
    first = page.locator(".kb-results ol > li a").first
    expect(first).to_have_text("لمّ الشمل العائلي")
    expect(first).to_have_attribute("dir", "rtl")

    # Right to left: the result starts at the right edge of the phone, nothing scrolls sideways.
    box = first.bounding_box()
    width = page.viewport_size["width"]
    assert box["x"] + box["width"] > width - 40, box
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert serious_accessibility_violations(page) == []

    first.click()
    expect(page.locator("h1")).to_have_text("لمّ الشمل العائلي")
    expect(page.locator("article.kb-article")).to_have_attribute("dir", "rtl")
    expect(page.locator(".kb-fallback")).to_have_count(0)
    expect(page.locator("svg.qr")).to_be_visible()  # to hand the article over
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert serious_accessibility_violations(page) == []
    assert outside == []
    assert violations == []


def test_a_reader_of_pashto_gets_the_farsi_text_and_is_told_so(live_server, phone_page, articles):
    page = phone_page
    page.goto(f"{live_server.url}/ps/kb/family-reunification/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("article.kb-article")).to_have_attribute("lang", "fa")
    expect(page.locator(".kb-fallback")).to_be_visible()


def test_the_language_switcher_keeps_the_same_article(live_server, phone_page, articles):
    page = phone_page
    page.goto(f"{live_server.url}/ar/kb/family-reunification/")
    page.select_option("#public-language", "en")
    expect(page).to_have_url(f"{live_server.url}/en/kb/family-reunification/")
    expect(page.locator("h1")).to_have_text("Family reunification")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")


def test_the_question_form_suggests_articles_from_the_real_knowledge_base(
    live_server, page, articles
):
    from knowledgebase.models import SearchLog

    page.goto(f"{live_server.url}/nl/ask/")
    page.fill("textarea[name=question]", "Ik kreeg geen opvangplaats van Fedasil, wat nu?")
    suggestion = page.locator("#kb-suggestions a").first
    expect(suggestion).to_have_text("Geen opvangplaats")
    expect(suggestion).to_have_attribute("href", f"{live_server.url}/nl/kb/no-reception-place/")
    assert SearchLog.objects.filter(source="api", language="nl", result_count__gt=0).exists()
