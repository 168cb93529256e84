"""Knowledge-base fixtures: articles written through the services, and a search index.

Personas (tests/conftest.py): anonymous; vera (volunteer: reads internal articles); ines and
lars (staff: also drafts, and edit); otto (staff of another team: the knowledge base is not
split by team, he sees what ines sees); cora (coordinator: reads internal, edits nothing).
"""

import pytest

from knowledgebase import search
from knowledgebase.services.articles import article_save


def text(title, summary="", body=""):
    return {"title": title, "summary": summary, "body": body}


@pytest.fixture
def make_article(db):
    def make(slug, *, category="asylum", visibility="public", translations=None, **fields):
        translations = translations or {"nl": text(f"Artikel {slug}", "Samenvatting", "Tekst")}
        source = fields.pop("source_language", None) or next(iter(translations))
        return article_save(
            slug=slug,
            category=category,
            visibility=visibility,
            source_language=source,
            translations=translations,
            **fields,
        )

    return make


@pytest.fixture
def dublin(make_article):
    """A public article in Dutch (source), French, English, Arabic and Farsi; no Pashto."""
    return make_article(
        "dublin",
        category="procedure",
        translations={
            "nl": text(
                "De Dublinprocedure",
                "Welk land behandelt uw asielaanvraag?",
                "België kan vragen dat een **ander land** uw aanvraag behandelt.",
            ),
            "fr": text(
                "La procédure Dublin",
                "Quel pays traite votre demande d'asile ?",
                "La Belgique peut demander qu'un autre pays traite votre demande.",
            ),
            "en": text(
                "The Dublin procedure",
                "Which country handles your asylum application?",
                "Belgium can ask another country to handle your application.",
            ),
            "ar": text(
                "إجراءات دبلن",
                "أي بلد يعالج طلب اللجوء الخاص بك؟",
                "يمكن لبلجيكا أن تطلب من بلد آخر معالجة طلبك.",
            ),
            "fa": text(
                "روند دوبلین",
                "کدام کشور به درخواست پناهندگی شما رسیدگی می‌کند؟",
                "بلژیک می‌تواند از کشور دیگری بخواهد که به درخواست شما رسیدگی کند.",
            ),
        },
    )


@pytest.fixture
def crisis_note(make_article):
    """An internal article: for staff and volunteers only."""
    return make_article(
        "caller-in-crisis",
        category="working-method",
        visibility="internal",
        translations={"nl": text("Een beller in crisis", "Wat doe je?", "Blijf kalm. Dublin.")},
    )


@pytest.fixture
def draft(make_article):
    return make_article(
        "new-reception-rules",
        category="reception",
        visibility="draft",
        translations={"nl": text("Nieuwe opvangregels", "Nog niet af", "Dublin ontwerp.")},
    )


@pytest.fixture
def memory_backend(settings):
    """The in-memory backend (see fakes.py), for tests of how views handle the interface."""
    settings.KB_SEARCH_BACKEND = "tests.knowledgebase.fakes.MemoryBackend"
    search._backend.cache_clear()
    yield search.get_backend()
    search._backend.cache_clear()


@pytest.fixture
def whoosh_index(settings):
    """The real engine, with an index of its own in the test's temporary folder."""
    settings.KB_SEARCH_BACKEND = "knowledgebase.search.whoosh_backend.WhooshBackend"
    search._backend.cache_clear()
    yield search.get_backend()
    search._backend.cache_clear()


@pytest.fixture
def reindex():
    def run():
        from knowledgebase.services.index import index_rebuild

        return index_rebuild()

    return run
