"""Fixtures for answering with the knowledge base.

Personas (tests/conftest.py): ines works the Infolijn queue; otto is staff of another team
(Education) and must get no panel data for Infolijn tickets; vera (volunteer) and cora
(coordinator) never see tickets; adam administers. Articles are written through the knowledge
base's services and searched with the real engine in a temporary index.
"""

import pytest

from helpdesk.models import CannedResponse, Channel, Language
from helpdesk.services.contacts import contact_find_or_create
from helpdesk.services.tickets import ticket_create
from tests.knowledgebase import conftest as kb

# The knowledge base's fixtures, shared (articles written through its services, the index).
make_article = kb.make_article
dublin = kb.dublin
crisis_note = kb.crisis_note
draft = kb.draft
memory_backend = kb.memory_backend
whoosh_index = kb.whoosh_index
reindex = kb.reindex
text = kb.text


@pytest.fixture
def reception_article(make_article):
    """A public article about having no reception place: Dutch, English and Arabic; no Farsi."""
    return make_article(
        "no-reception-place",
        category="reception",
        translations={
            "nl": text(
                "Geen opvangplaats gekregen",
                "Wat kunt u doen als Fedasil u geen opvangplaats geeft?",
                "Laat uw naam op de wachtlijst zetten bij Fedasil.",
            ),
            "en": text(
                "No reception place",
                "What to do when Fedasil gives you no place to sleep",
                "Put your name on the waiting list at Fedasil. A lawyer can go to the labour court.",
            ),
            "ar": text(
                "لا يوجد مكان في الاستقبال",
                "ماذا تفعل إذا لم تمنحك فيداسيل مكانا للنوم",
                "سجل اسمك في قائمة الانتظار لدى فيداسيل.",
            ),
        },
    )


@pytest.fixture
def indexed(whoosh_index, reindex, reception_article, dublin, crisis_note, draft):
    reindex()
    return whoosh_index


@pytest.fixture
def pashto_ticket(infolijn):
    """A Pashto question about reception: no article has Pashto, Farsi or (for one) English."""
    contact = contact_find_or_create(
        email="gul@example.org", name="Gul", preferred_language=Language.objects.get(code="ps")
    )
    return ticket_create(
        queue=infolijn,
        channel=Channel.EMAIL,
        subject="reception place",
        body="I have no reception place. Fedasil said no place to sleep.",
        contact=contact,
    )


@pytest.fixture
def canned(infolijn, education):
    """A canned response of the Infolijn queue (Dutch, English, Arabic) and one of Education."""
    here = CannedResponse.objects.create(
        queue=infolijn,
        shortcut="thanks",
        name="Bedankt",
        name_nl="Bedankt",
        name_en="Thank you",
        body_nl="Beste {name}, bedankt voor uw vraag {reference} aan {queue}.",
        body_en="Dear {name}, thank you for your question {reference} to {queue}.",
        body_ar="عزيزي {name}، شكرا على سؤالك {reference} إلى {queue}.",
    )
    elsewhere = CannedResponse.objects.create(
        queue=education, shortcut="school", name="School", body_nl="Over school {reference}."
    )
    return here, elsewhere
