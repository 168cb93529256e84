"""The PostgreSQL backend: same interface, same analysis, one shared index (run on PostgreSQL)."""

import pytest
from django.db import connection

from knowledgebase.search.pg_backend import PostgresBackend, tsquery, tsvector
from knowledgebase.search.sync import ArticleSource, index_catch_up

from .conftest import ARTICLES, DUBLIN, PUBLIC, STAFF

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL backend needs PostgreSQL"
)


def test_the_tsvector_holds_our_own_lexemes_with_title_weight():
    assert tsvector("Opvangplaatsen", "geen opvangplaats", "nl") == (
        "'opvangplaats':1A 'opvangplaats':2B"
    )
    assert "'l''asile'" not in tsvector("", "l'asile", "fr")  # apostrophes split and escaped


def test_the_tsquery_ors_words_and_ands_glossary_phrases():
    q = tsquery(["kamp"], ["reception centre"])
    assert "'kamp'" in q
    assert "('reception' & 'centr')" in q


@pytest.fixture
def pg(db):
    backend = PostgresBackend()
    backend.rebuild(ARTICLES)
    return backend


@needs_postgres
def test_it_finds_and_ranks_in_the_readers_language(pg):
    hit = pg.search("dublin", language="fr", visibilities=PUBLIC).hits[0]
    assert (hit.slug, hit.language, hit.title) == ("dublin-procedure", "fr", "La procédure Dublin")
    assert "<mark>" in hit.snippet


@needs_postgres
def test_it_hides_internal_articles_from_anonymous_readers(pg):
    assert pg.search("beller crisis", language="nl", visibilities=PUBLIC).hits == []
    assert [h.slug for h in pg.search("beller", language="nl", visibilities=STAFF).hits] == [
        "caller-in-crisis"
    ]


@needs_postgres
def test_a_reader_allowed_no_visibility_sees_nothing(pg):
    assert pg.search("dublin", language="nl", visibilities=frozenset()).hits == []


@needs_postgres
def test_it_normalises_persian_typed_on_an_arabic_keyboard(pg):
    hit = pg.search("كمپ", language="ps", visibilities=PUBLIC).hits[0]
    assert (hit.slug, hit.language) == ("no-reception-place", "fa")


@needs_postgres
def test_upsert_delete_and_count(pg):
    assert pg.doc_count() == len(ARTICLES)
    pg.upsert([DUBLIN, DUBLIN])
    assert pg.doc_count() == len(ARTICLES)
    pg.delete([DUBLIN.slug])
    assert pg.search("dublin", language="nl", visibilities=PUBLIC).hits == []
    assert DUBLIN.slug not in pg.indexed_slugs()


@needs_postgres
def test_the_shared_index_needs_no_catch_up(pg):
    source = ArticleSource(
        changed_since=lambda since: [], changed_at=lambda after: [], live_slugs=lambda: []
    )
    assert index_catch_up(backend=pg, source=source).upserted == 0
    assert pg.doc_count() == len(ARTICLES)
