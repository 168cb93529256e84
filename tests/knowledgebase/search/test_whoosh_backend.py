"""The whoosh backend: what readers find, in which language, and what they never see."""

import threading

from knowledgebase.search import Translation

from .conftest import ARTICLES, DUBLIN, FAMILY, NO_PLACE, PUBLIC, STAFF, doc


def slugs(results):
    return [hit.slug for hit in results.hits]


def test_an_empty_index_finds_nothing_and_counts_nothing(backend):
    assert backend.doc_count() == 0
    assert backend.search("dublin", language="nl", visibilities=PUBLIC).hits == []


def test_it_counts_articles_not_languages(indexed):
    assert indexed.doc_count() == len(ARTICLES)


def test_it_finds_an_article_by_an_inflected_word(indexed):
    results = indexed.search("opvangplaatsen", language="nl", visibilities=PUBLIC)
    assert slugs(results)[0] == "no-reception-place"


def test_it_ranks_a_title_match_above_a_body_match(indexed, backend):
    backend.upsert(
        [
            doc(10, "mentions-dublin", nl=("Vingerafdrukken", "", "Soms gaat het over Dublin.")),
        ]
    )
    assert slugs(indexed.search("dublin", language="nl", visibilities=PUBLIC))[:2] == [
        "dublin-procedure",
        "mentions-dublin",
    ]


def test_it_hides_internal_articles_from_anonymous_readers(indexed):
    assert "caller-in-crisis" not in slugs(
        indexed.search("beller crisis", language="nl", visibilities=PUBLIC)
    )


def test_it_shows_internal_articles_to_staff_and_volunteers(indexed):
    assert slugs(indexed.search("beller crisis", language="nl", visibilities=STAFF)) == [
        "caller-in-crisis"
    ]


def test_a_reader_allowed_no_visibility_sees_nothing(indexed):
    results = indexed.search("gezinshereniging", language="nl", visibilities=frozenset())
    assert results.hits == []
    assert results.total == 0


def test_drafts_stay_out_of_public_and_staff_results(indexed):
    found = slugs(indexed.search("gezinshereniging", language="nl", visibilities=STAFF))
    assert found == ["family-reunification"]


def test_it_filters_by_category(indexed):
    assert slugs(
        indexed.search("gezinshereniging", language="nl", visibilities=PUBLIC, category="family")
    ) == ["family-reunification"]
    assert (
        indexed.search(
            "gezinshereniging", language="nl", visibilities=PUBLIC, category="reception"
        ).hits
        == []
    )


def test_it_answers_in_the_searchers_language_when_the_article_has_it(indexed):
    hit = indexed.search("dublin", language="fr", visibilities=PUBLIC).hits[0]
    assert (hit.language, hit.title) == ("fr", "La procédure Dublin")


def test_a_query_in_a_language_the_article_lacks_finds_it_in_the_fallback(indexed):
    # Farsi words; a Pashto reader (chain ps → fa → en) gets the Farsi text.
    hit = indexed.search("کمپ", language="ps", visibilities=PUBLIC).hits[0]
    assert (hit.slug, hit.language) == ("no-reception-place", "fa")
    # The Dutch reader of an English query gets the Dutch text of the same article.
    hit = indexed.search("family reunification", language="nl", visibilities=PUBLIC).hits[0]
    assert (hit.slug, hit.language) == ("family-reunification", "nl")


def test_it_ignores_arabic_diacritics_and_alef_forms(indexed):
    for query in ("اللجوء", "اللُّجوء", "إجراءات دبلن", "اجراءات"):
        assert slugs(indexed.search(query, language="ar", visibilities=PUBLIC))[:1] == [
            "dublin-procedure"
        ], query


def test_it_finds_persian_typed_with_arabic_letters(indexed):
    # "کمپ" typed on an Arabic keyboard: ك instead of ک.
    assert (
        slugs(indexed.search("كمپ", language="fa", visibilities=PUBLIC))[0] == "no-reception-place"
    )


def test_it_finds_french_without_accents(indexed):
    assert slugs(indexed.search("procedure", language="fr", visibilities=PUBLIC))[0] == (
        "dublin-procedure"
    )


def test_it_tolerates_a_typo_and_suggests_the_correction(indexed):
    results = indexed.search("gezinsherenigng", language="nl", visibilities=PUBLIC)
    assert slugs(results) == ["family-reunification"]
    assert results.fuzzy is True
    assert results.suggestion == "gezinshereniging"


def test_it_does_not_go_fuzzy_when_exact_words_find_enough(indexed):
    results = indexed.search("dublin", language="nl", visibilities=PUBLIC)
    assert results.fuzzy is False
    assert results.suggestion is None


def test_it_marks_the_matched_words_in_escaped_snippets(backend):
    backend.upsert(
        [
            doc(
                20,
                "tags",
                en=(
                    "A <b>bold</b> claim",
                    "",
                    "Reception & housing: when a < b, see [the tag](https://x.test).",
                ),
            )
        ]
    )
    hit = backend.search("reception", language="en", visibilities=PUBLIC).hits[0]
    assert "<mark>Reception</mark>" in hit.snippet
    assert "&amp; housing: when a &lt; b, see the tag" in hit.snippet
    assert "https" not in hit.snippet
    assert hit.title_html == "A &lt;b&gt;bold&lt;/b&gt; claim"


def test_it_finds_words_through_the_glossary(indexed):
    # The article says "opvangplaats"/"Fedasil"; the caller says "camp".
    assert "no-reception-place" in slugs(indexed.search("camp", language="en", visibilities=PUBLIC))


def test_an_upsert_replaces_an_article_and_its_languages(indexed):
    indexed.upsert(
        [doc(2, "no-reception-place", category="reception", nl=("Wachtlijst", "", "Nieuwe tekst."))]
    )
    assert indexed.search("kamp", language="fa", visibilities=PUBLIC).hits == []
    assert slugs(indexed.search("wachtlijst", language="nl", visibilities=PUBLIC)) == [
        "no-reception-place"
    ]
    assert indexed.doc_count() == len(ARTICLES)


def test_a_deleted_article_is_no_longer_found(indexed):
    indexed.delete([DUBLIN.slug])
    assert indexed.search("dublin", language="nl", visibilities=PUBLIC).hits == []
    assert indexed.doc_count() == len(ARTICLES) - 1


def test_a_rebuild_replaces_everything(indexed):
    indexed.rebuild([FAMILY])
    assert indexed.doc_count() == 1
    assert indexed.indexed_slugs() == {"family-reunification"}


def test_concurrent_writers_wait_for_the_lock_and_lose_nothing(tmp_path):
    from knowledgebase.search.whoosh_backend import WhooshBackend

    # Two backends on one directory stand for two worker processes (whoosh's file lock).
    first, second = WhooshBackend(tmp_path / "ix"), WhooshBackend(tmp_path / "ix")
    first.rebuild([NO_PLACE])

    def write(backend, start):
        for number in range(start, start + 10):
            backend.upsert([doc(number, f"a-{number}", nl=(f"Titel {number}", "", "tekst"))])

    threads = [
        threading.Thread(target=write, args=(first, 100)),
        threading.Thread(target=write, args=(second, 200)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert first.doc_count() == 21
    assert second.doc_count() == 21


def test_a_translation_without_a_title_is_not_indexed(backend):
    backend.upsert(
        [
            doc(30, "half", nl=("Halve tekst", "", "inhoud")),
        ]
    )
    backend.upsert(
        [
            type(FAMILY)(
                article_id=31,
                slug="empty-fr",
                category="x",
                visibility="public",
                translations={
                    "fr": Translation("", "", "corps"),
                    "nl": Translation("Leeg", "", ""),
                },
            )
        ]
    )
    hit = backend.search("leeg", language="fr", visibilities=PUBLIC).hits[0]
    assert hit.language == "nl"


def test_upserting_an_article_again_leaves_one_copy_for_a_searcher_already_open(indexed):
    indexed.search("dublin", language="nl", visibilities=PUBLIC)  # opens this thread's searcher
    indexed.upsert([DUBLIN])
    indexed.upsert([DUBLIN])
    assert indexed.doc_count() == len(ARTICLES)
    assert (
        slugs(indexed.search("dublin", language="nl", visibilities=PUBLIC)).count(
            "dublin-procedure"
        )
        == 1
    )
