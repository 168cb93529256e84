"""The knowledge base's API: search in the documented shape, articles per visibility."""

import json

import pytest

from knowledgebase.models import Article, SearchLog

from .conftest import text

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/kb/search/"
ARTICLES = "/api/v1/kb/articles/"


@pytest.fixture
def indexed(whoosh_index, reindex, dublin, crisis_note, draft):
    reindex()
    return whoosh_index


def test_search_returns_the_documented_shape_best_first(client, indexed):
    response = client.get(SEARCH, {"q": "dublin", "lang": "en"})
    assert response.status_code == 200
    data = response.json()
    assert list(data) == ["results"]
    first = data["results"][0]
    assert set(first) == {"slug", "language", "title", "snippet", "score", "url"}
    assert first["slug"] == "dublin"
    assert first["language"] == "en"
    assert first["title"] == "The Dublin procedure"
    assert first["url"] == "/en/kb/dublin/"
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)


def test_anonymous_search_finds_public_articles_only(client, indexed):
    slugs = [r["slug"] for r in client.get(SEARCH, {"q": "dublin", "lang": "nl"}).json()["results"]]
    assert slugs == ["dublin"]  # not the internal note nor the draft, both mentioning Dublin


def test_scope_internal_needs_a_staff_or_volunteer_login(client, indexed, vera, ines):
    assert client.get(SEARCH, {"q": "dublin", "scope": "internal"}).status_code in (401, 403)
    client.force_login(vera)
    slugs = {
        r["slug"]
        for r in client.get(SEARCH, {"q": "dublin", "lang": "nl", "scope": "internal"}).json()[
            "results"
        ]
    }
    assert slugs == {"dublin", "caller-in-crisis"}
    # Without scope=internal, a logged-in volunteer gets what the public form would show.
    public = client.get(SEARCH, {"q": "dublin", "lang": "nl"}).json()["results"]
    assert [r["slug"] for r in public] == ["dublin"]


def test_a_search_in_a_language_the_article_lacks_answers_in_the_fallback(client, indexed):
    [result] = client.get(SEARCH, {"q": "دوبلین", "lang": "ps"}).json()["results"]
    assert result["language"] == "fa"
    assert result["url"] == "/ps/kb/dublin/"


def test_search_refuses_bad_parameters_with_a_message(client, indexed):
    response = client.get(SEARCH, {"q": "dublin", "lang": "xx"})
    assert response.status_code == 400
    assert "lang" in response.json()["error"]["fields"]
    assert client.get(SEARCH, {"lang": "nl"}).status_code == 400
    assert client.get(SEARCH, {"q": "x" * 301}).status_code == 400


def test_every_api_search_is_recorded_without_personal_data(client, indexed, vera):
    client.force_login(vera)
    client.get(SEARCH, {"q": "geen opvang", "lang": "nl"})
    log = SearchLog.objects.get()
    assert (log.query, log.language, log.source, log.scope) == (
        "geen opvang",
        "nl",
        "api",
        "public",
    )
    assert not hasattr(log, "user_id")


def test_the_question_forms_search_address_is_this_api(settings):
    assert settings.WEBFORM_KB_SEARCH_URL == SEARCH


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", {"dublin"}),
        ("vera", {"dublin", "caller-in-crisis"}),
        ("ines", {"dublin", "caller-in-crisis", "new-reception-rules"}),
        ("otto", {"dublin", "caller-in-crisis", "new-reception-rules"}),
    ],
)
def test_the_article_list_holds_what_each_persona_may_read(
    client, request, persona, expected, dublin, crisis_note, draft
):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    data = client.get(ARTICLES).json()
    assert {a["slug"] for a in data["results"]} == expected
    internal_fields = {"review_by", "owner", "translation_status"}
    assert (internal_fields <= set(data["results"][0])) is (persona != "anonymous")


def test_an_internal_article_is_a_404_for_anonymous_readers(client, crisis_note):
    assert client.get(f"{ARTICLES}caller-in-crisis/").status_code == 404


def test_staff_create_and_change_articles_through_the_api(client, ines):
    client.force_login(ines)
    response = client.post(
        ARTICLES,
        data=json.dumps(
            {
                "slug": "work-permit",
                "category": "work",
                "visibility": "public",
                "source_language": "nl",
                "tags": ["work"],
                "translations": {"nl": text("Werken als asielzoeker", "Na vier maanden", "...")},
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["translation_status"]["nl"] == "current"
    response = client.patch(
        f"{ARTICLES}work-permit/",
        data=json.dumps({"translations": {"nl": {"body": "Nieuwe regels."}}}),
        content_type="application/json",
    )
    assert response.status_code == 200
    article = Article.objects.get(slug="work-permit")
    assert (article.body_nl, article.source_revision) == ("Nieuwe regels.", 2)


@pytest.mark.parametrize("persona", ["anonymous", "vera", "cora"])
def test_people_who_may_not_edit_cannot_write_through_the_api(client, request, persona, dublin):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    payload = json.dumps({"translations": {"nl": {"title": "Gekaapt"}}})
    patch = client.patch(f"{ARTICLES}dublin/", data=payload, content_type="application/json")
    post = client.post(ARTICLES, data=payload, content_type="application/json")
    delete = client.delete(f"{ARTICLES}dublin/")
    assert {patch.status_code, post.status_code, delete.status_code} <= {401, 403}
    assert Article.objects.get(pk=dublin.pk).title_nl == "De Dublinprocedure"


def test_bad_article_data_gets_a_400_with_the_reason(client, ines):
    client.force_login(ines)
    response = client.post(
        ARTICLES,
        data=json.dumps(
            {
                "slug": "x",
                "category": "work",
                "source_language": "nl",
                "translations": {"fr": text("T")},
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "source language" in json.dumps(response.json())
    assert not Article.objects.filter(slug="x").exists()
