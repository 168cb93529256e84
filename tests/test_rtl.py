"""Right to left: the html element carries the language's direction, CSS never says left/right,
numbers and references stay left to right inside right-to-left text, and people's words are
isolated from the sentence around them."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
PHYSICAL = re.compile(
    r"(?<![-\w])(margin|padding|border)-(left|right)\b"
    r"|(?<![-\w])(left|right)\s*:"
    r"|text-align\s*:\s*(left|right)"
    r"|float\s*:\s*(left|right)"
    r"|clear\s*:\s*(left|right)"
)


@pytest.mark.parametrize(
    ("language", "direction"), [("ar", "rtl"), ("fa", "rtl"), ("ps", "rtl"), ("nl", "ltr")]
)
def test_pages_take_their_direction_from_the_language(client, ines, language, direction):
    client.force_login(ines)
    body = client.get("/desk/", headers={"Accept-Language": language}).content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "direction"),
    [("ar", "rtl"), ("fa", "rtl"), ("ps", "rtl"), ("nl", "ltr"), ("uk", "ltr"), ("ti", "ltr")],
)
def test_the_public_form_takes_its_direction_from_the_address(client, language, direction):
    body = client.get(f"/{language}/ask/").content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in body


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("fa", "rtl"), ("nl", "ltr")])
def test_the_requesters_page_runs_in_the_direction_of_its_language(
    client, ticket, language, direction
):
    url = reverse("webform_private:ticket", args=[ticket.access_token]) + f"?lang={language}"
    body = client.get(url).content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in body
    # The reference reads left to right inside the Arabic or Persian heading.
    assert f'<bdi dir="ltr" class="ltr ref">{ticket.reference}</bdi>' in body


@pytest.mark.django_db
def test_an_anonymous_visitor_sees_no_staff_page_in_any_direction(client):
    # The one who must see nothing: the language changes the words, never who may look.
    for language in ("ar", "fa", "nl"):
        response = client.get("/desk/", headers={"Accept-Language": language})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_stylesheets_use_logical_properties_only():
    offenders = []
    sheets = [p for p in (ROOT / "static").rglob("*.css") if "vendor" not in p.parts]
    assert len(sheets) >= 5
    for css in sorted(sheets):
        for number, line in enumerate(css.read_text(encoding="utf-8").splitlines(), 1):
            if PHYSICAL.search(line):
                offenders.append(f"{css.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "use margin-inline-start, inset-inline-end, text-align: start..."


@pytest.mark.parametrize(
    "rule",
    ["margin-left: 1rem", "padding-right:0", "left: 0", "text-align: right", "float:left"],
)
def test_the_stylesheet_check_would_catch_a_physical_property(rule):
    assert PHYSICAL.search(rule)


@pytest.mark.parametrize(
    "rule", ["margin-inline-start: 1rem", "inset-inline-end: 0", "text-align: start"]
)
def test_the_stylesheet_check_lets_logical_properties_through(rule):
    assert not PHYSICAL.search(rule)


def test_directional_icons_are_mirrored_right_to_left():
    css = (ROOT / "static" / "css" / "i18n.css").read_text(encoding="utf-8")
    assert re.search(r'\[dir="rtl"\] \.icon-dir \{ transform: scaleX\(-1\); \}', css)


def render(source, **context):
    return Template("{% load infolijn_i18n %}" + source).render(Context(context))


def test_references_and_numbers_stay_left_to_right_inside_any_text():
    assert render("{{ r|ltr }}", r="IL-2026-000123") == (
        '<bdi dir="ltr" class="ltr">IL-2026-000123</bdi>'
    )
    assert render('{{ r|ltr:"ref" }}', r="+32 470 12 34 56") == (
        '<bdi dir="ltr" class="ltr ref">+32 470 12 34 56</bdi>'
    )
    assert render("{{ r|ltr }}", r="") == ""


def test_peoples_words_are_isolated_and_escaped():
    # A Dutch place name inside an Arabic sentence, and markup that must stay text.
    assert render("{{ n|isolate }}", n="Klein-Kasteeltje") == "<bdi>Klein-Kasteeltje</bdi>"
    assert render("{{ n|isolate }}", n="<b>أمينة</b>") == "<bdi>&lt;b&gt;أمينة&lt;/b&gt;</bdi>"
    assert render("{{ n|ltr }}", n='"><script>') == (
        '<bdi dir="ltr" class="ltr">&quot;&gt;&lt;script&gt;</bdi>'
    )


@pytest.mark.django_db
def test_the_staff_inbox_isolates_references_and_names(client, ines, ticket):
    client.force_login(ines)
    body = client.get("/desk/").content.decode()
    assert f'<bdi dir="ltr" class="ltr">{ticket.reference}</bdi>' in body
    assert "<bdi>Amina" in body
