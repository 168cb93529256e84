"""Titles and snippets as safe HTML: escaped text, the matched words in <mark> (any backend)."""

import html

from whoosh import highlight

from .analysis import analyzer

SNIPPET_CHARS = 180


class MarkFormatter(highlight.Formatter):
    between = " … "

    def _text(self, text):
        return html.escape(text, quote=False)

    def format_token(self, text, token, replace=False):
        return f"<mark>{html.escape(highlight.get_text(text, token, replace), quote=False)}</mark>"


_FORMATTER = MarkFormatter()


def highlight_html(text: str, terms: set[str], language: str, *, whole: bool) -> str:
    """`text` escaped, with the words whose search term (in `language`) is in `terms` marked.

    whole=True marks the whole text (a title); otherwise up to two fragments around matches,
    or the beginning of the text when nothing matches.
    """
    if terms and text:
        fragmenter = (
            highlight.WholeFragmenter()
            if whole
            else highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)
        )
        marked = highlight.highlight(text, terms, analyzer(language), fragmenter, _FORMATTER, top=2)
        if marked:
            return marked
    if whole or len(text) <= SNIPPET_CHARS:
        return html.escape(text, quote=False)
    cut = text[:SNIPPET_CHARS].rsplit(" ", 1)[0]
    return html.escape(cut, quote=False) + " …"
