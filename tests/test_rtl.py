"""Right to left: the html element carries the language's direction, and CSS never says left/right."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PHYSICAL = re.compile(
    r"(?<![-\w])(margin|padding|border)-(left|right)\b"
    r"|(?<![-\w])(left|right)\s*:"
    r"|text-align\s*:\s*(left|right)"
    r"|float\s*:\s*(left|right)"
)


@pytest.mark.parametrize(
    ("language", "direction"), [("ar", "rtl"), ("fa", "rtl"), ("ps", "rtl"), ("nl", "ltr")]
)
def test_pages_take_their_direction_from_the_language(client, ines, language, direction):
    client.force_login(ines)
    body = client.get("/desk/", headers={"Accept-Language": language}).content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in body


def test_stylesheets_use_logical_properties_only():
    offenders = []
    for css in sorted((ROOT / "static" / "css").glob("*.css")):
        for number, line in enumerate(css.read_text(encoding="utf-8").splitlines(), 1):
            if PHYSICAL.search(line):
                offenders.append(f"{css.name}:{number}: {line.strip()}")
    assert offenders == [], "use margin-inline-start, inset-inline-end, text-align: start..."
