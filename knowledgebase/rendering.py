"""Markdown to safe HTML: articles are written by people, read by everyone."""

from functools import lru_cache

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "a", "ul", "ol", "li", "h2", "h3", "h4", "blockquote",
    "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td", "abbr", "bdi",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "th": {"scope"}}


def render_markdown(text: str) -> SafeString:
    return mark_safe(_render(text or ""))  # noqa: S308 - sanitised by nh3 in _render


@lru_cache(maxsize=1024)
def _render(text: str) -> str:
    """Markdown to sanitised HTML, remembered per text (articles are read far more than written)."""
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    )


def safe_snippet(html: str) -> SafeString:
    """A search snippet: only <mark> survives (the backend escapes the text)."""
    return mark_safe(nh3.clean(html or "", tags={"mark"}, attributes={}))  # noqa: S308
