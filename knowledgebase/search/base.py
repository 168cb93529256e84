"""The search interface the knowledge base talks to; the engine (whoosh, PostgreSQL) hides behind it.

Pages, the API, tasks and commands use only these types and `get_backend()`; nothing outside
knowledgebase/search/ imports whoosh.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Translation:
    title: str
    summary: str
    body: str  # Markdown source


@dataclass(frozen=True)
class Doc:
    """One article as the index sees it: every translation it has, in one document."""

    article_id: int
    slug: str
    category: str  # category slug
    visibility: str  # "public" | "internal" | "draft"
    translations: dict[str, Translation]  # language code -> text; only languages that exist
    tags: tuple[str, ...] = ()
    updated_at: datetime | None = None


@dataclass(frozen=True)
class Hit:
    slug: str
    language: str  # the language the title/snippet are in: the searcher's, else the fallback
    title: str
    snippet: str  # safe HTML: escaped text with the matched terms in <mark>
    score: float
    title_html: str = ""  # safe HTML: the title escaped, matched terms in <mark>
    visibility: str = ""  # as the database has it now (kb_search fills it in)


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    total: int
    suggestion: str | None = None  # "did you mean", when a corrected query finds more
    fuzzy: bool = False  # True when typo-tolerant terms were used
    extra: dict = field(default_factory=dict)


Progress = Callable[[int], None]  # called with the number of documents done so far


class SearchBackend(Protocol):
    def search(
        self,
        query: str,
        *,
        language: str,
        visibilities: frozenset[str],
        category: str | None = None,
        limit: int = 10,
    ) -> Results: ...

    def upsert(self, docs: Iterable[Doc]) -> None: ...

    def delete(self, slugs: Iterable[str]) -> None: ...

    def rebuild(self, docs: Iterable[Doc], *, progress: Progress | None = None) -> None: ...

    def doc_count(self) -> int: ...
