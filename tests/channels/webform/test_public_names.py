"""The coded lists the public pages show, named in the reader's language (migration 0008).

Readers in the public-tier languages (ar, fa, uk, ru, tr, es) must not get the Dutch fallback
("العربية (Arabisch)"): every seeded queue, topic, requester type and language has a name in
each of them, and a coordinator's own translation is never overwritten.
"""

import html
import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.urls import reverse

from helpdesk.models import Language, Queue, RequesterType, Topic
from helpdesk.services.tickets import ticket_reply

pytestmark = pytest.mark.django_db

PUBLIC = settings.LANGUAGE_TIERS["public"]
SEED = importlib.import_module("helpdesk.migrations.0002_roles_and_seed_lists")
NAMES = importlib.import_module("helpdesk.migrations.0008_public_names")

SEEDED = [
    (Queue, "slug", [row[0] for row in SEED.QUEUES]),
    (Topic, "code", [row[0] for row in SEED.TOPICS]),
    (RequesterType, "code", [row[0] for row in SEED.REQUESTER_TYPES]),
    (Language, "code", [row[0] for row in SEED.LANGUAGES]),
]


def seeded_rows():
    for model, key, codes in SEEDED:
        yield from model.objects.filter(**{f"{key}__in": codes})


def option_texts(body: str) -> list[str]:
    return [
        html.unescape(text).strip() for text in re.findall(r"<option[^>]*>([^<]*)</option>", body)
    ]


@pytest.mark.parametrize("code", PUBLIC)
def test_every_seeded_list_entry_has_a_name_in_every_public_tier_language(code):
    rows = list(seeded_rows())
    assert len(rows) == sum(len(codes) for _model, _key, codes in SEEDED)
    unnamed = [f"{type(row).__name__} {row.pk}" for row in rows if not getattr(row, f"name_{code}")]
    assert unnamed == []


@pytest.mark.parametrize("code", ["ar", "fa"])
def test_the_arabic_and_farsi_form_pages_offer_no_dutch_list_names(client, code):
    options = option_texts(client.get(f"/{code}/ask/").content.decode())
    rows = list(seeded_rows())
    # Dutch as the reader would see it, apart from Dutch's own name ("Nederlands": an endonym).
    endonyms = {language.native_name for language in Language.objects.all()}
    dutch = (
        {row.name_nl for row in rows} - {getattr(row, f"name_{code}") for row in rows} - endonyms
    )
    assert options, "the form offers its lists as <option>s"
    leaked = [text for text in options if any(name in text for name in dutch)]
    assert leaked == []
    # The reader's own words, e.g. the topic "Reception (Fedasil)" and "Social worker".
    assert getattr(Topic.objects.get(code="reception"), f"name_{code}") in options
    assert getattr(RequesterType.objects.get(code="social-worker"), f"name_{code}") in options


def test_a_language_is_shown_once_in_itself_and_others_in_the_readers_language(client):
    options = option_texts(client.get("/ar/ask/").content.decode())
    assert "العربية" in options  # not "العربية (Arabisch)", nor "العربية (العربية)"
    assert "فارسی (الفارسية)" in options
    assert "Українська (الأوكرانية)" in options
    assert not any("Arabisch" in text or "(العربية)" in text for text in options)


def test_the_spanish_form_names_spanish_itself_once(client):
    options = option_texts(client.get("/es/ask/").content.decode())
    assert "Español" in options
    assert "العربية (árabe)" in options


def test_the_private_page_names_the_queue_that_answers_in_the_requesters_language(
    client, ticket, ines
):
    ticket_reply(ticket=ticket, author=ines, body="Go to the Petit-Château at 9:00.")
    page = reverse("webform_private:ticket", args=[ticket.access_token])
    body = client.get(page).content.decode()  # Amina's page speaks Arabic
    assert 'lang="ar"' in body
    assert f"<bdi>{ticket.queue.name_ar}</bdi>" in body
    assert ticket.queue.name_ar == "خط المعلومات"


def test_it_never_overwrites_a_coordinators_own_translation():
    Topic.objects.filter(code="reception").update(name_ar="الإيواء", name_fa="")
    NAMES.fill(django_apps, None)
    reception = Topic.objects.get(code="reception")
    assert reception.name_ar == "الإيواء"
    assert reception.name_fa == "پذیرش و اسکان (فداسیل)"  # the empty one is filled


def test_an_entry_a_coordinator_added_is_left_alone():
    Topic.objects.create(code="new-topic", name_nl="Nieuw onderwerp", name_en="New topic")
    NAMES.fill(django_apps, None)
    assert Topic.objects.get(code="new-topic").name_ar is None


def test_a_retired_topic_is_offered_to_arabic_readers_under_no_name(client):
    Topic.objects.get(code="dublin").retire()
    options = option_texts(client.get("/ar/ask/").content.decode())
    assert "إجراءات دبلن" not in options
    assert "Dublin" not in options
