"""The knowledge-base language a ticket is answered in: one rule for suggestions, inserts and uses.

A ticket's language is a language people speak (Dari, Kurdish, Lingala...); its
`interface_language` names the site language that serves its speakers best (Dari → fa). Articles
exist in site languages only, so that is the language wanted; where an article lacks it,
knowledgebase.fallback picks the next best (ps → fa → en, ..., then nl).
"""

from django.conf import settings

from knowledgebase import fallback

SITE_LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)


def ticket_kb_language(ticket) -> str:
    """The site language to answer `ticket` in (the default language when it has none)."""
    language = ticket.language  # select_related by ticket_for
    if language is not None:
        for code in (language.interface_language, language.code):
            if code in SITE_LANGUAGES:
                return code
    return settings.LANGUAGE_CODE


def pick_text_language(available, wanted: str) -> str | None:
    """The language of the text to use for a reader of `wanted`, given the languages it has."""
    return fallback.pick(available, wanted)
