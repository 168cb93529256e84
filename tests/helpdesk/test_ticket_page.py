import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpdesk.models import Attachment, Channel, Outcome, Status, Topic
from helpdesk.services.tickets import message_receive, ticket_add_note, ticket_create, ticket_reply

# The expected texts below are English: the pages are asked for in English.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def _pdf(message, filename):
    """An attachment row for `message` (no file behind it: the timeline lists, never opens)."""
    return Attachment.objects.create(
        message=message, filename=filename, content_type="application/pdf", size=1, sha256="0"
    )


def url(ticket, name="ticket"):
    return reverse(f"helpdesk:{name}", args=[ticket.reference])


def test_it_shows_the_whole_conversation_in_order(client, ines, ticket):
    ticket_reply(ticket=ticket, author=ines, body="Go to the Petit-Château.", status=Status.WAITING)
    ticket_add_note(ticket=ticket, author=ines, body="Checked with Fedasil.")
    message_receive(ticket=ticket, channel=Channel.EMAIL, body="Thank you!", sender=ticket.contact)
    client.force_login(ines)
    body = client.get(url(ticket)).content.decode()
    positions = [
        body.index("no place for me"),
        body.index("Go to the Petit-Château."),
        body.index("Checked with Fedasil."),
        body.index("Thank you!"),
    ]
    assert positions == sorted(positions)
    assert "Status: New → Open" not in body  # the reply went straight to waiting
    assert "Status: New → Waiting on requester" in body


def test_the_timeline_keeps_the_recorded_order_within_one_instant_and_each_message_s_files(
    ines, ticket
):
    """The order is made in Python (the queries ask for none): messages of the same instant in
    the order they were recorded, events after them, and each message with its own files."""
    from helpdesk.selectors.timeline import ticket_timeline

    first = ticket.messages.get()
    second = message_receive(ticket=ticket, channel=Channel.EMAIL, body="b", sender=ticket.contact)
    third = ticket_add_note(ticket=ticket, author=ines, body="c")
    ticket.messages.update(created_at=first.created_at)  # the same instant for all three
    ticket.events.update(created_at=first.created_at)
    for name, message in [("one.pdf", second), ("two.pdf", second), ("three.pdf", third)]:
        _pdf(message, name)
    entries = ticket_timeline(ticket)
    messages = [e.message.pk for e in entries if e.is_message]
    assert messages == [first.pk, second.pk, third.pk]
    assert all(e.is_message for e in entries[:3])
    assert not any(e.is_message for e in entries[3:])  # events of that instant come after
    files = {e.message.pk: [a.filename for a in e.attachments] for e in entries if e.is_message}
    assert files == {first.pk: [], second.pk: ["one.pdf", "two.pdf"], third.pk: ["three.pdf"]}
    public = ticket_timeline(ticket, public_only=True)
    assert [e.message.pk for e in public] == [first.pk, second.pk]  # no note, no event


def test_the_timeline_names_who_wrote_and_who_acted_and_follows_a_rename(
    client, ines, youssef, ticket
):
    import re

    from helpdesk.services.contacts import contact_find_or_create
    from helpdesk.services.tickets import ticket_assign

    youssef.first_name, youssef.last_name = "Youssef", "B."
    youssef.save()
    ticket_reply(ticket=ticket, author=youssef, body="Go to the Petit-Château.")
    ticket_assign(ticket=ticket, actor=youssef, assignee=ines)
    social_worker = contact_find_or_create(email="sw@example.org", name="Sofie (social worker)")
    message_receive(ticket=ticket, channel=Channel.EMAIL, body="For Amina:", sender=social_worker)
    message_receive(ticket=ticket, channel=Channel.EMAIL, body="Thanks!", sender=ticket.contact)
    client.force_login(ines)

    def heads():
        body = client.get(url(ticket)).content.decode()
        messages = re.findall(r'<div class="entry-head">\s*<strong>(.*?)</strong>', body, re.S)
        events = re.findall(
            r'<li class="entry event">\s*<span>(.*?)</span>\s*<small>(.*?) ·', body, re.S
        )
        return [re.sub(r"<.*?>|\s+", " ", m).strip() for m in messages], dict(events)

    messages, events = heads()
    assert messages == ["Amina", "Youssef B.", "Sofie (social worker)", "Amina"]
    assert events["Assigned to Ines"] == "Youssef B."
    assert events["Status: New → Answered"] == "Youssef B."
    assert events["Ticket created"] == "System"
    youssef.first_name = "Yusuf"  # a rename reaches the next page (the names are kept per version)
    youssef.save()
    messages, events = heads()
    assert messages[1] == "Yusuf B."
    assert events["Assigned to Ines"] == "Yusuf B."


def test_ticket_parts_says_which_optional_lists_have_rows(ines, ticket):
    from helpdesk.answer.models import ArticleUse
    from helpdesk.selectors.parts import ticket_parts
    from helpdesk.selectors.timeline import ticket_timeline

    assert ticket_parts(ticket).present == frozenset()
    other = ticket_create(queue=ticket.queue, channel=Channel.EMAIL, body="someone else's")
    _pdf(other.messages.get(), "x.pdf")
    assert "attachments" not in ticket_parts(ticket)  # another ticket's files are not its own
    _pdf(ticket.messages.get(), "a.pdf")
    assert ticket_parts(ticket).present == {"attachments"}
    reply = ticket_reply(ticket=ticket, author=ines, body="done", status=Status.WAITING)
    ArticleUse.objects.create(
        ticket=ticket, message=reply, article_slug="dublin", language="en", user=ines
    )
    parts = ticket_parts(ticket)
    assert parts.present == {"attachments", "article_uses"}
    # Told what is there, the timeline is the one read in full.
    described = [(e.at, e.message, e.event, e.text, e.attachments) for e in ticket_timeline(ticket)]
    assert described == [
        (e.at, e.message, e.event, e.text, e.attachments)
        for e in ticket_timeline(ticket, parts=parts)
    ]
    assert any(e.attachments for e in ticket_timeline(ticket, parts=parts))


def test_the_timeline_reads_no_attachments_when_told_there_are_none(ticket):
    from helpdesk.selectors.parts import TicketParts
    from helpdesk.selectors.timeline import ticket_timeline

    nothing = TicketParts(frozenset())
    with CaptureQueriesContext(connection) as queries:
        entries = ticket_timeline(ticket, parts=nothing)
    assert len(queries) == 2  # the messages and the events (every ticket has some)
    assert sum(e.is_message for e in entries) == 1
    assert len(entries) > 1


def test_staff_of_another_queue_get_a_404_not_a_hint(client, otto, ticket):
    client.force_login(otto)
    assert client.get(url(ticket)).status_code == 404
    response = client.post(url(ticket, "ticket_reply"), {"body": "hi", "status": "answered"})
    assert response.status_code == 404
    assert ticket.messages.count() == 1


def test_staff_reply_and_the_answer_shows(client, ines, ticket):
    client.force_login(ines)
    response = client.post(
        url(ticket, "ticket_reply"),
        {"body": "You can sleep at Samusocial.", "status": "answered", "send_by": ""},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.ANSWERED
    assert ticket.first_response_at is not None
    assert "You can sleep at Samusocial." in client.get(url(ticket)).content.decode()


def test_a_reply_with_an_attachment_stores_it_and_serves_it_only_as_a_download(
    client, ines, otto, ticket
):
    client.force_login(ines)
    upload = SimpleUploadedFile("brochure.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    client.post(
        url(ticket, "ticket_reply"),
        {"body": "See attached", "status": "answered", "attachments": [upload]},
    )
    attachment = Attachment.objects.get()
    assert attachment.filename == "brochure.pdf"
    response = client.get(reverse("helpdesk:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(otto)
    assert client.get(reverse("helpdesk:attachment", args=[attachment.pk])).status_code == 404


def test_it_refuses_a_file_type_it_does_not_accept_and_says_why(client, ines, ticket):
    client.force_login(ines)
    upload = SimpleUploadedFile("page.html", b"<script>alert(1)</script>", content_type="image/png")
    response = client.post(
        url(ticket, "ticket_reply"), {"body": "x", "status": "answered", "attachments": [upload]}
    )
    assert response.status_code == 400
    assert "not accepted" in response.content.decode()
    assert ticket.messages.count() == 1


def test_it_refuses_a_file_over_the_size_limit(client, ines, ticket, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    client.force_login(ines)
    upload = SimpleUploadedFile("big.pdf", b"x" * 11, content_type="application/pdf")
    response = client.post(
        url(ticket, "ticket_reply"), {"body": "x", "status": "answered", "attachments": [upload]}
    )
    assert response.status_code == 400
    assert "larger than" in response.content.decode()


def test_notes_change_status_assign_and_classify(client, ines, youssef, ticket):
    client.force_login(ines)
    client.post(url(ticket, "ticket_note"), {"body": "Internal: call Fedasil"})
    client.post(url(ticket, "ticket_assign"), {"assignee": youssef.pk})
    dublin = Topic.objects.get(code="dublin")
    outcome = Outcome.objects.get(code="information-given")
    client.post(
        url(ticket, "ticket_classify"),
        {"queue": ticket.queue_id, "topics": [dublin.pk], "outcome": outcome.pk, "priority": 3},
    )
    client.post(url(ticket, "ticket_status"), {"status": "closed"})
    ticket.refresh_from_db()
    assert ticket.assignee == youssef
    assert list(ticket.topics.all()) == [dublin]
    assert ticket.outcome == outcome
    assert ticket.status == Status.CLOSED
    assert ticket.messages.filter(direction="note").count() == 1


def test_closing_without_an_outcome_shows_the_reason(client, ines, ticket):
    client.force_login(ines)
    response = client.post(url(ticket, "ticket_status"), {"status": "closed"})
    assert response.status_code == 400
    assert "Choose an outcome" in response.content.decode()


def test_merge_a_duplicate_by_its_reference(client, ines, ticket, infolijn):
    duplicate = ticket_create(
        queue=infolijn, channel=Channel.PHONE, body="The same question by phone"
    )
    client.force_login(ines)
    response = client.post(url(ticket, "ticket_merge"), {"reference": duplicate.reference.lower()})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == ticket
    # The duplicate's old link leads to the ticket it was merged into.
    assert client.get(url(duplicate)).url == url(ticket)


def test_merging_a_ticket_from_another_queue_is_refused(client, ines, ticket, education):
    other = ticket_create(queue=education, channel=Channel.EMAIL, body="School")
    client.force_login(ines)
    response = client.post(url(ticket, "ticket_merge"), {"reference": other.reference})
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.merged_into is None


def test_markup_in_a_message_is_shown_as_text(client, ines, infolijn):
    ticket = ticket_create(
        queue=infolijn, channel=Channel.WEBFORM, body='<script>alert("x")</script><b>hi</b>'
    )
    client.force_login(ines)
    body = client.get(url(ticket)).content.decode()
    assert '<script>alert("x")</script>' not in body
    assert "&lt;script&gt;" in body


def test_the_ticket_page_query_count_does_not_grow_with_the_conversation(client, ines, ticket):
    client.force_login(ines)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(ticket)).status_code == 200
        return len(queries)

    ticket_reply(ticket=ticket, author=ines, body="first")
    count()  # the process builds the translated lists once per version (selectors/lists.py)
    few = count()
    for i in range(15):
        ticket_reply(
            ticket=ticket,
            author=ines,
            body=f"answer {i}",
            attachments=[],
            status=Status.WAITING if i % 2 else Status.ANSWERED,
        )
        message_receive(
            ticket=ticket, channel=Channel.EMAIL, body=f"question {i}", sender=ticket.contact
        )
        ticket_add_note(ticket=ticket, author=ines, body=f"note {i}")
    many = count()
    assert many == few
    assert many <= 30
