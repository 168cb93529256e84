"""Language analysis: what a phone keyboard types meets what a translator wrote."""

import pickle

import pytest
from whoosh.formats import Frequency

from knowledgebase.search.analysis import (
    TermFrequency,
    analyse,
    analyse_word,
    analyzer,
    fold,
    languages_for,
)


@pytest.mark.parametrize(
    ("typed", "written", "language"),
    [
        ("refugies", "réfugiés", "fr"),  # accents folded before the French stemmer
        ("proteccion", "protección", "es"),
        ("opvangplaatsen", "opvangplaats", "nl"),  # Snowball Dutch
        ("اجراءات", "إجراءات", "ar"),  # alef with hamza below
        ("مستشفي", "مُسْتَشْفَى", "ar"),  # harakat and alef maqsura
        ("الرعايه", "الرعاية", "ar"),  # teh marbuta typed as heh
        ("اللجوء", "اللـجـوء", "ar"),  # tatweel
        ("كار", "کار", "fa"),  # Arabic kaf typed for Persian keheh
        ("پيوستن", "پیوستن", "fa"),  # Arabic yeh typed for Persian yeh
        ("خانهها", "خانه‌ها", "fa"),  # zero-width non-joiner comes and goes
        ("istanbul", "İSTANBUL", "tr"),  # dotted capital I
        ("islak", "ISLAK", "tr"),  # dotless capital I
        ("basvuru", "başvuru", "tr"),
        ("перемещенных", "перемещённых", "ru"),
    ],
)
def test_typed_and_written_forms_meet(typed, written, language):
    assert analyse(typed, language) == analyse(written, language)


def test_arabic_indic_and_persian_digits_become_ascii():
    assert analyse("١١٢ ۱۱۲ 112", "fa") == ["112", "112", "112"]


def test_the_tokenizer_keeps_combining_marks_inside_words():
    # Python's \\w does not match the vowel marks: a naive tokenizer cuts this word in pieces.
    assert analyse("مُسْتَشْفَى", "ar") == analyse("مستشفى", "ar")
    assert len(analyse("مُسْتَشْفَى كبير", "ar")) == 2


def test_languages_without_a_stemmer_get_plain_folding():
    assert analyse_word("Тимчасовий", "uk") == "тимчасовии"  # й folded, no stemming
    assert analyse_word("ጠበቓ", "ti") == "ጠበቓ"
    assert analyse_word("Qareen", "so") == "qareen"


def test_stop_words_of_a_question_are_dropped():
    assert analyse("Wat moet ik doen als ik geen opvangplaats heb?", "nl") == [
        "doen",
        "opvangplaats",
    ]


def test_fold_is_idempotent():
    for word in ("Réfugiés", "إجراءات", "كارها", "İstanbul"):
        assert fold(fold(word)) == fold(word)


def test_the_script_of_a_word_chooses_the_fields_it_is_looked_up_in():
    assert languages_for("dublin") == ("nl", "fr", "en", "es", "tr", "so")
    assert languages_for("دبلن") == ("ar", "fa", "ps")
    assert languages_for("Дублин") == ("ru", "uk")
    assert len(languages_for("112")) == 12


def test_analysers_survive_pickling_into_the_index():
    # whoosh stores the schema (with its analysers) in the index with pickle.
    for code in ("nl", "fa", "ti"):
        assert pickle.loads(pickle.dumps(analyzer(code))) == analyzer(code)  # noqa: S301 (our own bytes)


@pytest.mark.parametrize("code", ["nl", "ar", "fa", "ti"])
def test_the_fast_frequency_format_counts_as_whoosh_counts(code):
    text = {
        "nl": "Opvang, opvangplaatsen en de opvang van asielzoekers: opvang.",
        "ar": "طلب اللجوء ثم طلب اللجوء مرة أخرى في بلجيكا",
        "fa": "درخواست پناهندگی و درخواست‌های پناهندگی در بلژیک",
        "ti": "ሓበሬታ ብዛዕባ ዕቑባ ሓበሬታ",
    }[code]
    ours = sorted(TermFrequency(field_boost=2.0).word_values(text, analyzer(code)))
    theirs = sorted(Frequency(field_boost=2.0).word_values(text, analyzer(code)))
    assert ours == theirs
    assert any(n > 1 for _term, n, _weight, _value in ours)
