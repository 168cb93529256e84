"""The evaluation set (tests/data/kb_eval/) must keep its figures: MRR@10 ≥ 0.85, no kind < 0.7."""

from pathlib import Path

import pytest

from knowledgebase.search.evaluation import backend_search, evaluate, load_docs, load_queries
from knowledgebase.search.whoosh_backend import WhooshBackend

DATA = Path(__file__).resolve().parents[2] / "data" / "kb_eval"
KINDS = {
    "inflection",
    "missing_accents",
    "spelling_variant",
    "typo",
    "everyday",
    "question",
    "other_language",
}


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    backend = WhooshBackend(tmp_path_factory.mktemp("kb-eval"))
    backend.rebuild(load_docs(DATA / "articles.jsonl"))
    scores, _misses = evaluate(backend_search(backend), load_queries(DATA / "queries.jsonl"))
    return scores


def test_the_evaluation_set_covers_every_kind_of_query_in_several_languages():
    queries = load_queries(DATA / "queries.jsonl")
    docs = load_docs(DATA / "articles.jsonl")
    assert len(docs) >= 40
    assert len(queries) >= 100
    assert {q.kind for q in queries} == KINDS
    assert len({q.language for q in queries}) >= 8
    slugs = {d.slug for d in docs}
    assert all(q.relevant <= slugs for q in queries)


def test_search_reaches_the_quality_target_overall(scores):
    assert scores["all"].mrr >= 0.85, scores["all"]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_no_kind_of_query_falls_below_the_floor(scores, kind):
    assert scores[kind].mrr >= 0.7, (kind, scores[kind])
