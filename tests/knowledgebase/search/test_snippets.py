"""Titles and snippets: escaped, the matched words marked, the best part of a long text shown."""

from knowledgebase.search.analysis import analyse
from knowledgebase.search.snippets import SNIPPET_CHARS, highlight_html


def terms(query, language):
    return set(analyse(query, language))


def test_it_marks_inflected_and_accented_forms_of_the_query_words():
    html = highlight_html("Les réfugiés reconnus", terms("refugie", "fr"), "fr", whole=True)
    assert html == "Les <mark>réfugiés</mark> reconnus"


def test_it_escapes_markup_in_the_text_and_in_marked_words():
    text = "<script>alert(1)</script> opvang & <b>opvang</b>"
    html = highlight_html(text, terms("opvang", "nl"), "nl", whole=True)
    assert "<script>" not in html
    assert "<b>" not in html
    assert html.count("<mark>opvang</mark>") == 2
    assert "&amp;" in html
    assert "&lt;script&gt;" in html


def test_it_marks_arabic_words_written_with_or_without_vowel_marks():
    html = highlight_html("إجراءات دبلن", terms("دبلن", "ar"), "ar", whole=True)
    assert "<mark>دبلن</mark>" in html


def test_a_long_text_shows_the_fragment_around_the_match_cut_at_words():
    filler = " ".join(f"woord{i}" for i in range(80))
    text = f"{filler} Wie geen opvangplaats krijgt, kan zich melden. {filler}"
    html = highlight_html(text, terms("opvangplaats", "nl"), "nl", whole=False)
    assert "<mark>opvangplaats</mark>" in html
    assert html.startswith("… ")
    assert html.endswith(" …")
    visible = html.replace("<mark>", "").replace("</mark>", "").strip("… ")
    assert len(visible) <= SNIPPET_CHARS
    assert visible.split()[0].startswith("woord")
    assert visible in text


def test_it_prefers_the_fragment_with_more_of_the_query_words():
    filler = " ".join(f"x{i}" for i in range(60))
    text = f"dublin alleen. {filler} dublin en vingerafdrukken samen. {filler} dublin weer."
    html = highlight_html(text, terms("dublin vingerafdrukken", "nl"), "nl", whole=False)
    assert "<mark>vingerafdrukken</mark>" in html


def test_without_a_match_it_shows_the_beginning_of_the_text():
    text = "Eerste zin. " + "meer tekst " * 40
    html = highlight_html(text, terms("dublin", "nl"), "nl", whole=False)
    assert html.startswith("Eerste zin.")
    assert html.endswith(" …")
    assert "<mark>" not in html
