"""Index maintenance: run by the "search" queue's worker and by kb_rebuild_index, never by a page."""

from knowledgebase.search import get_backend
from knowledgebase.selectors.articles import index_docs


def index_rebuild(*, progress=None) -> int:
    """Rebuild the whole index from the database; return the number of documents indexed."""
    backend = get_backend()
    backend.rebuild(index_docs(), progress=progress)
    return backend.doc_count()
