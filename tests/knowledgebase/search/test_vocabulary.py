"""The word list beside the index that typos are corrected against."""

from knowledgebase.search.vocabulary import Vocabulary, words_of
from knowledgebase.search.whoosh_backend import WhooshBackend

from .conftest import ARTICLES, PUBLIC, doc


def test_it_keeps_words_folded_and_unstemmed():
    assert words_of("Réfugiés reconnus, a 2 ISTANBUL") == {"refugies", "reconnus", "istanbul"}


def test_it_finds_words_within_the_distance_that_share_the_first_letter(tmp_path):
    vocabulary = Vocabulary(tmp_path)
    vocabulary.replace({"regularisation", "regulier", "legalisation", "dublin"})
    assert vocabulary.within("regularisaton", 1) == ["regularisation"]
    assert "legalisation" not in vocabulary.within("regalisation", 2)
    assert vocabulary.within("dubiln", 2) == ["dublin"]
    assert vocabulary.within("zzzz", 2) == []


def test_an_empty_or_missing_list_knows_no_word(tmp_path):
    vocabulary = Vocabulary(tmp_path / "nowhere")
    assert "dublin" not in vocabulary
    assert vocabulary.within("dublin", 1) == []


def test_a_second_process_sees_the_words_another_one_wrote(tmp_path):
    reader, writer = Vocabulary(tmp_path), Vocabulary(tmp_path)
    writer.replace({"opvang"})
    assert "opvang" in reader
    writer.add({"voogdij"})
    assert "voogdij" in reader
    assert "opvang" in reader


def test_a_typo_of_a_word_that_an_upsert_added_is_corrected(tmp_path):
    backend = WhooshBackend(tmp_path)
    backend.rebuild(ARTICLES)
    backend.upsert(
        [doc(20, "guardianship", nl=("Voogdij", "", "De voogdijdienst wijst een voogd toe."))]
    )
    results = backend.search("voogdijdienstt", language="nl", visibilities=PUBLIC)
    assert results.suggestion == "voogdijdienst"
    assert [hit.slug for hit in results.hits] == ["guardianship"]


def test_a_rebuild_forgets_the_words_of_articles_that_are_gone(tmp_path):
    backend = WhooshBackend(tmp_path)
    backend.rebuild([*ARTICLES, doc(20, "guardianship", nl=("Voogdij", "", "Voogdijdienst."))])
    assert "voogdijdienst" in backend.vocabulary
    backend.rebuild(ARTICLES)
    assert "voogdijdienst" not in backend.vocabulary


def test_two_backends_on_one_index_keep_each_others_words(tmp_path):
    first, second = WhooshBackend(tmp_path), WhooshBackend(tmp_path)
    first.rebuild(ARTICLES)
    first.upsert([doc(20, "guardianship", nl=("Voogdij", "", "Voogdijdienst."))])
    second.upsert([doc(21, "schooling", nl=("Onderwijs", "", "Schoolinschrijving."))])
    assert "voogdijdienst" in second.vocabulary
    assert "schoolinschrijving" in first.vocabulary
