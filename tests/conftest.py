"""Shared fixtures: the people of the info line (personas) and a clean slate per test.

- ines: info-line staff in the Infolijn queue
- lars: legal specialist in the Legal helpdesk queue
- otto: info-line staff of another team (Education) who must see nothing of Infolijn
- vera: a Startpunt volunteer (knowledge base only, never tickets)
- cora: a coordinator (statistics and lists, no tickets)
- adam: an administrator (superuser)
"""

import importlib

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from helpdesk import roles
from helpdesk.models import Channel, Language, Outcome, Queue, RequesterType, Topic
from helpdesk.services.contacts import contact_find_or_create
from helpdesk.services.tickets import ticket_create

from .factories import UserFactory


@pytest.fixture(autouse=True)
def _fresh_language():
    # A test that activates Arabic must not leave the next one in Arabic (pretix does the same).
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def client():
    """A test client whose browser asks for English, the language the tests' texts are written in.

    The site's default language is Dutch and its catalogue is complete, so a test that looks for
    English words must ask for English as a browser would; otherwise it fails on a translated
    page, or an `assert "..." not in body` passes for the wrong reason. A language cookie, an
    Accept-Language header given with the request, or a /<lang>/ URL prefix still wins, which
    is how the tests of other languages ask for theirs.
    """
    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def in_english(client):
    return client


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits count in the cache: one test's requests must not use up the next one's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _kb_index_in_tmp(settings, tmp_path):
    # Each test's knowledge-base search index is its own, never var/kb-index.
    from knowledgebase import search

    settings.KB_INDEX_DIR = tmp_path / "kb-index"
    search._backend.cache_clear()
    yield
    search._backend.cache_clear()


@pytest.fixture(autouse=True)
def _force_login_gives_the_second_factor(monkeypatch):
    # force_login stands for a finished login: for roles that need two-factor authentication it
    # also verifies the session (force_login(user, second_factor=False) does not).
    from tests.privacy.two_factor import force_login

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def seeded_transactional_db(transactional_db):
    """A transactional database with the seed lists the migrations wrote.

    Tests that need real commits (the live server, tasks) run after a flush, which empties every
    table; this puts the queues and lists back (idempotently) and lets the roles sync run.
    """
    for name in ("0002_roles_and_seed_lists", "0004_seed_opening_hours", "0008_public_names"):
        importlib.import_module(f"helpdesk.migrations.{name}").seed(django_apps, None)
    importlib.import_module("helpdesk.migrations.0002_roles_and_seed_lists").roles(
        django_apps, None
    )
    roles.sync_roles()


@pytest.fixture
def infolijn(db):
    return Queue.objects.get(slug="infolijn")


@pytest.fixture
def legal_queue(db):
    return Queue.objects.get(slug="legal-helpdesk")


@pytest.fixture
def education(db):
    return Queue.objects.get(slug="education")


@pytest.fixture
def ines(db):
    return UserFactory(username="ines", role=roles.INFO_LINE_STAFF, queues=["infolijn"])


@pytest.fixture
def youssef(db):
    return UserFactory(username="youssef", role=roles.INFO_LINE_STAFF, queues=["infolijn"])


@pytest.fixture
def lars(db):
    return UserFactory(username="lars", role=roles.LEGAL_SPECIALIST, queues=["legal-helpdesk"])


@pytest.fixture
def otto(db):
    return UserFactory(username="otto", role=roles.INFO_LINE_STAFF, queues=["education"])


@pytest.fixture
def vera(db):
    return UserFactory(username="vera", role=roles.VOLUNTEER)


@pytest.fixture
def cora(db):
    return UserFactory(username="cora", role=roles.COORDINATOR, is_staff=True)


@pytest.fixture
def adam(db):
    return UserFactory(username="adam", role=roles.ADMINISTRATOR, is_staff=True, is_superuser=True)


@pytest.fixture
def topic(db):
    return Topic.objects.get(code="reception")


@pytest.fixture
def outcome(db):
    return Outcome.objects.get(code="information-given")


@pytest.fixture
def social_worker(db):
    return RequesterType.objects.get(code="social-worker")


@pytest.fixture
def arabic(db):
    return Language.objects.get(code="ar")


@pytest.fixture
def amina(db, arabic):
    """A requester who writes by email in Arabic."""
    return contact_find_or_create(
        email="amina@example.org", name="Amina", preferred_language=arabic
    )


@pytest.fixture
def ticket(infolijn, amina, topic):
    """An email question from Amina in the Infolijn queue."""
    return ticket_create(
        queue=infolijn,
        channel=Channel.EMAIL,
        subject="No place in reception",
        body="They told me there is no place for me. Where can I sleep tonight?",
        contact=amina,
        topics=[topic],
    )
