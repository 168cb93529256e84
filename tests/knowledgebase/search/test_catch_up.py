"""Two web machines, each with its own index, catching up from one source of truth."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured

from knowledgebase import search
from knowledgebase.search import sync
from knowledgebase.search.sync import ArticleSource, index_catch_up
from knowledgebase.search.whoosh_backend import WhooshBackend

from .conftest import DUBLIN, FAMILY, NO_PLACE, PUBLIC, doc

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


class Database:
    """The articles table as the catch-up sees it, through the two callables kb registers."""

    def __init__(self):
        self.rows = {}

    def save(self, article, at):
        self.rows[article.slug] = replace(article, updated_at=at)

    def remove(self, slug):
        del self.rows[slug]

    def changed_since(self, since):
        return [d for d in self.rows.values() if since is None or d.updated_at >= since]

    def changed_at(self, after):
        return sorted(
            d.updated_at for d in self.rows.values() if after is None or d.updated_at > after
        )

    def live_slugs(self):
        return list(self.rows)

    @property
    def source(self):
        return ArticleSource(
            changed_since=self.changed_since, changed_at=self.changed_at, live_slugs=self.live_slugs
        )


@pytest.fixture
def database():
    db = Database()
    db.save(DUBLIN, T0)
    db.save(NO_PLACE, T0 + timedelta(minutes=1))
    return db


@pytest.fixture
def web1(tmp_path):
    return WhooshBackend(tmp_path / "web1")


@pytest.fixture
def web2(tmp_path):
    return WhooshBackend(tmp_path / "web2")


def found(backend, query, language="nl"):
    return [h.slug for h in backend.search(query, language=language, visibilities=PUBLIC).hits]


def test_a_machine_starting_with_an_empty_index_builds_it_from_the_database(database, web1):
    result = index_catch_up(backend=web1, source=database.source)
    assert result.rebuilt is True
    assert web1.doc_count() == 2
    assert web1.watermark() == T0 + timedelta(minutes=1)


def test_a_machine_that_was_down_is_correct_after_its_next_run(database, web1, web2):
    index_catch_up(backend=web1, source=database.source)
    index_catch_up(backend=web2, source=database.source)
    # web2 goes down; meanwhile an article is added, one is changed, one is deleted.
    database.save(FAMILY, T0 + timedelta(hours=1))
    database.save(
        doc(1, "dublin-procedure", nl=("Dublin: nieuwe regels", "", "Wachttijd verandert.")),
        T0 + timedelta(hours=2),
    )
    database.remove("no-reception-place")
    index_catch_up(backend=web1, source=database.source)
    assert found(web2, "gezinshereniging") == []  # still behind
    assert found(web2, "opvangplaats") == ["no-reception-place"]

    result = index_catch_up(backend=web2, source=database.source)  # back up: the timer runs

    assert result.rebuilt is False
    assert result.deleted == 1
    for machine in (web1, web2):
        assert found(machine, "gezinshereniging") == ["family-reunification"]
        assert found(machine, "wachttijd") == ["dublin-procedure"]
        assert found(machine, "opvangplaats") == []
        assert machine.doc_count() == 2
        assert machine.watermark() == T0 + timedelta(hours=2)


def test_a_catch_up_with_nothing_new_changes_nothing(database, web1):
    index_catch_up(backend=web1, source=database.source)
    result = index_catch_up(backend=web1, source=database.source)
    assert (result.rebuilt, result.deleted) == (False, 0)
    assert web1.doc_count() == 2
    assert web1.watermark() == T0 + timedelta(minutes=1)


def test_a_change_saved_with_an_older_timestamp_is_still_taken_in(database, web1):
    # A long transaction commits after a newer row was indexed: the overlap window catches it.
    index_catch_up(backend=web1, source=database.source)
    database.save(FAMILY, T0 + timedelta(minutes=1) - timedelta(seconds=30))
    index_catch_up(backend=web1, source=database.source)
    assert found(web1, "gezinshereniging") == ["family-reunification"]


def test_without_a_registered_source_the_catch_up_says_what_is_missing(monkeypatch, web1):
    monkeypatch.setattr(sync, "_source", None)
    with pytest.raises(ImproperlyConfigured, match="register_source"):
        index_catch_up(backend=web1)


def test_the_registered_source_is_used_by_default(monkeypatch, database, web1):
    monkeypatch.setattr(sync, "_source", None)
    sync.register_source(
        changed_since=database.changed_since,
        changed_at=database.changed_at,
        live_slugs=database.live_slugs,
    )
    assert index_catch_up(backend=web1).upserted == 2


def test_the_command_catches_up_the_configured_index(monkeypatch, settings, tmp_path, database):
    from io import StringIO

    from django.core.management import call_command

    from knowledgebase.search import _backend

    settings.KB_INDEX_DIR = tmp_path / "machine"
    settings.KB_SEARCH_BACKEND = "knowledgebase.search.whoosh_backend.WhooshBackend"
    _backend.cache_clear()
    monkeypatch.setattr(sync, "_source", database.source)
    out = StringIO()
    try:
        call_command("kb_index_catch_up", stdout=out)
        assert "rebuilt=True upserted=2" in out.getvalue()
        assert WhooshBackend(tmp_path / "machine").doc_count() == 2
    finally:
        _backend.cache_clear()


# --- /health/: a machine whose catch-up stopped says so -----------------------------------------


def test_a_machine_whose_index_missed_an_old_change_reports_itself_behind(database, web1):
    index_catch_up(backend=web1, source=database.source)
    database.save(FAMILY, datetime.now(UTC) - timedelta(minutes=20))  # catch-up not running

    ok, details = search.health(backend=web1, source=database.source)

    assert not ok
    assert details["behind"] == 1
    assert details["lag_seconds"] >= 20 * 60


def test_a_change_younger_than_the_allowed_lag_keeps_the_machine_healthy(database, web1):
    index_catch_up(backend=web1, source=database.source)
    database.save(FAMILY, datetime.now(UTC) - timedelta(seconds=30))

    ok, details = search.health(backend=web1, source=database.source)

    assert ok
    assert details["behind"] == 1


def test_after_catching_up_the_machine_is_healthy_again(database, web1):
    database.save(FAMILY, datetime.now(UTC) - timedelta(minutes=20))
    assert not search.health(backend=web1, source=database.source)[0]  # never caught up

    index_catch_up(backend=web1, source=database.source)

    assert search.health(backend=web1, source=database.source) == (
        True,
        {"backend": "WhooshBackend", "lag_seconds": 0.0, "behind": 0},
    )
