"""Languages: what Django lacks, and the few rules every part of the app shares.

Kept free of Django imports at module level (bar the locale table) because settings imports it.
"""

# Django ships no locale data for these; without it the admin raises KeyError and
# LocaleMiddleware ignores the language. A (header-only) catalogue in locale/ completes it.
EXTRA_LANG_INFO = {
    "ps": {"bidi": True, "code": "ps", "name": "Pashto", "name_local": "پښتو"},
    "ti": {"bidi": False, "code": "ti", "name": "Tigrinya", "name_local": "ትግርኛ"},
    "so": {"bidi": False, "code": "so", "name": "Somali", "name_local": "Soomaali"},
}


def teach_django_languages():
    from django.conf.locale import LANG_INFO

    for code, info in EXTRA_LANG_INFO.items():
        LANG_INFO.setdefault(code, info)


def is_rtl(code: str) -> bool:
    from django.conf import settings

    return (code or "").split("-")[0] in settings.RTL_LANGUAGES


def tier(code: str) -> str | None:
    from django.conf import settings

    for name, codes in settings.LANGUAGE_TIERS.items():
        if code in codes:
            return name
    return None


def fallback_chain(code: str) -> list[str]:
    """The languages to try, in order, for a reader of `code`: itself first, the default last."""
    from django.conf import settings

    chain = [code, *settings.LANGUAGE_FALLBACKS.get(code, []), settings.LANGUAGE_CODE]
    return list(dict.fromkeys(c for c in chain if c))


def language_name(code: str) -> str:
    """The language's name in the active language (Pashto, Pachto, Pasjtoe...)."""
    from django.conf import settings

    return str(dict(settings.LANGUAGES).get(code, code))
