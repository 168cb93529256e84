"""Our one-pass ranking gives the scores whoosh's own searcher gives, for the queries we build."""

from pathlib import Path

import pytest

from knowledgebase.search import glossary
from knowledgebase.search.analysis import words
from knowledgebase.search.evaluation import load_docs, load_queries
from knowledgebase.search.whoosh_backend import LanguageBM25F, WhooshBackend, build_query
from knowledgebase.search.whoosh_scoring import Ranker, SegmentData

DATA = Path(__file__).resolve().parents[2] / "data" / "kb_eval"


@pytest.fixture(scope="module")
def eval_backend(tmp_path_factory):
    docs = load_docs(DATA / "articles.jsonl")
    backend = WhooshBackend(tmp_path_factory.mktemp("scoring"))
    backend.rebuild(docs[:30])
    # A second segment, and deletions in the first: articles 0-4 are written again.
    backend.upsert(docs[30:] + docs[:5])
    return backend


def whoosh_scores(searcher, query) -> dict[int, float]:
    return {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}


QUERIES = list(load_queries(DATA / "queries.jsonl"))


def test_the_index_under_test_has_several_segments_and_deletions(eval_backend):
    searcher = eval_backend._index().searcher()
    assert len(searcher.reader().leaf_readers()) >= 2
    assert searcher.reader().has_deletions()


@pytest.mark.parametrize("query", QUERIES[::4], ids=lambda q: f"{q.kind}:{q.text}")
def test_it_scores_every_document_as_whoosh_does(eval_backend, query):
    searcher = eval_backend._index().searcher(weighting=LanguageBM25F())
    ranker = Ranker(searcher, SegmentData())
    tokens = words(query.text)
    # Typos: the corrected query, as a search builds it when the words typed find too little.
    corrections = eval_backend._corrections(eval_backend._searcher(), tokens)
    q = build_query(tokens, glossary.expand(tokens), corrections, reader=ranker)
    assert q is not None
    scored = ranker.scores(q)
    ours = {int(d): float(scored[d]) for d in scored.nonzero()[0]}
    theirs = whoosh_scores(searcher, q)
    assert set(ours) == set(theirs)
    for docnum, score in theirs.items():
        assert ours[docnum] == pytest.approx(score, rel=1e-4)


def test_it_never_scores_a_deleted_document(eval_backend):
    searcher = eval_backend._index().searcher(weighting=LanguageBM25F())
    ranker = Ranker(searcher, SegmentData())
    deleted = {
        base + docnum
        for reader, base in searcher.reader().leaf_readers()
        for docnum in reader.deleted_docs_set
    }
    assert deleted
    every_word = " ".join(QUERIES[i].text for i in range(0, len(QUERIES), 3))
    tokens = words(every_word)
    scored = ranker.scores(build_query(tokens, [], reader=ranker))
    assert scored.any()
    assert not deleted & set(scored.nonzero()[0].tolist())
