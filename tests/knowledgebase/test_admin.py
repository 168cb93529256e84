"""Settings › Knowledge base: the admin saves through the same rules as every other path."""

import pytest

from knowledgebase.models import Article, Category
from knowledgebase.selectors.articles import translation_states

pytestmark = pytest.mark.django_db

LANGUAGES = ["nl", "fr", "en", "ar", "fa", "uk", "ru", "tr", "es", "ps", "ti", "so"]


def form(article=None, **changes):
    data = {
        "slug": "work-permit",
        "category": Category.objects.get_or_create(slug="work", defaults={"name": "Werk"})[0].pk,
        "visibility": "public",
        "source_language": "nl",
        "owner": "",
        "review_by": "",
    }
    for code in LANGUAGES:
        for name in ("title", "summary", "body"):
            value = getattr(article, f"{name}_{code}", "") if article else ""
            data[f"{name}_{code}"] = value or ""
    data.update(changes)
    return data


def test_an_administrator_adds_and_changes_an_article_and_translations_follow(client, adam):
    client.force_login(adam)
    response = client.post(
        "/admin/knowledgebase/article/add/",
        form(
            title_nl="Werken",
            body_nl="Na vier maanden.",
            title_fr="Travailler",
            body_fr="Après quatre mois.",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="work-permit")
    assert translation_states(article)["fr"] == "current"
    response = client.post(
        f"/admin/knowledgebase/article/{article.pk}/change/",
        form(article, body_nl="Na vier maanden, zonder arbeidskaart."),
    )
    assert response.status_code == 302
    article = Article.objects.get(pk=article.pk)
    assert article.source_revision == 2
    assert translation_states(article)["fr"] == "outdated"


def test_the_article_admin_links_each_language_to_side_by_side_translating(client, adam, dublin):
    client.force_login(adam)
    page = client.get(f"/admin/knowledgebase/article/{dublin.pk}/change/").content.decode()
    assert "/kb/dublin/translate/ps/" in page
    assert client.get("/admin/knowledgebase/article/").status_code == 200


def test_coordinators_read_the_searches_but_cannot_change_articles(client, cora, dublin):
    client.force_login(cora)
    assert client.get("/admin/knowledgebase/searchlog/").status_code == 200
    assert client.get(f"/admin/knowledgebase/article/{dublin.pk}/change/").status_code == 403
