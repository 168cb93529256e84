"""Index maintenance: run by the "search" queue's worker and by kb_rebuild_index, never by a page."""

from knowledgebase.search import get_backend
from knowledgebase.selectors.articles import index_docs


def index_rebuild(*, progress=None) -> int:
    """Rebuild the whole index from the database; return the number of articles indexed."""
    indexed = 0

    def counted():
        nonlocal indexed
        for doc in index_docs():
            indexed += 1
            yield doc

    get_backend().rebuild(counted(), progress=progress)
    return indexed
