"""Which language to show when a text lacks the reader's: one rule for pages, search and API.

The chain comes from settings.LANGUAGE_FALLBACKS (ps → fa → en, uk → ru → en, ...) and always ends
with the site's default language (nl), which every article is written in first.
"""

from collections.abc import Iterable

from django.conf import settings


def chain(language: str) -> list[str]:
    """The languages to try for a reader of `language`, best first, without repeats."""
    order = [language, *settings.LANGUAGE_FALLBACKS.get(language, []), settings.LANGUAGE_CODE]
    return list(dict.fromkeys(order))


def pick(available: Iterable[str], language: str) -> str | None:
    """The language to show to a reader of `language`, given the languages a text exists in.

    Falls back along the chain, then to any available language rather than nothing.
    """
    have = set(available)
    for code in chain(language):
        if code in have:
            return code
    return min(have) if have else None
