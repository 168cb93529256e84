"""Direction and language helpers for templates: {% load infolijn_i18n %}.

- `{{ ticket.reference|ltr }}`: references, phone numbers, email addresses, links and other
  numbers read left to right, even inside Arabic or Persian text, and do not pull the text around
  them along (`<bdi dir="ltr">`).
- `{{ contact.name|isolate }}`: text typed by people, whose direction we do not know (a Dutch
  place name in an Arabic sentence, an Arabic name on a Dutch page): `<bdi>` takes the direction
  of its own first letter and leaves the sentence around it alone.
- `{% chrome_notice %}`: on pages in a language whose menus and buttons are not translated (the
  content tier: ps, ti, so), says which language they are shown in instead.
"""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info

from config.languages import chrome_language, is_rtl, language_name

register = template.Library()


def _wrap(value, opening: str, autoescape: bool):
    if value is None or value == "":
        return ""
    text = conditional_escape(value) if autoescape else value
    return format_html("{}{}</bdi>", opening, text)


@register.filter(needs_autoescape=True)
def ltr(value, css_class="", autoescape=True):
    """A number, reference, phone number, address or link, kept left to right and isolated.

    `{{ ticket.reference|ltr:"ref" }}` adds a class of its own.
    """
    classes = " ".join(["ltr", *str(css_class).split()])
    return _wrap(value, format_html('<bdi dir="ltr" class="{}">', classes), autoescape)


@register.filter(needs_autoescape=True)
def isolate(value, autoescape=True):
    """People's text of unknown direction, isolated from the sentence around it."""
    return _wrap(value, mark_safe("<bdi>"), autoescape)


@register.inclusion_tag("i18n/_chrome_notice.html")
def chrome_notice():
    language = (get_language() or "").split("-")[0]
    chrome = chrome_language(language)
    if not language or chrome == language:
        return {"show": False}
    return {
        "show": True,
        # The reader's language named in itself, marked as such for screen readers.
        "language_html": format_html(
            '<span lang="{}">{}</span>', language, get_language_info(language)["name_local"]
        ),
        "chrome": chrome,
        "chrome_name": language_name(chrome),
        "chrome_direction": "rtl" if is_rtl(chrome) else "ltr",
    }
