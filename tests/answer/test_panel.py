"""The ticket page's knowledge-base panel: suggestions in the ticket's language, search in place,
and who gets what."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpdesk.answer.selectors import article_panel, suggestion_query
from helpdesk.models import Channel, Status
from helpdesk.services.tickets import message_receive, ticket_add_note, ticket_reply
from knowledgebase.models import SearchLog

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def url(ticket, name="ticket"):
    return reverse(f"helpdesk:{name}", args=[ticket.reference])


def test_it_suggests_the_article_that_matches_the_ticket_in_the_ticket_language(
    client, ines, ticket, indexed
):
    # Amina's ticket is in Arabic: "No place in reception ... Where can I sleep tonight?"
    client.force_login(ines)
    body = client.get(url(ticket)).content.decode()
    assert "لا يوجد مكان في الاستقبال" in body  # the Arabic title of the reception article
    assert "Suggested for this ticket" in body
    assert "De Dublinprocedure" not in body
    assert "إجراءات دبلن" not in body


def test_the_suggestion_query_reads_the_subject_and_the_requesters_messages_not_notes(ines, ticket):
    ticket_add_note(ticket=ticket, author=ines, body="internal remark about Dublin")
    message_receive(
        ticket=ticket, channel=Channel.EMAIL, body="Also my lawyer", sender=ticket.contact
    )
    words = suggestion_query(ticket)
    assert words.startswith("No place in reception")
    assert "Also my lawyer" in words
    assert "Dublin" not in words


def test_the_suggestion_query_is_the_same_from_the_timeline_s_messages(ines, ticket):
    """The ticket page passes the messages it already read; the words must not change."""
    from helpdesk.selectors.timeline import ticket_timeline

    ticket_add_note(ticket=ticket, author=ines, body="internal remark about Dublin")
    for body in ["second question", "third question", "fourth question, left out"]:
        message_receive(ticket=ticket, channel=Channel.EMAIL, body=body, sender=ticket.contact)
    loaded = [entry.message for entry in ticket_timeline(ticket) if entry.message]
    from_timeline = suggestion_query(ticket, loaded)
    assert from_timeline == suggestion_query(ticket)
    assert "third" in from_timeline
    assert "fourth" not in from_timeline
    assert "Dublin" not in from_timeline


def test_a_ticket_in_a_language_without_the_article_shows_the_fallback_text_and_says_so(
    client, ines, pashto_ticket, indexed
):
    client.force_login(ines)
    body = client.get(url(pashto_ticket)).content.decode()
    assert "No reception place" in body  # ps → fa → en: the English text
    assert "Not in Pashto: shown in English." in body


def test_internal_articles_are_suggested_to_staff_but_offer_no_insert_of_their_text(
    ines, infolijn, indexed
):
    from helpdesk.services.tickets import ticket_create

    ticket = ticket_create(
        queue=infolijn, channel=Channel.PHONE, body="Een beller in crisis, wat doe je?"
    )
    panel = article_panel(ticket=ticket, user=ines)
    crisis = next(item for item in panel.items if item.slug == "caller-in-crisis")
    assert crisis.visibility == "internal"
    assert not crisis.can_send_text
    assert all(item.slug != "new-reception-rules" for item in panel.items)  # no drafts offered


def test_staff_search_the_knowledge_base_in_place_without_javascript(client, ines, ticket, indexed):
    client.force_login(ines)
    body = client.get(url(ticket), {"kbq": "Dublin"}).content.decode()
    assert "إجراءات دبلن" in body  # found, in the ticket's language (Arabic)
    assert "2 articles found for “Dublin”." in body  # and the internal crisis note
    assert 'name="kbq"' in body
    assert 'value="Dublin"' in body
    assert SearchLog.objects.filter(query="Dublin", result_count=2, scope="internal").exists()


def test_the_search_box_swaps_only_the_panel_with_htmx(client, ines, ticket, indexed):
    client.force_login(ines)
    response = client.get(url(ticket, "answer_panel"), {"kbq": "Dublin"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith("<section")
    assert 'id="kb-panel"' in body
    assert "إجراءات دبلن" in body
    assert "<html" not in body
    # Without htmx the same address leads back to the ticket page with the search.
    plain = client.get(url(ticket, "answer_panel"), {"kbq": "Dublin"})
    assert plain.status_code == 302
    assert "kbq=Dublin" in plain["Location"]


def test_a_search_that_finds_nothing_says_so_and_is_logged_for_the_backlog(
    client, ines, ticket, indexed
):
    client.force_login(ines)
    body = client.get(url(ticket), {"kbq": "zzqx"}).content.decode()
    assert "Nothing found" in body
    assert SearchLog.objects.get(query="zzqx").result_count == 0


def test_staff_of_another_team_get_no_panel_data_for_tickets_outside_their_queues(
    client, otto, ticket, indexed
):
    client.force_login(otto)
    assert client.get(url(ticket), {"kbq": "Dublin"}).status_code == 404
    assert (
        client.get(
            url(ticket, "answer_panel"), {"kbq": "Dublin"}, HTTP_HX_REQUEST="true"
        ).status_code
        == 404
    )
    compose = client.post(url(ticket, "answer_compose"), {"insert": "dublin:summary"})
    assert compose.status_code == 404
    # And the selector itself gives nothing, whoever calls it.
    panel = article_panel(ticket=ticket, user=otto, query="Dublin")
    assert panel.items == []
    assert panel.total == 0


@pytest.mark.parametrize("persona", ["vera", "cora"])
def test_people_who_do_not_work_tickets_are_refused_the_panel(
    client, request, persona, ticket, indexed
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url(ticket, "answer_panel"), {"kbq": "Dublin"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert "إجراءات دبلن" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login(client, ticket, indexed):
    response = client.get(url(ticket, "answer_panel"), {"kbq": "Dublin"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_ticket_page_with_suggestions_runs_a_fixed_number_of_queries(
    client, ines, ticket, make_article, whoosh_index, reindex, reception_article, canned
):
    client.force_login(ines)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(ticket))
        assert response.status_code == 200
        assert "Suggested for this ticket" in response.content.decode()
        return len(queries)

    reindex()
    ticket_reply(ticket=ticket, author=ines, body="first", articles=[reception_article])
    count()  # the process builds the translated lists once per version (selectors/lists.py)
    few = count()
    for i in range(6):
        make_article(
            f"reception-{i}",
            category="reception",
            translations={"en": {"title": f"Reception place {i}", "summary": "no place to sleep"}},
        )
        article = make_article(
            f"sleep-{i}",
            category="reception",
            translations={"ar": {"title": f"مكان للنوم {i}", "summary": "reception"}},
        )
        ticket_reply(
            ticket=ticket,
            author=ines,
            body=f"answer {i}",
            status=Status.WAITING,
            articles=[article, reception_article],
        )
        message_receive(
            ticket=ticket, channel=Channel.EMAIL, body=f"no place {i}", sender=ticket.contact
        )
    reindex()
    many = count()
    assert many == few
    # Session, user, permissions (one), the ticket (with its backlog mark, read through the
    # person's queues in the same query) and its timeline; the
    # search (its words from the timeline's messages; the index, then the database checks
    # visibility: one, which the panel reuses); the articles' uses; the articles that answered
    # this ticket (none: one statement says which of the ticket's optional lists have rows, and
    # it has no attachments, calls or articles used); the panel's other cards; the lists'
    # versions (the lists, the assignees and canned responses are cached per version).
    assert many == 17


def test_each_suggestion_says_how_often_and_when_it_was_last_used(client, ines, ticket, indexed):
    from datetime import UTC, datetime

    from helpdesk.models import ArticleUse

    # The last use late in the evening, UTC: in Brussels it is the next day, and the page says so.
    times = [datetime(2026, 3, 2, 9, 0, tzinfo=UTC), datetime(2026, 3, 9, 23, 30, tzinfo=UTC)]
    for at in times:
        reply = ticket_reply(ticket=ticket, author=ines, body="See the article.")
        ArticleUse.objects.create(
            ticket=ticket,
            message=reply,
            article_slug="no-reception-place",
            language="ar",
            wanted_language="ar",
            user=ines,
            at=at,
        )
    panel = article_panel(ticket=ticket, user=ines)
    used = {item.slug: (item.use_count, item.last_used) for item in panel.items}
    assert used.pop("no-reception-place") == (2, times[1])
    assert all(value == (0, None) for value in used.values())
    client.force_login(ines)
    body = client.get(url(ticket)).content.decode()
    assert "Used in 2 answers, last on 03/10/2026." in body
