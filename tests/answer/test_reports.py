"""The knowledge base's backlog (editors), the content-gap report (coordinators) and the
"Knowledge base" section of the statistics page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from helpdesk.answer.services import missing_article_mark
from helpdesk.models import Channel, Language, Outcome, Topic
from helpdesk.services.tickets import ticket_close, ticket_create, ticket_reply
from knowledgebase.models import SearchLog

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

BACKLOG = reverse("helpdesk:kb_backlog")
GAPS = reverse("helpdesk:kb_gaps")


def search(query, *, language="ar", results=0, days_ago=1, opened=None):
    return SearchLog.objects.create(
        day=timezone.localdate() - timedelta(days=days_ago),
        query=query,
        language=language,
        source="page",
        result_count=results,
        opened_article=opened,
    )


@pytest.fixture
def gaps(ines, infolijn, education, ticket, reception_article):
    """Amina's Arabic reception ticket answered with an article and closed; a Dari Dublin ticket
    closed without one; an Education ticket marked "no article answers this"; searches."""
    outcome = Outcome.objects.get(code="information-given")
    ticket_reply(ticket=ticket, author=ines, body="see", articles=[reception_article])
    ticket_close(ticket=ticket, actor=ines, outcome=outcome)
    dari = ticket_create(
        queue=infolijn,
        channel=Channel.PHONE,
        subject="Secret Dublin subject",
        body="Dublin transfer?",
        language=Language.objects.get(code="prs"),
        topics=[Topic.objects.get(code="dublin")],
    )
    ticket_reply(ticket=dari, author=ines, body="told by phone")
    ticket_close(ticket=dari, actor=ines, outcome=outcome)
    missing_article_mark(ticket=dari, actor=ines)
    school = ticket_create(
        queue=education,
        channel=Channel.EMAIL,
        subject="Secret school subject",
        body="OKAN class?",
        language=Language.objects.get(code="uk"),
        topics=[Topic.objects.get(code="education")],
    )
    from tests.factories import UserFactory

    emma = UserFactory(username="emma", role="Info-line staff", queues=["education"])
    missing_article_mark(ticket=school, actor=emma)
    search("okan klas", language="nl")
    search("OKAN klas", language="nl")
    search("دبلن", language="ar", results=3, opened=reception_article)
    search("ancient query", language="nl", days_ago=800)
    return {"dari": dari, "school": school}


def test_editors_see_the_backlog_by_topic_and_language_next_to_the_searches_that_found_nothing(
    client, ines, gaps
):
    client.force_login(ines)
    body = client.get(BACKLOG).content.decode()
    assert "2 questions are marked “no article answers this”." in body
    assert "Dublin" in body
    assert "Dari" in body
    assert "Education (reception classes, higher education)" in body
    assert "Ukrainian" in body
    assert "okan klas" in body  # two searches, one query whatever the capitals
    assert "ancient query" not in body  # older than 90 days
    # Ines works the Infolijn queue: she gets the link to the Dari ticket, not to Education's.
    assert gaps["dari"].reference in body
    assert gaps["school"].reference not in body
    assert "Secret" not in body


def test_staff_of_another_team_see_the_counts_but_not_infolijns_tickets(client, otto, gaps):
    client.force_login(otto)
    body = client.get(BACKLOG).content.decode()
    assert "2 questions are marked" in body
    assert gaps["dari"].reference not in body
    assert gaps["school"].reference in body  # otto is in Education


def test_volunteers_get_no_backlog(client, vera, gaps):
    client.force_login(vera)
    assert client.get(BACKLOG).status_code == 403


def test_the_coordinator_sees_the_content_gaps_per_topic_and_language_and_no_ticket(
    client, cora, gaps
):
    client.force_login(cora)
    response = client.get(GAPS)
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 of 2 closed tickets." in body  # the Dari Dublin ticket closed without an article
    closed = body[body.index('id="gaps-closed"') : body.index('id="gaps-backlog"')]
    assert "Dublin" in closed
    assert "Dari" in closed
    assert "Reception (Fedasil)" not in closed  # answered with an article
    used = body[body.index('id="gaps-used"') :]
    assert "No reception place" in used
    assert "okan klas" in body
    assert "2 of 3 searches found nothing." in body
    for ticket in gaps.values():
        assert ticket.reference not in body
    assert "Secret" not in body


def test_the_gap_report_narrows_to_a_queue(client, cora, gaps):
    client.force_login(cora)
    body = client.get(GAPS, {"period": "last_12_months", "queue": "education"}).content.decode()
    assert "0 of 0 closed tickets." in body
    backlog = body[body.index('id="gaps-backlog"') : body.index('id="gaps-searches"')]
    assert "Ukrainian" in backlog
    assert "Dari" not in backlog


@pytest.mark.parametrize("persona", ["ines", "otto", "vera"])
def test_people_without_the_statistics_get_no_gap_report(client, request, persona, gaps):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(GAPS).status_code == 403


def test_a_bad_period_is_a_clear_message(client, cora):
    client.force_login(cora)
    response = client.get(GAPS, {"period": "custom", "start": "2026-05-01", "end": "2026-04-01"})
    assert response.status_code == 400
    assert "The period ends before it starts." in response.content.decode()


def test_the_statistics_page_shows_the_articles_used_beside_the_searches(client, cora, gaps):
    client.force_login(cora)
    body = client.get(reverse("stats:overview"), {"period": "last_12_months"}).content.decode()
    # The knowledge base's own section: searches, those that found nothing, their queries.
    assert "okan klas" in body
    section = body[body.index("articles linked to answers") :]
    assert "tickets answered with an article" in section
    assert "No reception place" in section
    assert "Secret" not in body


def test_the_summary_api_carries_the_article_uses(client, cora, gaps):
    client.force_login(cora)
    today = timezone.localdate()
    data = client.get(
        "/api/v1/stats/summary/",
        {"from": (today - timedelta(days=30)).isoformat(), "to": today.isoformat()},
    ).json()
    answers = data["sections"]["kb_answers"]
    assert answers["article_uses"] == 1
    assert answers["tickets_with_article"] == 1
    assert answers["most_used"] == {"no-reception-place": 1}
    assert data["sections"]["knowledge_base"]["found_nothing"] == 2  # the knowledge base's own
