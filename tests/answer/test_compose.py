"""Inserting an article or a canned response into the answer, with and without JavaScript, and
the warning before sending when the ticket's language is missing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from helpdesk.answer.selectors import article_insertion, canned_insertion, fill_placeholders
from helpdesk.models import ArticleUse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def url(ticket, name="answer_compose"):
    return reverse(f"helpdesk:{name}", args=[ticket.reference])


def test_insert_puts_title_summary_and_the_short_link_in_the_tickets_language(
    ines, ticket, reception_article
):
    insertion = article_insertion(
        ticket=ticket, user=ines, slug="no-reception-place", mode="summary"
    )
    assert insertion.language == "ar"
    assert not insertion.is_fallback
    lines = insertion.text.split("\n\n")
    assert lines[0] == "لا يوجد مكان في الاستقبال"
    assert lines[1] == "ماذا تفعل إذا لم تمنحك فيداسيل مكانا للنوم"
    assert lines[2].endswith(f"/k/{reception_article.code}/ar/")
    assert "قائمة الانتظار" not in insertion.text  # the body is left out


def test_insert_full_text_puts_the_body_with_the_link(ines, ticket, reception_article):
    insertion = article_insertion(ticket=ticket, user=ines, slug="no-reception-place", mode="full")
    assert "سجل اسمك في قائمة الانتظار لدى فيداسيل." in insertion.text
    assert insertion.text.endswith(f"/k/{reception_article.code}/ar/")


def test_a_missing_language_falls_back_and_warns_before_sending(
    client, ines, pashto_ticket, reception_article
):
    client.force_login(ines)
    response = client.post(
        url(pashto_ticket),
        {"body": "Hello,", "insert": "no-reception-place:summary", "status": "answered"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    # The page is shown again with what was typed, the English text added, and the warning
    # next to the article in the composer, before anything is sent.
    assert "Hello,\n\nNo reception place\n\nWhat to do when Fedasil" in body
    assert "“No reception place” does not exist in Pashto: the English text will be sent." in body
    assert 'name="articles" value="no-reception-place" checked' in body
    assert not ArticleUse.objects.exists()  # nothing is recorded until the answer is sent


def test_with_javascript_the_insert_comes_back_as_json_with_the_warning(
    client, ines, pashto_ticket, reception_article
):
    client.force_login(ines)
    response = client.post(
        url(pashto_ticket),
        {"body": "", "insert": "no-reception-place:full"},
        HTTP_ACCEPT="application/json",
    )
    data = response.json()
    assert data["slug"] == "no-reception-place"
    assert data["language"] == "en"
    assert data["text"].startswith("No reception place\n\nPut your name on the waiting list")
    assert "does not exist in Pashto" in data["warning"]


def test_no_warning_when_the_article_exists_in_the_tickets_language(
    client, ines, ticket, reception_article
):
    client.force_login(ines)
    data = client.post(
        url(ticket), {"insert": "no-reception-place:summary"}, HTTP_ACCEPT="application/json"
    ).json()
    assert data["language"] == "ar"
    assert data["warning"] == ""


def test_the_text_of_an_internal_article_is_never_inserted_but_it_can_be_linked(
    client, ines, ticket, crisis_note
):
    with pytest.raises(ValidationError):
        article_insertion(ticket=ticket, user=ines, slug="caller-in-crisis", mode="summary")
    client.force_login(ines)
    refused = client.post(
        url(ticket), {"insert": "caller-in-crisis:full"}, HTTP_ACCEPT="application/json"
    )
    assert refused.status_code == 400
    assert "Internal articles are for staff" in refused.json()["error"]
    linked = client.post(
        url(ticket), {"insert": "caller-in-crisis:link"}, HTTP_ACCEPT="application/json"
    ).json()
    assert linked["text"] == ""
    assert linked["slug"] == "caller-in-crisis"


def test_a_draft_cannot_be_inserted(ines, ticket, draft):
    with pytest.raises(ValidationError):
        article_insertion(ticket=ticket, user=ines, slug="new-reception-rules", mode="summary")


def test_an_unknown_article_is_a_clear_message_not_an_error(client, ines, ticket):
    client.force_login(ines)
    response = client.post(url(ticket), {"body": "kept", "insert": "no-such-article:summary"})
    assert response.status_code == 404
    response = client.post(url(ticket), {"body": "kept text", "insert": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose an article or a canned response to insert." in body
    assert "kept text" in body


def test_a_canned_response_is_filled_in_in_the_tickets_language(ines, ticket, canned):
    insertion = canned_insertion(ticket=ticket, user=ines, shortcut="thanks")
    assert insertion.language == "ar"
    assert not insertion.is_fallback
    # The queue's name in Arabic too (helpdesk migration 0008 names the seed queues).
    assert insertion.text == f"عزيزي Amina، شكرا على سؤالك {ticket.reference} إلى خط المعلومات."


def test_a_canned_response_falls_back_and_warns_where_its_language_is_missing(
    ines, pashto_ticket, canned
):
    with translation.override("en"):
        insertion = canned_insertion(ticket=pashto_ticket, user=ines, shortcut="thanks")
        warning = insertion.warning
    assert insertion.language == "en"
    assert insertion.is_fallback
    assert insertion.text == (
        f"Dear Gul, thank you for your question {pashto_ticket.reference} to Info line."
    )
    assert "does not exist in Pashto: the English text will be sent" in warning


def test_placeholders_are_filled_safely(ines, infolijn):
    values = {"name": "{reference} <b>x</b>", "reference": "IL-1", "queue": "Q"}
    assert fill_placeholders("Dear {name}, {reference} {name.__class__} {0}", values) == (
        "Dear {reference} <b>x</b>, IL-1 {name.__class__} {0}"
    )
    assert fill_placeholders("Dear {name}, hello", {"name": ""}) == "Dear, hello"


def test_canned_responses_of_another_queue_are_not_offered(client, ines, ticket, canned):
    client.force_login(ines)
    page = client.get(reverse("helpdesk:ticket", args=[ticket.reference])).content.decode()
    assert 'value="thanks"' in page
    assert 'value="school"' not in page
    refused = client.post(
        url(ticket), {"use_canned": "1", "canned": "school"}, HTTP_ACCEPT="application/json"
    )
    assert refused.status_code == 400
    assert "There is no canned response “school” in this queue." in refused.json()["error"]


def test_a_canned_response_is_chosen_by_keyboard_and_inserted_without_javascript(
    client, ines, ticket, canned
):
    client.force_login(ines)
    page = client.get(reverse("helpdesk:ticket", args=[ticket.reference])).content.decode()
    assert 'list="canned-list"' in page
    assert 'accesskey="c"' in page
    assert 'aria-keyshortcuts="Alt+C"' in page
    response = client.post(url(ticket), {"body": "", "use_canned": "1", "canned": "thanks"})
    assert response.status_code == 200
    assert f"عزيزي Amina، شكرا على سؤالك {ticket.reference}" in response.content.decode()


def test_markup_in_a_canned_response_or_a_name_is_shown_as_text(client, ines, ticket, canned):
    here, _elsewhere = canned
    here.body_ar = "<script>alert(1)</script> {name}"
    here.save()
    ticket.contact.name = "<img src=x onerror=alert(1)>"
    ticket.contact.save()
    client.force_login(ines)
    body = client.post(url(ticket), {"use_canned": "1", "canned": "thanks"}).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_staff_of_another_team_cannot_insert_into_a_ticket_of_infolijn(
    client, otto, ticket, canned, reception_article
):
    client.force_login(otto)
    assert client.post(url(ticket), {"use_canned": "1", "canned": "thanks"}).status_code == 404
    assert client.post(url(ticket), {"insert": "no-reception-place:summary"}).status_code == 404
    with pytest.raises(PermissionDenied):
        canned_insertion(ticket=ticket, user=otto, shortcut="thanks")


def test_the_page_shown_again_after_an_insert_is_an_audited_view_of_the_ticket(
    client, ines, ticket, reception_article
):
    from helpdesk.privacy.models import AuditEntry

    client.force_login(ines)
    before = AuditEntry.objects.filter(action="ticket.view").count()
    client.post(url(ticket), {"insert": "no-reception-place:summary"})
    assert AuditEntry.objects.filter(action="ticket.view").count() == before + 1


def test_coordinators_keep_the_canned_responses_in_settings_and_staff_do_not(
    client, cora, ines, canned
):
    client.force_login(cora)
    listing = client.get("/admin/helpdesk/cannedresponse/")
    assert listing.status_code == 200
    assert "thanks" in listing.content.decode()
    client.force_login(ines)
    assert client.get("/admin/helpdesk/cannedresponse/").status_code in (302, 403)
