"""Everyday words and official terms that mean the same thing, in any language (data/glossary.json).

A volunteer types "sociaal huis" or "welfare office"; the article says "OCMW". Each group of the
glossary lists phrases that stand for one idea, in as many languages as we know; a query that
contains one of them also looks for the others (with a lower weight). The groups are data: add a
line to the JSON file, no code changes.
"""

import json
from functools import cache

from .analysis import DATA_DIR, plain_word, words

MAX_PHRASE = 4


@cache
def _groups() -> tuple[tuple[str, ...], ...]:
    data = json.loads((DATA_DIR / "glossary.json").read_text(encoding="utf-8"))
    return tuple(tuple(group) for group in data["groups"])


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(plain_word(word) for word in words(phrase))


@cache
def _index() -> dict[tuple[str, ...], frozenset[int]]:
    index: dict[tuple[str, ...], set[int]] = {}
    for number, group in enumerate(_groups()):
        for phrase in group:
            key = _key(phrase)
            if key:
                index.setdefault(key, set()).add(number)
    return {key: frozenset(numbers) for key, numbers in index.items()}


def expand(tokens: list[str]) -> list[str]:
    """The glossary phrases related to the phrases found in `tokens` (raw query words).

    Phrases already in the query are not repeated.
    """
    keys = [plain_word(token) for token in tokens]
    index = _index()
    found: set[int] = set()
    present: set[tuple[str, ...]] = set()
    for start in range(len(keys)):
        for size in range(min(MAX_PHRASE, len(keys) - start), 0, -1):
            key = tuple(keys[start : start + size])
            if key in index:
                found |= index[key]
                present.add(key)
    out: list[str] = []
    groups = _groups()
    for number in sorted(found):
        for phrase in groups[number]:
            if _key(phrase) not in present and phrase not in out:
                out.append(phrase)
    return out
