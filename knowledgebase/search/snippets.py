"""Titles and snippets as safe HTML: escaped text, the matched words in <mark> (any backend).

A word is marked when its search term in the text's language (analysis.analyse_word, the same
step the index uses) is one of the query's terms: "réfugiés" is marked for a search on
"refugie". Written here rather than with whoosh.highlight, which re-ran the whole analyser
chain token by token and cost a millisecond per hit, a third of a search at 5,000 articles.
"""

import html

from .analysis import analyse_word, word_matches

SNIPPET_CHARS = 180  # the longest fragment, in characters
SURROUND = 60  # context kept before the first and after the last match of a fragment
FRAGMENTS = 2  # the best fragments shown, in text order
BETWEEN = " … "


def _matches(text: str, terms: set[str], language: str) -> list[tuple[int, int, str]]:
    return [
        (m.start(), m.end(), term)
        for m in word_matches(text)
        if (term := analyse_word(m.group(), language)) in terms
    ]


def _mark(text: str, start: int, end: int, matches) -> str:
    """text[start:end] escaped, with the matches inside it marked."""
    out, position = [], start
    for m_start, m_end, _term in matches:
        if m_start < start or m_end > end:
            continue
        out.append(html.escape(text[position:m_start], quote=False))
        out.append(f"<mark>{html.escape(text[m_start:m_end], quote=False)}</mark>")
        position = m_end
    out.append(html.escape(text[position:end], quote=False))
    return "".join(out)


def _fragments(text: str, matches) -> list[tuple[int, int, list]]:
    """Windows of at most SNIPPET_CHARS around runs of matches, cut at spaces."""
    fragments = []
    i = 0
    while i < len(matches):
        first = matches[i]
        run = [first]
        i += 1
        while i < len(matches) and matches[i][1] - first[0] <= SNIPPET_CHARS - 2 * SURROUND:
            run.append(matches[i])
            i += 1
        start = max(0, first[0] - SURROUND)
        end = min(len(text), run[-1][1] + SURROUND)
        if start > 0:  # begin at a word: after the first space in the context
            space = text.find(" ", start, first[0])
            start = space + 1 if space != -1 else start
        if end < len(text):  # end at a word: before the last space in the context
            space = text.rfind(" ", run[-1][1], end)
            end = space if space != -1 else end
        fragments.append((start, end, run))
    return fragments


def highlight_html(text: str, terms: set[str], language: str, *, whole: bool) -> str:
    """`text` escaped, with the words whose search term (in `language`) is in `terms` marked.

    whole=True marks the whole text (a title); otherwise up to two fragments around matches
    (those with the most different terms, then the most matches, shown in text order), or the
    beginning of the text when nothing matches.
    """
    matches = _matches(text, terms, language) if terms and text else []
    if whole:
        return _mark(text, 0, len(text), matches)
    if matches:
        fragments = _fragments(text, matches)
        best = sorted(
            fragments,
            key=lambda f: (len({m[2] for m in f[2]}), len(f[2]), -f[0]),
            reverse=True,
        )[:FRAGMENTS]
        best.sort(key=lambda f: f[0])
        parts = [_mark(text, start, end, run) for start, end, run in best]
        prefix = "… " if best[0][0] > 0 else ""
        suffix = " …" if best[-1][1] < len(text) else ""
        return prefix + BETWEEN.join(parts) + suffix
    if len(text) <= SNIPPET_CHARS:
        return html.escape(text, quote=False)
    cut = text[:SNIPPET_CHARS].rsplit(" ", 1)[0]
    return html.escape(cut, quote=False) + " …"
