"""The demo's articles: real content in five languages, loaded through the import, searchable."""

from datetime import date

import pytest

from knowledgebase.demo import load_demo_articles
from knowledgebase.models import Article, TranslationState
from knowledgebase.selectors.articles import reviews_due, translation_gaps

pytestmark = pytest.mark.django_db


def test_the_demo_articles_exist_in_dutch_french_english_arabic_and_farsi(ines, lars, adam):
    report = load_demo_articles()
    assert report == {"created": 22, "rejected": 0}
    articles = list(Article.objects.all())
    assert len(articles) == 22
    for language in ("nl", "fr", "en"):
        assert all(a.text(language)["title"] for a in articles), language
    public = [a for a in articles if a.visibility == "public"]
    assert sum(bool(a.title_ar) for a in public) >= 19
    assert sum(bool(a.title_fa) for a in public) >= 19
    assert {a.visibility for a in articles} == {"public", "internal"}
    # The demo shows the staff lists with something in them.
    assert translation_gaps(adam, state=TranslationState.OUTDATED)
    assert reviews_due(adam, today=date.today()).exists()
    assert Article.objects.get(slug="dublin").owner == lars


def test_loading_the_demo_again_changes_nothing(ines, lars):
    load_demo_articles()
    before = {a.slug: (a.source_revision, a.updated_at) for a in Article.objects.all()}
    assert load_demo_articles()["created"] == 0
    after = {a.slug: (a.source_revision, a.updated_at) for a in Article.objects.all()}
    assert after == before


def test_the_demo_can_be_searched_in_arabic_and_farsi(whoosh_index, reindex, ines, lars):
    load_demo_articles()
    reindex()
    public = frozenset({"public"})
    arabic = whoosh_index.search("لم الشمل", language="ar", visibilities=public)
    assert arabic.hits[0].slug == "family-reunification"
    farsi = whoosh_index.search("وکیل رایگان", language="fa", visibilities=public)
    assert farsi.hits[0].slug == "legal-aid"
