"""The knowledge base's pages for every persona: who sees what, in which language."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from config.languages import language_name
from knowledgebase.models import Article, SearchLog
from knowledgebase.services.articles import article_save

from .conftest import text

pytestmark = pytest.mark.django_db


def body_of(response) -> str:
    return html.unescape(response.content.decode())


def visible(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body_of(response)))


def login(client, request, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client


# --- Who sees what -------------------------------------------------------------------------------

READERS = {
    # persona: (public, internal, draft)
    "anonymous": (True, False, False),
    "vera": (True, True, False),  # volunteer
    "cora": (True, True, False),  # coordinator
    "ines": (True, True, True),  # staff of the Infolijn
    "otto": (True, True, True),  # staff of another team: the knowledge base is not per team
}


@pytest.mark.parametrize("persona", list(READERS))
def test_each_persona_reads_exactly_the_articles_their_role_allows(
    client, request, persona, dublin, crisis_note, draft
):
    login(client, request, persona)
    for article, allowed in zip((dublin, crisis_note, draft), READERS[persona], strict=True):
        response = client.get(f"/en/kb/{article.slug}/")
        assert response.status_code == (200 if allowed else 404), (persona, article.slug)


@pytest.mark.parametrize("persona", list(READERS))
def test_the_home_page_lists_only_categories_with_articles_the_reader_may_read(
    client, request, persona, dublin, crisis_note, draft
):
    login(client, request, persona)
    page = visible(client.get("/en/kb/"))
    _public, internal, drafts = READERS[persona]
    assert "Procedure" in page
    assert ("Working method" in page) is internal
    assert ("Reception" in page) is drafts


def test_an_anonymous_reader_never_sees_internal_titles_anywhere(
    client, whoosh_index, reindex, dublin, crisis_note, draft
):
    reindex()
    for path in (
        "/en/kb/",
        "/en/kb/c/working-method/",
        "/en/kb/search/?q=dublin",
        "/en/kb/dublin/",
    ):
        page = body_of(client.get(path))
        assert "Een beller in crisis" not in page, path
        assert "Nieuwe opvangregels" not in page, path


def test_the_staff_lists_need_a_login_and_the_translate_page_needs_edit_rights(
    client, vera, ines, dublin
):
    lists = ["/en/kb/staff/translations/", "/en/kb/staff/reviews/"]
    translate = "/en/kb/dublin/translate/ps/"
    for path in [*lists, translate]:
        response = client.get(path)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    client.force_login(vera)
    assert [client.get(p).status_code for p in lists] == [200, 200]
    assert client.get(translate).status_code == 403
    client.force_login(ines)
    assert client.get(translate).status_code == 200


# --- Languages: fallback, switching, right to left ------------------------------------------------


def test_an_article_missing_in_pashto_is_shown_in_farsi_and_says_so(client, dublin):
    response = client.get("/ps/kb/dublin/")
    page = visible(response)
    with translation.override("ps"):  # the page speaks Pashto (its chrome falls back)
        names = {"wanted": language_name("ps"), "shown": language_name("fa")}
    # The notice is in the borrowed Persian chrome, not left in English.
    assert "هنوز به {wanted} در دسترس نیست؛ به {shown} نمایش داده می‌شود.".format(**names) in page
    assert "Not yet available" not in page
    assert '<html lang="ps" dir="rtl">' in body_of(response)
    assert '<article class="kb-article" lang="fa" dir="rtl">' in body_of(response)
    assert "روند دوبلین" in page


def test_ukrainian_falls_back_to_english_when_russian_is_missing_too(client, dublin):
    response = client.get("/uk/kb/dublin/")
    assert "The Dublin procedure" in visible(response)
    assert '<article class="kb-article" lang="en" dir="ltr">' in body_of(response)
    with translation.override("uk"):
        names = {"wanted": language_name("uk"), "shown": language_name("en")}
    notice = "Ще немає мовою «{wanted}»; показано мовою «{shown}».".format(**names)
    assert notice in visible(response)
    assert "Not yet available" not in visible(response)


def test_an_article_in_the_readers_language_has_no_fallback_notice(client, dublin):
    response = client.get("/ar/kb/dublin/")
    assert '<html lang="ar" dir="rtl">' in body_of(response)
    assert "إجراءات دبلن" in visible(response)
    assert "kb-fallback" not in body_of(response)


def test_an_outdated_translation_says_so_and_links_to_the_source(client, dublin):
    article_save(article=dublin, translations={"nl": {"body": "Nieuwe regels."}})
    page = body_of(client.get("/fr/kb/dublin/"))
    assert "kb-outdated" in page
    assert 'href="/nl/kb/dublin/"' in page
    assert "kb-outdated" not in body_of(client.get("/nl/kb/dublin/"))


def test_the_language_switcher_keeps_the_reader_on_the_same_article(client, dublin):
    page = body_of(client.get("/en/kb/dublin/"))
    for code in ("nl", "fr", "ar", "fa"):
        assert f'href="/{code}/kb/dublin/"' in page
    assert 'href="/ti/kb/dublin/"' not in page  # no Tigrinya text: not offered to readers
    response = client.post(reverse("set_language"), {"language": "ar", "next": "/en/kb/dublin/"})
    assert response["Location"] == "/ar/kb/dublin/"


def test_the_article_body_is_markdown_rendered_and_sanitised(client, make_article):
    make_article(
        "safe",
        translations={
            "nl": text("Veilig", "", "**Vet** <script>alert(1)</script> [x](javascript:alert(1))")
        },
    )
    page = client.get("/nl/kb/safe/").content.decode()
    assert "<strong>Vet</strong>" in page
    assert "<script>alert(1)" not in page
    assert "javascript:alert" not in page


# --- Handing an article over: short link and QR code ---------------------------------------------


def test_the_article_page_shows_a_short_link_and_an_inline_qr_code(client, dublin, settings):
    page = body_of(client.get("/ar/kb/dublin/"))
    short = f"{settings.SITE_URL}/k/{dublin.code}/ar/"
    assert short in page
    assert re.search(r'<svg[^>]*class="qr"', page)
    assert "<img" not in page  # nothing to fetch: the code is drawn in the page


def test_a_short_link_opens_the_article_in_the_language_it_was_given_in(client, dublin):
    assert client.get(f"/k/{dublin.code}/fa/")["Location"] == "/fa/kb/dublin/"
    response = client.get(f"/k/{dublin.code}/", headers={"Accept-Language": "fr"})
    assert response["Location"] == "/fr/kb/dublin/"


def test_a_short_link_to_an_internal_article_opens_only_for_staff_and_volunteers(
    client, vera, crisis_note
):
    assert client.get(f"/k/{crisis_note.code}/").status_code == 404
    client.force_login(vera)
    assert client.get(f"/k/{crisis_note.code}/").status_code == 302


# --- Search page ---------------------------------------------------------------------------------


def test_searching_records_the_question_without_anything_about_the_person(
    client, whoosh_index, reindex, dublin
):
    reindex()
    response = client.get("/fa/kb/search/?q=دوبلین", REMOTE_ADDR="198.51.100.7")
    assert "روند دوبلین" in visible(response)
    log = SearchLog.objects.get()
    assert (log.query, log.language, log.result_count, log.source) == ("دوبلین", "fa", 1, "page")
    stored = " ".join(str(v) for v in SearchLog.objects.values().get().values())
    assert "198.51.100.7" not in stored


def test_a_search_that_finds_nothing_is_recorded_and_offers_the_question_form(
    client, whoosh_index, reindex, dublin
):
    reindex()
    page = visible(client.get("/en/kb/search/?q=statelessness"))
    assert "0 articles found" in page
    assert SearchLog.objects.get().result_count == 0


def test_opening_a_result_is_counted_once_for_its_search(client, whoosh_index, reindex, dublin):
    reindex()
    page = body_of(client.get("/en/kb/search/?q=dublin"))
    link = re.search(r'href="(/en/kb/dublin/\?from=[^"]+)"', page).group(1)
    client.get(link)
    assert SearchLog.objects.get().opened_article == dublin
    client.get("/en/kb/dublin/?from=1:forged")
    assert SearchLog.objects.get().opened_article == dublin


def test_a_result_in_another_language_says_which(client, whoosh_index, reindex, dublin):
    reindex()
    page = body_of(client.get("/ps/kb/search/?q=دوبلین"))
    assert '<a href="/ps/kb/dublin/?from=' in page
    link = re.search(r'<a href="/ps/kb/dublin/\?from=[^"]*" lang="fa" dir="rtl">(.*?)</a>', page)
    assert re.sub(r"</?mark>", "", link.group(1)) == "روند دوبلین"
    assert "<mark>دوبلین</mark>" in link.group(1)  # the title's matched word is highlighted


def test_snippets_keep_their_highlight_and_nothing_else(client, memory_backend, make_article):
    make_article(
        "xss",
        translations={"nl": text("Test", "dublin <img src=x onerror=alert(1)>", "")},
    )
    from knowledgebase.services.index import index_rebuild

    index_rebuild()
    page = client.get("/nl/kb/search/?q=dublin").content.decode()
    assert "<mark>dublin</mark>" in page
    assert "<img" not in page


# --- Staff pages ---------------------------------------------------------------------------------


def test_a_volunteer_sees_what_needs_translating_per_language(client, vera, dublin):
    article_save(article=dublin, translations={"nl": {"body": "Nieuw."}})
    client.force_login(vera)
    page = visible(client.get("/en/kb/staff/translations/?language=fr&state=outdated"))
    assert "De Dublinprocedure" in page or "The Dublin procedure" in page
    assert "outdated" in page


def test_staff_translate_side_by_side_and_the_translation_becomes_current(client, ines, dublin):
    client.force_login(ines)
    page = body_of(client.get("/en/kb/dublin/translate/ps/"))
    assert "De Dublinprocedure" in page  # the source, next to the form
    assert 'lang="ps" dir="rtl"' in page
    response = client.post(
        "/en/kb/dublin/translate/ps/",
        {"title": "د ډبلن پروسه", "summary": "", "body": "بلجیم کولی شي..."},
    )
    assert response.status_code == 302
    article = Article.objects.get(pk=dublin.pk)
    assert article.title_ps == "د ډبلن پروسه"
    assert "kb-fallback" not in body_of(client.get("/ps/kb/dublin/"))


def test_a_translation_without_a_title_is_refused_and_kept_on_the_page(client, ines, dublin):
    client.force_login(ines)
    response = client.post("/en/kb/dublin/translate/ps/", {"title": "", "body": "بلجیم"})
    assert response.status_code == 200
    assert "بلجیم" in body_of(response)  # nothing typed is lost
    assert not Article.objects.get(pk=dublin.pk).title_ps


def test_reviews_past_their_date_are_listed_for_staff(client, ines, make_article):
    from datetime import date

    make_article("old", translations={"nl": text("Oud artikel")}, review_by=date(2020, 1, 1))
    make_article("fresh", translations={"nl": text("Vers artikel")}, review_by=date(2099, 1, 1))
    client.force_login(ines)
    page = visible(client.get("/en/kb/staff/reviews/"))
    assert "Oud artikel" in page
    assert "Vers artikel" not in page


# --- Query counts --------------------------------------------------------------------------------


def test_the_article_page_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, make_article, dublin
):
    client.get("/en/kb/dublin/")  # warm up: sessions, content types
    with django_assert_num_queries(4):  # article, tags, translation marks, related
        assert client.get("/en/kb/dublin/").status_code == 200
    others = [make_article(f"other-{n}") for n in range(5)]
    article_save(article=dublin, related=others, tags=["dublin", "transfer", "eurodac"])
    with django_assert_num_queries(4):
        assert client.get("/en/kb/dublin/").status_code == 200


def test_the_category_and_home_pages_run_a_fixed_number_of_queries(
    client, django_assert_num_queries, make_article
):
    make_article("a", category="work")
    with django_assert_num_queries(2):  # the category, its articles
        client.get("/en/kb/c/work/")
    with django_assert_num_queries(1):
        client.get("/en/kb/")
    for n in range(10):
        make_article(f"w{n}", category="work")
        make_article(f"s{n}", category=f"school-{n}")
    with django_assert_num_queries(2):
        client.get("/en/kb/c/work/")
    with django_assert_num_queries(1):
        client.get("/en/kb/")


def test_an_article_made_internal_vanishes_from_search_before_the_index_catches_up(
    client, whoosh_index, reindex, dublin
):
    reindex()
    assert "/en/kb/dublin/" in body_of(client.get("/en/kb/search/?q=dublin"))
    # The database changes; the index has not been told yet (a worker that is behind).
    Article.objects.filter(pk=dublin.pk).update(visibility="internal")
    page = body_of(client.get("/en/kb/search/?q=dublin"))
    assert "/en/kb/dublin/" not in page
    assert "The Dublin procedure" not in page
    api = client.get("/api/v1/kb/search/", {"q": "dublin", "lang": "en"}).json()
    assert api == {"results": []}
