"""Searching the knowledge base: who may find what, then the engine behind knowledgebase.search."""

from knowledgebase.search import Results, get_backend

from .access import visibilities_for

MAX_QUERY = 300


def kb_search(
    *,
    user,
    query: str,
    language: str,
    scope: str = "internal",
    category: str | None = None,
    limit: int = 10,
) -> Results:
    """Articles matching `query` that `user` may read, best first (the web process only reads).

    scope="public" leaves internal articles out even for those who may read them (the public
    question form); scope="internal" includes them for those who may.
    """
    query = " ".join((query or "").split())[:MAX_QUERY]
    if not query:
        return Results(hits=[], total=0)
    return get_backend().search(
        query,
        language=language,
        visibilities=visibilities_for(user, scope=scope),
        category=category or None,
        limit=limit,
    )
