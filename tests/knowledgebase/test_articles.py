"""Articles and their translations: what is current, outdated or missing, and the index."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from helpdesk.models import Language
from knowledgebase.models import Article, TranslationState
from knowledgebase.selectors.articles import translation_gaps, translation_states
from knowledgebase.services.articles import article_delete, article_save, translation_save
from knowledgebase.services.reviews import review_reminders_send

from .conftest import text

pytestmark = pytest.mark.django_db

CURRENT, OUTDATED, MISSING = (
    TranslationState.CURRENT,
    TranslationState.OUTDATED,
    TranslationState.MISSING,
)


def test_a_new_article_has_current_translations_where_written_and_missing_elsewhere(dublin):
    states = translation_states(Article.objects.get(pk=dublin.pk))
    assert {code: states[code] for code in ("nl", "fr", "ar", "fa")} == dict.fromkeys(
        ("nl", "fr", "ar", "fa"), CURRENT
    )
    assert states["ps"] == MISSING
    assert states["ti"] == MISSING


def test_changing_the_source_text_makes_every_translation_outdated(dublin):
    article_save(article=dublin, translations={"nl": {"body": "Nieuwe regels sinds 2026."}})
    dublin.refresh_from_db()
    assert dublin.source_revision == 2
    states = translation_states(dublin)
    assert states["nl"] == CURRENT
    assert states["fr"] == OUTDATED
    assert states["ar"] == OUTDATED


def test_a_small_correction_of_the_source_leaves_translations_current(dublin):
    article_save(article=dublin, translations={"nl": {"title": "De Dublin-procedure"}}, minor=True)
    dublin.refresh_from_db()
    assert dublin.source_revision == 1
    assert translation_states(dublin)["fr"] == CURRENT


def test_editing_a_translation_after_the_source_changed_makes_it_current_again(dublin):
    article_save(article=dublin, translations={"nl": {"body": "Nieuwe regels."}})
    translation_save(
        article=dublin, language="fr", title="La procédure Dublin", summary="", body="Règles."
    )
    states = translation_states(Article.objects.get(pk=dublin.pk))
    assert states["fr"] == CURRENT
    assert states["en"] == OUTDATED


def test_saving_an_unchanged_translation_confirms_it_matches_the_source(dublin):
    article_save(article=dublin, translations={"nl": {"body": "Nieuwe regels."}})
    translation_save(article=dublin, language="en", **dublin.text("en"))
    assert translation_states(Article.objects.get(pk=dublin.pk))["en"] == CURRENT


def test_a_translation_edited_while_the_source_did_not_change_does_not_outdate_others(dublin):
    article_save(article=dublin, translations={"fr": {"body": "Autre texte."}})
    dublin.refresh_from_db()
    assert dublin.source_revision == 1
    assert set(translation_states(dublin).values()) == {CURRENT, MISSING}


def test_the_outdated_list_names_each_language_that_lags(ines, dublin, make_article):
    make_article("work-permit", translations={"nl": text("Werkvergunning")})
    article_save(article=dublin, translations={"nl": {"body": "Nieuw."}})
    outdated = translation_gaps(ines, state=OUTDATED)
    assert sorted((g.article.slug, g.language) for g in outdated) == [
        ("dublin", "ar"),
        ("dublin", "en"),
        ("dublin", "fa"),
        ("dublin", "fr"),
    ]
    missing_fa = translation_gaps(ines, language="fa", state=MISSING)
    assert [g.article.slug for g in missing_fa] == ["work-permit"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"slug": "x", "translations": {"fr": text("Titre")}}, "needs a title in its source"),
        ({"slug": "x", "translations": {"xx": text("T")}}, "not a language of this site"),
        ({"slug": "search", "translations": {"nl": text("T")}}, "reserved"),
        ({"slug": "not a slug", "translations": {"nl": text("T")}}, "not a valid slug"),
        ({"slug": "x", "visibility": "secret", "translations": {"nl": text("T")}}, "visibility"),
    ],
)
def test_bad_article_data_is_refused_with_a_clear_message(fields, message):
    fields = {"category": "asylum", "source_language": "nl", "visibility": "public", **fields}
    # The messages are translated (Dutch is the default language): ask for the English ones.
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        article_save(**fields)
    assert message in " ".join(refused.value.messages)
    assert not Article.objects.exists()


def fresh_reader():
    """A backend opened now, as a web process that starts after the change would open it."""
    from knowledgebase.search.whoosh_backend import WhooshBackend

    return WhooshBackend()


def public_hits(backend, query):
    hits = backend.search(query, language="nl", visibilities=frozenset({"public"})).hits
    return [hit.slug for hit in hits]


def test_a_change_updates_the_index_once_the_transaction_commits(
    whoosh_index, make_article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article("legal-aid", translations={"nl": text("Juridische bijstand")})
    assert public_hits(fresh_reader(), "bijstand") == ["legal-aid"]
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=article, slug="free-legal-aid")
    assert fresh_reader().indexed_slugs() == {"free-legal-aid"}
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=Article.objects.get(pk=article.pk), visibility="internal")
    assert public_hits(fresh_reader(), "bijstand") == []  # no longer public
    with django_capture_on_commit_callbacks(execute=True):
        article_delete(article=Article.objects.get(slug="free-legal-aid"))
    assert fresh_reader().indexed_slugs() == set()


def test_a_long_running_reader_no_longer_finds_an_article_made_internal(
    whoosh_index, make_article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article("legal-aid", translations={"nl": text("Juridische bijstand")})
    assert public_hits(whoosh_index, "bijstand") == ["legal-aid"]  # the reader is now open
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=article, visibility="internal")
    assert public_hits(whoosh_index, "bijstand") == []


def test_nothing_reaches_the_index_before_the_transaction_commits(
    whoosh_index, make_article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_article("legal-aid")
    assert len(callbacks) == 1  # enqueued on commit, not before
    assert whoosh_index.indexed_slugs() == set()


def test_owners_of_overdue_articles_get_one_reminder_in_their_language(make_article, ines, lars):
    ines.spoken_languages.set(Language.objects.filter(code__in=["ar", "fr"]))
    lars.spoken_languages.set(Language.objects.filter(code__in=["nl"]))
    today = date(2026, 12, 5)
    make_article("dublin", owner=ines, review_by=today - timedelta(days=3))
    make_article("appeal", owner=ines, review_by=today)
    make_article("detention", owner=lars, review_by=today + timedelta(days=30))  # not yet
    assert review_reminders_send(today=today) == 1
    [reminder] = mail.outbox
    assert reminder.to == ["ines@infolijn.test"]
    # In French, the staff language ines speaks (the links open the French pages).
    assert "/fr/kb/dublin/" in reminder.body
    assert "/fr/kb/appeal/" in reminder.body
    assert "/fr/kb/detention/" not in reminder.body
    # Idempotent: the next run (a retry, the next day) sends nothing new for a week.
    assert review_reminders_send(today=today) == 0
    assert review_reminders_send(today=today + timedelta(days=1)) == 0
    assert review_reminders_send(today=today + timedelta(days=7)) == 1


def test_a_new_review_date_stops_the_reminders(make_article, ines):
    article = make_article("dublin", owner=ines, review_by=date(2026, 1, 1))
    review_reminders_send(today=date(2026, 1, 2))
    article_save(article=Article.objects.get(pk=article.pk), review_by=date(2027, 1, 1))
    assert review_reminders_send(today=date(2026, 1, 10)) == 0
    assert len(mail.outbox) == 1


def test_a_machine_catching_its_index_up_finds_new_changed_and_deleted_articles(
    whoosh_index, make_article, dublin
):
    from knowledgebase.search.sync import index_catch_up

    assert index_catch_up().rebuilt  # an empty index: everything
    assert whoosh_index.indexed_slugs() == {"dublin"}
    make_article("appeal", translations={"nl": text("Beroep")})
    article_save(article=Article.objects.get(pk=dublin.pk), tags=["eurodac"])  # tags only
    result = index_catch_up()
    assert result.upserted >= 2  # the new article and the re-tagged one
    assert fresh_reader().indexed_slugs() == {"dublin", "appeal"}
    article_delete(article=Article.objects.get(slug="appeal"))
    assert index_catch_up().deleted == 1
    assert fresh_reader().indexed_slugs() == {"dublin"}
