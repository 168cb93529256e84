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


# --- What the public reads, hears and receives ---------------------------------------------------
# The public tier (settings.LANGUAGE_TIERS["public"]) must translate every string used by these
# files (globs relative to the project folder) and these single strings of shared modules
# (a msgid, or (context, msgid)). tests/test_i18n.py checks it against the code itself, so a new
# public page is added here and nowhere else. Staff pages, the admin and staff-only mail are not
# listed: the official tier covers them.
PUBLIC_SOURCES = [
    "templates/base.html",
    "templates/public_base.html",
    "templates/i18n/*.html",
    "templates/helpdesk/_field.html",
    "templates/helpdesk/_form_errors.html",
    "templates/webform/*.html",  # the question form, its confirmation, the requester's page
    "templates/emails/acknowledgement/*",  # mails to requesters
    "templates/emails/reply/*",
    # The knowledge base's public pages (read by asylum seekers and Startpunt volunteers); not its
    # staff pages (staff/*), the statistics section or the review mail. fnmatch's "*" crosses "/",
    # so the files are named one by one.
    "templates/knowledgebase/base.html",
    "templates/knowledgebase/home.html",
    "templates/knowledgebase/category.html",
    "templates/knowledgebase/article.html",  # with the fallback and outdated notices
    "templates/knowledgebase/search.html",
    "templates/knowledgebase/_article_list.html",
    "templates/knowledgebase/_search_form.html",
    "knowledgebase/views/public.py",  # the QR code's title on the article page
    "helpdesk/channels/webform/forms.py",
    "helpdesk/channels/webform/views.py",
    "helpdesk/channels/webform/private_views.py",
    "helpdesk/channels/twilio/speech.py",  # the text of the phone prompts
]
PUBLIC_MESSAGES = [
    # The status badge on the requester's page.
    ("ticket status", "New"),
    ("ticket status", "Open"),
    ("ticket status", "Waiting on requester"),
    ("ticket status", "Answered"),
    ("ticket status", "Closed"),
    # Upload limits and refusals on the form (helpdesk/services/attachments.py).
    "“%(name)s”: files of this type are not accepted.",
    "“%(name)s” is larger than %(limit)s.",
    "At most %(size)s per file. Accepted: %(types)s.",
    # SMS answers end with the requester's private link (twilio/services/sending.py).
    "Your question and the attached files: %(link)s",
    "Your question online: %(link)s",
    # The languages, named on the form's language choice.
    "Dutch",
    "French",
    "English",
    "Arabic",
    "Persian (Farsi and Dari)",
    "Ukrainian",
    "Russian",
    "Turkish",
    "Spanish",
    "Pashto",
    "Tigrinya",
    "Somali",
]


def public_message_keys() -> set[tuple[str | None, str]]:
    return {item if isinstance(item, tuple) else (None, item) for item in PUBLIC_MESSAGES}


# --- Page chrome for languages without their own ------------------------------------------------


def chrome_language(code: str) -> str:
    """The language the menus, buttons and forms are shown in for a reader of `code`.

    Official and public languages have their own; a content-tier language (ps, ti, so) borrows
    the first official or public language of its fallback chain (ps → fa, ti → en, so → en).
    """
    from django.conf import settings

    code = (code or settings.LANGUAGE_CODE).split("-")[0]
    for candidate in fallback_chain(code):
        if tier(candidate) in ("official", "public"):
            return candidate
    return settings.LANGUAGE_CODE


def gettext_fallbacks(code: str) -> list[str]:
    """The catalogues gettext consults after `code`'s own, in order.

    A content-tier language reads its chrome language's catalogue; every language ends on the
    source texts (English, the msgids), never on another language's: an Arabic page with an
    untranslated staff string shows English, not Dutch (Django's own fallback is LANGUAGE_CODE).
    """
    code = (code or "").split("-")[0]
    if code.startswith("en"):
        return []
    chrome = chrome_language(code)
    return [chrome] if chrome != code and not chrome.startswith("en") else []


def install_gettext_fallbacks():
    """Make Django's translation objects follow gettext_fallbacks() instead of LANGUAGE_CODE.

    Django builds one DjangoTranslation per language and chains it, through gettext's own
    add_fallback(), to the default language's. We replace that one step; everything else (the
    merge of Django's, the apps' and our catalogues, the cache, plural forms per catalogue) stays
    Django's. Called from HelpdeskConfig.ready().
    """
    from django.utils.translation import trans_real

    if getattr(trans_real.DjangoTranslation, "_infolijn_fallbacks", False):
        return

    def _add_fallback(self, localedirs=None):
        for code in gettext_fallbacks(self._DjangoTranslation__language):
            if self.domain == "django":
                fallback = trans_real.translation(code)
            else:
                fallback = trans_real.DjangoTranslation(
                    code, domain=self.domain, localedirs=localedirs
                )
            self.add_fallback(fallback)

    trans_real.DjangoTranslation._add_fallback = _add_fallback
    trans_real.DjangoTranslation._infolijn_fallbacks = True
    # Translations built before (none, normally) were chained the old way.
    trans_real._translations = {}
    trans_real._default = None
