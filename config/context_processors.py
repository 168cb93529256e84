from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language_info

from config.languages import is_rtl


def site(request):
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "SITE_NAME": settings.SITE_NAME,
        "LANGUAGE_IS_RTL": is_rtl(language),
        # Each language named in itself, so anyone can find their own.
        "STAFF_LANGUAGE_CHOICES": [
            (code, get_language_info(code)["name_local"]) for code in settings.STAFF_LANGUAGES
        ],
        "PUBLIC_LANGUAGE_CHOICES": [
            (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
        ],
    }
