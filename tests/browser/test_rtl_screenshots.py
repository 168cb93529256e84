"""The public pages in Arabic and Persian are the mirror image of their Dutch versions.

Each page is opened in Dutch and in a right-to-left language; the test measures where the
parts of the page start (the inline-start edge: the left edge in Dutch, the right edge in
Arabic), checks that they mirror within a few pixels, that nothing scrolls sideways, and that the
html element says dir="rtl". Screenshots of both are written for people to look at
(RTL_SCREENSHOT_DIR, else the test's temporary folder); the comparison itself is numeric, because
the texts differ and so do their pixels.

A page is one line in PAGES.
"""

import os
from pathlib import Path

import pytest

from helpdesk.models import Channel, Queue, Topic
from helpdesk.services.contacts import contact_find_or_create
from helpdesk.services.tickets import message_receive, ticket_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("seeded_transactional_db", "kb_article"),
]

# Page name → its address for a language ("{lang}"), given the requester's ticket.
PAGES = {
    "question form": lambda ticket: "/{lang}/ask/",
    "requester's page": lambda ticket: f"/t/{ticket.access_token}/?lang={{lang}}",
    "knowledge base": lambda ticket: "/{lang}/kb/",
    "knowledge-base article": lambda ticket: "/{lang}/kb/geen-opvangplaats/",
}
RIGHT_TO_LEFT = ["ar", "fa"]
# The parts whose position must mirror: the site bar, the heading, and the page's main blocks.
PARTS = [
    ".public-bar",
    ".public-bar .brand",
    "main",
    "main h1",
    "main .lead",
    "main form fieldset",
    "main .timeline",
    "main .card",
    "main button[type=submit]",
]
TOLERANCE = 3  # pixels; rounding and scrollbars, not layout


@pytest.fixture
def kb_article(seeded_transactional_db):
    """A public article in Dutch, Arabic and Persian, a Dutch place name inside the Arabic."""
    from knowledgebase.services.articles import article_save

    def text(title, summary, body):
        return {"title": title, "summary": summary, "body": body}

    return article_save(
        slug="geen-opvangplaats",
        category="reception",
        visibility="public",
        source_language="nl",
        translations={
            "nl": text(
                "Geen opvangplaats",
                "Wat kunt u doen als u geen bed krijgt?",
                "Ga naar het **Aanmeldcentrum** in Brussel en vraag naar de sociale dienst.",
            ),
            "ar": text(
                "لا يوجد مكان في الاستقبال",
                "ماذا تفعل إذا لم تحصل على سرير؟",
                "اذهب إلى مركز التسجيل (Klein Kasteeltje) في بروكسل واطلب الخدمة الاجتماعية.",
            ),
            "fa": text(
                "جای پذیرش نیست",
                "اگر تخت به شما داده نشد چه کار کنید؟",
                "به مرکز ثبت‌نام (Klein Kasteeltje) در بروکسل بروید و سراغ خدمات اجتماعی را بگیرید.",
            ),
        },
    )


@pytest.fixture
def requester_ticket(seeded_transactional_db):
    """A question from the web form, in Dutch, with a reply from the requester (a Dutch place
    name and a phone number in it: the mixed-direction content of a real conversation)."""
    queue = Queue.objects.get(slug="infolijn")
    contact = contact_find_or_create(email="rania@example.org", name="Rania")
    ticket = ticket_create(
        queue=queue,
        channel=Channel.WEBFORM,
        subject="Opvang in Klein-Kasteeltje",
        body="Ik sta aan het aanmeldcentrum Klein-Kasteeltje. Bel me op +32 470 12 34 56.",
        contact=contact,
        topics=[Topic.objects.get(code="reception")],
    )
    message_receive(
        ticket=ticket, channel=Channel.WEBFORM, body="أنا في مركز Klein-Kasteeltje منذ الصباح."
    )
    return ticket


def layout(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page.evaluate(
        """(parts) => {
            const width = document.documentElement.clientWidth;
            const found = {};
            for (const selector of parts) {
                const element = document.querySelector(selector);
                if (!element) continue;
                const box = element.getBoundingClientRect();
                if (box.width === 0) continue;
                const rtl = getComputedStyle(element).direction === "rtl";
                found[selector] = {
                    start: rtl ? width - box.right : box.left,
                    end: rtl ? box.left : width - box.right,
                    width: box.width,
                };
            }
            const probe = document.createElement("span");
            probe.className = "icon-dir";
            probe.textContent = "→";
            document.body.append(probe);
            const icon = getComputedStyle(probe).transform;
            probe.remove();
            return {
                dir: document.documentElement.dir,
                lang: document.documentElement.lang,
                overflow: document.documentElement.scrollWidth - width,
                parts: found,
                icon: icon,
            };
        }""",
        PARTS,
    )


@pytest.fixture
def screenshot(page, tmp_path):
    folder = Path(os.environ.get("RTL_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)

    def take(name):
        page.screenshot(path=str(folder / f"{name.replace(' ', '-')}.png"), full_page=True)

    return take


@pytest.mark.parametrize("language", RIGHT_TO_LEFT)
@pytest.mark.parametrize("name", list(PAGES))
def test_the_page_in_a_right_to_left_language_mirrors_the_dutch_one(
    live_server, page, screenshot, requester_ticket, name, language
):
    address = live_server.url + PAGES[name](requester_ticket)
    dutch = layout(page, address.format(lang="nl"))
    screenshot(f"{name}-nl")
    mirrored = layout(page, address.format(lang=language))
    screenshot(f"{name}-{language}")

    assert dutch["dir"] == "ltr"
    assert (mirrored["lang"], mirrored["dir"]) == (language, "rtl")
    assert dutch["overflow"] <= 0, "the Dutch page scrolls sideways"
    assert mirrored["overflow"] <= 0, f"the page scrolls sideways in {language}"
    compared = set(dutch["parts"]) & set(mirrored["parts"])
    assert len(compared) >= 4, f"too few parts found to compare: {sorted(compared)}"
    for part in sorted(compared):
        ltr, rtl = dutch["parts"][part], mirrored["parts"][part]
        # Mirrored: the same distance from the start edge, or, for a part that sits at the end
        # of its line (a search button whose width follows its label), from the end edge.
        assert (
            abs(ltr["start"] - rtl["start"]) <= TOLERANCE
            or abs(ltr["end"] - rtl["end"]) <= TOLERANCE
        ), (
            f"{name}, {part}: starts {ltr['start']:.0f}px from the left in Dutch but "
            f"{rtl['start']:.0f}px from the right in {language} (ends {ltr['end']:.0f}px from "
            f"the right, {rtl['end']:.0f}px from the left)"
        )
    assert dutch["icon"] == "none"
    assert mirrored["icon"] == "matrix(-1, 0, 0, 1, 0, 0)", "arrows must point the other way"


def test_nothing_scrolls_sideways_on_a_phone(live_server, phone_page, requester_ticket):
    for name, address in PAGES.items():
        for language in ["nl", *RIGHT_TO_LEFT, "ps"]:
            url = live_server.url + address(requester_ticket).format(lang=language)
            measured = layout(phone_page, url)
            assert measured["overflow"] <= 0, f"{name} in {language} scrolls sideways on a phone"
