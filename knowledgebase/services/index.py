"""Index maintenance: run by the "search" queue's worker and by kb_rebuild_index, never by a page."""

from knowledgebase.search import get_backend
from knowledgebase.selectors.articles import index_docs


def index_rebuild(*, progress=None) -> int:
    """Rebuild the whole index from the database; return the number of articles indexed."""
    indexed = 0
    newest = None

    def counted():
        nonlocal indexed, newest
        for doc in index_docs():
            indexed += 1
            if doc.updated_at is not None and (newest is None or doc.updated_at > newest):
                newest = doc.updated_at
            yield doc

    backend = get_backend()
    backend.rebuild(counted(), progress=progress)
    # A machine's own index now holds everything up to the newest change it read: the catch-up
    # (and /health/) start from there instead of finding every article "changed".
    if getattr(backend, "keeps_own_index", False) and newest is not None:
        backend.set_watermark(newest)
    return indexed
