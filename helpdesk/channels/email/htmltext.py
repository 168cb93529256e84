"""HTML mail turned into text a person can read on the ticket page.

The HTML goes through nh3 first (the Rust html5ever parser behind ammonia): it repairs broken
markup the way a browser does and removes scripts, styles and everything that is not content, so
the small converter below walks a clean tree. Quoted replies (<blockquote>) come out as "> "
lines, which is how the quoting rules recognise them in plain-text mail too.
"""

from html.parser import HTMLParser

import nh3

BLOCKS = {
    "address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
INLINE = {"a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "em", "font", "i", "img", "kbd",
          "mark", "q", "s", "small", "span", "strong", "sub", "sup", "u"}  # fmt: skip
DROPPED_WITH_CONTENT = {"script", "style", "head", "title", "template", "noscript"}


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=BLOCKS | INLINE,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes={"a": {"href"}, "img": {"alt"}},
        url_schemes={"http", "https", "mailto", "tel"},
        strip_comments=True,
        link_rel=None,
    )


class _TextWriter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.quote_depth = 0
        self.pre = 0
        self.lists: list[list] = []  # per open list: [ordered, counter]
        self.link: str | None = None
        self.link_text: list[str] = []

    # Text accumulates into `current` until a block boundary ends the line.
    def _break(self, blank=False):
        text = "".join(self.current)
        if not self.pre:
            text = " ".join(text.split())
        prefix = "> " * self.quote_depth
        if text or blank:
            for line in text.split("\n") if self.pre else [text]:
                self.lines.append((prefix + line).rstrip())
        self.current = []
        if blank and self.lines and self.lines[-1].strip("> "):
            self.lines.append(prefix.rstrip())

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "br":
            self._break()
        elif tag in ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table", "pre", "ul", "ol"):
            self._break(blank=tag in ("p", "h1", "h2", "h3", "table", "ul", "ol"))
            if tag in ("ul", "ol"):
                self.lists.append([tag == "ol", 0])
            if tag == "pre":
                self.pre += 1
        elif tag == "blockquote":
            self._break()
            self.quote_depth += 1
        elif tag == "li":
            self._break()
            indent = "  " * max(len(self.lists) - 1, 0)
            if self.lists and self.lists[-1][0]:
                self.lists[-1][1] += 1
                self.current.append(f"{indent}{self.lists[-1][1]}. ")
            else:
                self.current.append(f"{indent}- ")
        elif tag in ("tr", "dt", "dd", "hr"):
            self._break()
            if tag == "hr":
                self.lines.append("> " * self.quote_depth + "---")
        elif tag in ("td", "th"):
            if self.current and "".join(self.current).strip():
                self.current.append("  ")
        elif tag == "a":
            self.link = attrs.get("href") or None
            self.link_text = []
        elif tag == "img" and attrs.get("alt"):
            self.current.append(f"[{attrs['alt']}]")

    def handle_endtag(self, tag):
        if tag in BLOCKS and tag not in ("td", "th"):
            if tag == "blockquote":
                self._break()
                self.quote_depth = max(self.quote_depth - 1, 0)
            elif tag in ("ul", "ol"):
                self._break(blank=True)
                if self.lists:
                    self.lists.pop()
            elif tag == "pre":
                self._break()
                self.pre = max(self.pre - 1, 0)
            else:
                self._break(blank=tag in ("p", "h1", "h2", "h3", "table"))
        elif tag == "a" and self.link:
            shown = "".join(self.link_text).strip()
            target = self.link.removeprefix("mailto:")
            if target and target.rstrip("/") != shown.rstrip("/") and not target.startswith("#"):
                self.current.append(f" <{target}>")
            self.link = None

    def handle_data(self, data):
        self.current.append(data)
        if self.link is not None:
            self.link_text.append(data)

    def text(self) -> str:
        self._break()
        out, blank = [], False
        for line in self.lines:
            is_blank = not line.strip("> ").strip()
            if is_blank and (blank or not out):
                continue
            out.append(line)
            blank = is_blank
        while out and not out[-1].strip("> ").strip():
            out.pop()
        return "\n".join(out)


def html_to_text(html: str) -> str:
    writer = _TextWriter()
    writer.feed(sanitise(html))
    writer.close()
    return writer.text()
