"""Every article used in an answer is linked to the ticket; the ticket and the article show it;
"no article answers this" puts the ticket on the backlog."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from helpdesk.answer.services import missing_article_mark, missing_article_unmark
from helpdesk.models import ArticleUse, Channel, Message, MissingArticle
from helpdesk.services.tickets import ticket_create, ticket_merge, ticket_reply

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def url(ticket, name="ticket"):
    return reverse(f"helpdesk:{name}", args=[ticket.reference])


def test_the_reply_service_links_each_article_to_the_ticket_with_the_language_used(
    ines, pashto_ticket, reception_article, dublin
):
    message = ticket_reply(
        ticket=pashto_ticket,
        author=ines,
        body="See these.",
        articles=[reception_article, dublin, reception_article],
    )
    uses = {use.article_slug: use for use in ArticleUse.objects.all()}
    assert set(uses) == {"no-reception-place", "dublin"}  # each once per answer
    reception = uses["no-reception-place"]
    assert reception.ticket == pashto_ticket
    assert reception.message == message
    assert reception.article == reception_article
    assert reception.user == ines
    assert reception.language == "en"
    assert reception.wanted_language == "ps"
    assert reception.is_fallback
    assert reception.at == message.created_at
    assert uses["dublin"].language == "fa"  # Dublin exists in Farsi, Pashto's first fallback


def test_an_answer_that_fails_links_nothing(ines, ticket, reception_article):
    with pytest.raises(ValidationError):
        ticket_reply(ticket=ticket, author=ines, body="  ", articles=[reception_article])
    assert not ArticleUse.objects.exists()


def test_a_draft_cannot_be_linked_and_the_answer_is_not_stored_either(ines, ticket, draft):
    with pytest.raises(ValidationError):
        ticket_reply(ticket=ticket, author=ines, body="Here", articles=[draft])
    assert not ArticleUse.objects.exists()
    assert ticket.messages.filter(direction="out").count() == 0


def test_the_answer_form_sends_the_articles_and_the_ticket_page_shows_them(
    client, ines, ticket, reception_article, crisis_note
):
    client.force_login(ines)
    response = client.post(
        url(ticket, "ticket_reply"),
        {
            "body": "لا يوجد مكان في الاستقبال",
            "status": "answered",
            "send_by": "",
            "articles": ["no-reception-place", "caller-in-crisis"],
        },
    )
    assert response.status_code == 302
    assert ArticleUse.objects.filter(ticket=ticket).count() == 2
    page = client.get(url(ticket)).content.decode()
    section = page[page.index('id="kb-answered-title"') :]
    assert "No reception place" in section  # the title in the reader's language (English)
    assert "Een beller in crisis" in section


def test_an_unknown_article_in_the_answer_form_is_a_form_error_and_nothing_is_sent(
    client, ines, ticket
):
    client.force_login(ines)
    response = client.post(
        url(ticket, "ticket_reply"),
        {"body": "Hi", "status": "answered", "send_by": "", "articles": ["nope"]},
    )
    assert response.status_code == 400
    assert ticket.messages.filter(direction="out").count() == 0


def test_the_article_page_shows_how_often_and_how_recently_it_was_used(
    client, ines, vera, ticket, reception_article
):
    ticket_reply(ticket=ticket, author=ines, body="a", articles=[reception_article])
    ticket_reply(ticket=ticket, author=ines, body="b", articles=[reception_article])
    client.force_login(vera)  # a volunteer reads the staff facts, never which tickets
    page = client.get("/en/kb/no-reception-place/").content.decode()
    assert "Used in answers" in page
    assert "2 times, last on" in page
    assert ticket.reference not in page


def test_an_article_never_used_says_so(client, ines, reception_article):
    client.force_login(ines)
    page = client.get("/en/kb/no-reception-place/").content.decode()
    assert "Used in answers" in page
    assert "not yet" in page


def test_anonymous_readers_do_not_see_the_usage(client, ines, ticket, reception_article):
    ticket_reply(ticket=ticket, author=ines, body="a", articles=[reception_article])
    page = client.get("/en/kb/no-reception-place/").content.decode()
    assert "Used in answers" not in page


def test_a_merged_duplicate_brings_its_article_links_and_backlog_mark(
    ines, ticket, infolijn, reception_article
):
    duplicate = ticket_create(queue=infolijn, channel=Channel.EMAIL, body="Same question")
    ticket_reply(ticket=duplicate, author=ines, body="see", articles=[reception_article])
    missing_article_mark(ticket=duplicate, actor=ines)
    ticket_merge(source=duplicate, target=ticket, actor=ines)
    assert ArticleUse.objects.get().ticket == ticket
    assert MissingArticle.objects.get().ticket == ticket


def test_no_article_answers_this_puts_the_ticket_on_the_backlog_until_an_article_does(
    client, ines, ticket, reception_article
):
    client.force_login(ines)
    client.post(url(ticket, "missing_article"), {"action": "mark"})
    mark = MissingArticle.objects.get(ticket=ticket)
    assert mark.is_open
    assert mark.marked_by == ines
    assert "Take it off the backlog" in client.get(url(ticket)).content.decode()
    ticket_reply(ticket=ticket, author=ines, body="found one", articles=[reception_article])
    mark.refresh_from_db()
    assert not mark.is_open
    assert mark.resolved_by_article == "no-reception-place"


def test_the_ticket_page_reads_a_backlog_mark_only_for_a_ticket_that_has_one(client, ines, ticket):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from helpdesk import roles
    from tests.factories import UserFactory

    noor = UserFactory(
        username="noor", first_name="Noor", role=roles.INFO_LINE_STAFF, queues=["infolijn"]
    )
    client.force_login(ines)

    def page():
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url(ticket)).content.decode()
        return body, [q["sql"] for q in queries.captured_queries]

    page()  # the lists are cached from here on
    body, unmarked = page()
    assert "No article answers this" in body
    assert not [sql for sql in unmarked if "helpdesk_missingarticle" in sql.split("WHERE")[0]]
    missing_article_mark(ticket=ticket, actor=noor)
    body, marked = page()
    assert "On the knowledge base's backlog: no article answers this (Noor, " in body
    assert len(marked) == len(unmarked) + 1


def test_a_mark_made_by_mistake_can_be_taken_off(ines, ticket):
    missing_article_mark(ticket=ticket, actor=ines)
    missing_article_mark(ticket=ticket, actor=ines)  # twice: still one
    assert MissingArticle.objects.count() == 1
    assert missing_article_unmark(ticket=ticket, actor=ines)
    assert not MissingArticle.objects.exists()


def test_staff_of_another_team_cannot_mark_or_link_on_a_ticket_they_do_not_see(
    client, otto, ticket, reception_article
):
    with pytest.raises(PermissionDenied):
        missing_article_mark(ticket=ticket, actor=otto)
    client.force_login(otto)
    assert client.post(url(ticket, "missing_article"), {"action": "mark"}).status_code == 404
    assert not MissingArticle.objects.exists()
    assert not Message.objects.filter(direction="out").exists()
