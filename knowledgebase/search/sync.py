"""Keeping a machine's own index in step with the database (the source of truth).

Each web machine keeps its own whoosh index. `index_catch_up()` runs at start-up and on a timer:
it asks the knowledge base for the articles changed since the index's watermark (the newest
`updated_at` it has seen, kept in the index directory), upserts them, removes articles that no
longer exist, and moves the watermark on. A machine that was down catches up on its next run; an
empty index (first start, new schema version) is rebuilt from everything.

The search package knows nothing of the Article model: the knowledge-base app registers how to
read articles, in its AppConfig.ready():

    from knowledgebase.search.sync import register_source
    register_source(
        changed_since=selectors.search_docs_changed_since,
        changed_at=selectors.article_changes_after,
        live_slugs=selectors.article_slugs,
    )

- `changed_since(since: datetime | None) -> Iterable[Doc]`: every article (all visibilities)
  whose `updated_at >= since`, or all of them for None; each Doc with its `updated_at`;
- `changed_at(after: datetime | None) -> Iterable[datetime]`: only the `updated_at` of the
  articles changed after that moment (all for None), so /health/ can tell whether the index is
  behind without reading any article's text;
- `live_slugs() -> Iterable[str]`: the slugs of every article that exists now.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice

from django.core.exceptions import ImproperlyConfigured

from .base import Doc

log = logging.getLogger(__name__)

# Rows committed late (a long transaction) can carry an updated_at older than rows already seen:
# each run looks this far behind the watermark again. Upserts are idempotent.
OVERLAP = timedelta(minutes=5)
BATCH = 500


@dataclass(frozen=True)
class ArticleSource:
    changed_since: Callable[[datetime | None], Iterable[Doc]]
    changed_at: Callable[[datetime | None], Iterable[datetime]]
    live_slugs: Callable[[], Iterable[str]]


_source: ArticleSource | None = None


def register_source(
    *,
    changed_since: Callable[[datetime | None], Iterable[Doc]],
    changed_at: Callable[[datetime | None], Iterable[datetime]],
    live_slugs: Callable[[], Iterable[str]],
) -> None:
    global _source
    _source = ArticleSource(
        changed_since=changed_since, changed_at=changed_at, live_slugs=live_slugs
    )


def get_source() -> ArticleSource:
    if _source is None:
        raise ImproperlyConfigured(
            "No article source for the search index: the knowledge-base app must call "
            "knowledgebase.search.sync.register_source() in its ready()."
        )
    return _source


@dataclass(frozen=True)
class CatchUp:
    rebuilt: bool
    upserted: int
    deleted: int
    watermark: datetime | None


def _batches(items: Iterable[Doc], size: int):
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def index_catch_up(*, backend=None, source: ArticleSource | None = None) -> CatchUp:
    """Bring `backend`'s index up to date with `source`; safe to run any time, twice, at once."""
    from . import get_backend

    backend = backend or get_backend()
    source = source or get_source()
    if not getattr(backend, "keeps_own_index", False):
        return CatchUp(rebuilt=False, upserted=0, deleted=0, watermark=None)
    mark = backend.watermark()
    newest = mark
    seen = 0

    def note(docs: Iterable[Doc]):
        nonlocal newest, seen
        for doc in docs:
            seen += 1
            if doc.updated_at is not None and (newest is None or doc.updated_at > newest):
                newest = doc.updated_at
            yield doc

    if mark is None or backend.doc_count() == 0:
        backend.rebuild(note(source.changed_since(None)))
        rebuilt, deleted = True, 0
    else:
        for batch in _batches(note(source.changed_since(mark - OVERLAP)), BATCH):
            backend.upsert(batch)
        gone = backend.indexed_slugs() - set(source.live_slugs())
        backend.delete(gone)
        rebuilt, deleted = False, len(gone)
    if newest is not None and newest != mark:
        backend.set_watermark(newest)
    result = CatchUp(rebuilt=rebuilt, upserted=seen, deleted=deleted, watermark=newest)
    log.info("search index caught up", extra={"catch_up": result.__dict__})
    return result
