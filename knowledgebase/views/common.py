from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info

from config.languages import is_rtl, language_name
from knowledgebase.selectors.access import can_edit, can_read_internal


def reader_language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def kb_context(request, **extra) -> dict:
    return {
        "kb_internal": can_read_internal(request.user),
        "kb_editor": can_edit(request.user),
        **extra,
    }


def language_info(code: str) -> dict:
    """A language's code, its name in the reader's language, its own name, and direction."""
    return {
        "code": code,
        "name": language_name(code),
        "name_local": get_language_info(code)["name_local"],
        "rtl": is_rtl(code),
    }


def url_in(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)
