"""Markdown source to the plain text the index stores for snippets (no HTML ever reaches it)."""

import re

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<(https?://[^>]+)>")
_TAG = re.compile(r"<[^>]+>")
_LINE_MARK = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", re.MULTILINE)
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`+|~~)")
_SPACE = re.compile(r"\s+")


def plain_text(markdown: str) -> str:
    """Readable text of a Markdown source on one line: link texts kept, markup dropped."""
    text = _LINK.sub(r"\1", markdown or "")
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub(" ", text)
    text = _LINE_MARK.sub("", text)
    text = _EMPHASIS.sub("", text)
    return _SPACE.sub(" ", text).strip()
