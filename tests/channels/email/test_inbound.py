"""Received mail becomes a ticket, a reply, a recorded auto-reply or bounce, or a recorded
rejection; never lost, never doubled. Tasks run inline (the immediate backend)."""

import pytest
from django.core import mail as django_mail
from django.utils import translation

from helpdesk.channels.email.inbound import inbound_process, inbound_retry, inbound_store
from helpdesk.channels.email.models import (
    InboundEmail,
    InboundOutcome,
    InboundStatus,
    Origin,
    OutboundEmail,
)
from helpdesk.models import Channel, DeliveryStatus, Direction, Message, Status, Ticket
from helpdesk.services.contacts import contact_find_or_create
from helpdesk.services.tickets import ticket_reply

from .conftest import make_mail

# The channel's promises are about commits (store, commit, then move; tasks run on commit).
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_transactional_db"),
]


def receive(raw, queue):
    inbound, _created = inbound_store(raw, origin=Origin.WEBHOOK, queue=queue)
    inbound.refresh_from_db()
    return inbound


def test_a_mail_becomes_a_ticket_with_the_sender_as_contact(infolijn):
    inbound = receive(make_mail(), infolijn)
    assert inbound.status == InboundStatus.PROCESSED
    assert inbound.outcome == InboundOutcome.TICKET
    ticket = inbound.ticket
    assert ticket.channel == Channel.EMAIL
    assert ticket.queue == infolijn
    assert ticket.subject == "Geen opvangplaats"
    assert ticket.contact.email == "amina@example.org"
    assert ticket.contact.name == "Amina"
    message = ticket.messages.get()
    assert "Waar kan ik vannacht slapen?" in message.body
    assert message.source == inbound
    assert message.external_id == inbound.msgid


def test_the_same_mail_twice_makes_one_ticket(infolijn):
    raw = make_mail(message_id="<once@example.org>")
    first, created_first = inbound_store(raw, origin=Origin.IMAP, queue=infolijn)
    # The same message delivered again, with other trace headers, and imported later.
    again = b"Received: from relay.example.net\r\n" + raw
    second, created_second = inbound_store(again, origin=Origin.IMPORT, queue=infolijn)
    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert Ticket.objects.count() == 1
    assert InboundEmail.objects.count() == 1


def test_without_a_message_id_the_content_decides_what_is_a_duplicate(infolijn):
    raw = make_mail(message_id="placeholder")
    raw = b"\n".join(line for line in raw.split(b"\n") if not line.startswith(b"Message-ID"))
    receive(raw, infolijn)
    receive(b"Received: by mx2.example.net\n" + raw, infolijn)
    assert Ticket.objects.count() == 1
    receive(raw.replace(b"vannacht", b"morgen"), infolijn)
    assert Ticket.objects.count() == 2


def test_processing_twice_does_nothing_the_second_time(infolijn):
    inbound = receive(make_mail(), infolijn)
    assert inbound_process(inbound.pk).status == InboundStatus.PROCESSED
    assert Ticket.objects.count() == 1
    assert Message.objects.count() == 1


def test_a_reply_to_our_answer_threads_onto_the_ticket_and_reopens_it(infolijn, ines, smtp):
    ticket = receive(make_mail(), infolijn).ticket
    answer = ticket_reply(
        ticket=ticket, author=ines, body="Ga naar Klein Kasteeltje.", channel="email"
    )
    ours = OutboundEmail.objects.get(message=answer).msgid
    reply = make_mail(
        subject="Re: Geen opvangplaats", body="Dank u, en morgen?", in_reply_to=f"<{ours}>"
    )
    inbound = receive(reply, infolijn)
    assert inbound.outcome == InboundOutcome.REPLY
    assert inbound.ticket == ticket
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert Ticket.objects.count() == 1


def test_references_and_the_subject_reference_thread_too(infolijn):
    first = receive(make_mail(message_id="<q1@example.org>"), infolijn).ticket
    by_references = receive(
        make_mail(body="Nog een vraag.", references="<unknown@x> <q1@example.org>"), infolijn
    )
    assert by_references.ticket == first
    by_subject = receive(
        make_mail(subject=f"Vraag [{first.reference}] opnieuw", body="En mijn broer?"), infolijn
    )
    assert by_subject.ticket == first
    assert first.messages.count() == 3


def test_a_reply_from_someone_else_becomes_a_new_ticket_linked_to_the_old_one(infolijn):
    first = receive(make_mail(message_id="<q2@example.org>"), infolijn).ticket
    stranger = make_mail(
        sender="Someone <someone@elsewhere.test>", in_reply_to="<q2@example.org>", body="Me too!"
    )
    inbound = receive(stranger, infolijn)
    assert inbound.outcome == InboundOutcome.RELATED
    assert inbound.ticket != first
    assert inbound.ticket.related_to == first
    assert first.messages.count() == 1  # nothing appended to Amina's question


def test_a_known_participant_threads(infolijn, ines):
    first = receive(make_mail(message_id="<q3@example.org>"), infolijn).ticket
    lawyer = contact_find_or_create(email="lawyer@example.be")
    first.participants.add(lawyer)
    inbound = receive(
        make_mail(
            sender="lawyer@example.be", in_reply_to="<q3@example.org>", body="Ik volg dit op."
        ),
        infolijn,
    )
    assert inbound.outcome == InboundOutcome.REPLY
    assert inbound.ticket == first


def test_a_reply_to_a_merged_ticket_goes_to_the_ticket_it_was_merged_into(infolijn, ines):
    from helpdesk.services.tickets import ticket_merge

    old = receive(make_mail(message_id="<m1@example.org>"), infolijn).ticket
    target = receive(make_mail(message_id="<m2@example.org>", subject="Tweede"), infolijn).ticket
    ticket_merge(source=old, target=target, actor=ines)
    inbound = receive(make_mail(in_reply_to="<m1@example.org>", body="En nu?"), infolijn)
    assert inbound.ticket == target


def test_an_out_of_office_is_recorded_on_the_ticket_but_nothing_moves_or_answers(
    infolijn, ines, smtp
):
    ticket = receive(make_mail(), infolijn).ticket
    answer = ticket_reply(ticket=ticket, author=ines, body="Antwoord.", channel="email")
    ours = OutboundEmail.objects.get(message=answer).msgid
    sent_before = len(smtp.envelopes)
    auto = make_mail(
        subject="Automatisch antwoord: Re: Geen opvangplaats",
        body="Ik ben afwezig tot maandag.",
        in_reply_to=f"<{ours}>",
        headers={"Auto-Submitted": "auto-replied"},
    )
    inbound = receive(auto, infolijn)
    assert inbound.outcome == InboundOutcome.AUTO_REPLY
    assert inbound.is_automatic
    ticket.refresh_from_db()
    assert ticket.status == Status.ANSWERED  # not reopened
    assert ticket.messages.filter(direction=Direction.INBOUND).count() == 2
    assert len(smtp.envelopes) == sent_before  # no acknowledgement, no answer


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-generated"},
        {"Precedence": "bulk"},
        {"X-Autoreply": "yes"},
        {"List-Id": "<news.example.org>"},
        {"X-Auto-Response-Suppress": "All"},
    ],
)
def test_automatic_mail_is_never_acknowledged(infolijn, headers):
    inbound = receive(make_mail(headers=headers), infolijn)
    assert inbound.is_automatic
    assert inbound.ticket is not None  # recorded: nothing is lost
    assert not OutboundEmail.objects.filter(kind="ack").exists()
    assert django_mail.outbox == []


def test_a_bounce_marks_the_answer_failed_instead_of_opening_a_ticket(infolijn, ines, smtp):
    ticket = receive(make_mail(), infolijn).ticket
    answer = ticket_reply(ticket=ticket, author=ines, body="Antwoord.", channel="email")
    ours = OutboundEmail.objects.get(message=answer).msgid
    dsn = dsn_for(
        ours, "amina@example.org", status="5.1.1", diagnostic="smtp; 550 5.1.1 User unknown"
    )
    inbound = receive(dsn, infolijn)
    assert inbound.outcome == InboundOutcome.BOUNCE
    assert inbound.ticket == ticket
    answer.refresh_from_db()
    assert answer.status == DeliveryStatus.FAILED
    assert "5.1.1" in answer.status_detail
    assert "User unknown" in answer.status_detail
    assert Ticket.objects.count() == 1


def test_a_delayed_report_does_not_fail_the_answer(infolijn, ines, smtp):
    ticket = receive(make_mail(), infolijn).ticket
    answer = ticket_reply(ticket=ticket, author=ines, body="Antwoord.", channel="email")
    ours = OutboundEmail.objects.get(message=answer).msgid
    receive(dsn_for(ours, "amina@example.org", action="delayed", status="4.4.7"), infolijn)
    answer.refresh_from_db()
    assert answer.status == DeliveryStatus.SENT


def test_a_bounce_about_mail_we_never_sent_is_rejected_with_a_reason(infolijn):
    with translation.override("en"):  # the reason is written in the active language
        inbound = receive(dsn_for("someone-else@example.org", "x@example.org"), infolijn)
    assert inbound.status == InboundStatus.REJECTED
    assert "delivery failure report" in inbound.reason
    assert Ticket.objects.count() == 0


def test_mail_from_our_own_address_is_a_loop_not_a_question(infolijn):
    infolijn.email = "infolijn@infolijn.test"
    infolijn.save()
    with translation.override("en"):
        inbound = receive(make_mail(sender="infolijn@infolijn.test"), infolijn)
    assert inbound.status == InboundStatus.REJECTED
    assert "loop" in inbound.reason


def test_refused_attachments_are_noted_on_the_ticket_and_the_rest_is_kept(infolijn):
    raw = make_mail(
        attachments=[
            ("bijlage.pdf", b"%PDF-1.4 letter", "application/pdf"),
            ("virus.exe", b"MZ...", "application/octet-stream"),
        ]
    )
    ticket = receive(raw, infolijn).ticket
    message = ticket.messages.get(direction=Direction.INBOUND)
    assert [a.filename for a in message.attachments.all()] == ["bijlage.pdf"]
    note = ticket.messages.get(direction=Direction.NOTE)
    assert note.author is None
    assert "virus.exe" in note.body


def test_the_language_of_the_mail_sets_the_ticket_language(infolijn):
    body = "مرحبا، ليس لدي مكان في مركز الاستقبال. أين يمكنني أن أنام الليلة؟ شكرا جزيلا لكم."
    ticket = receive(
        make_mail(sender="omar@example.org", subject="سؤال", body=body), infolijn
    ).ticket
    assert ticket.language.code == "ar"


def test_too_little_text_leaves_the_language_open(infolijn):
    ticket = receive(make_mail(sender="x@example.org", subject="?", body="Help"), infolijn).ticket
    assert ticket.language is None


def test_quoted_mail_is_kept_but_folded(infolijn):
    body = "Dank u voor het antwoord.\n\nOp 3 mei 2026 om 10:00 schreef Infolijn <infolijn@infolijn.test>:\n> Ga naar het Klein Kasteeltje.\n> Groeten"
    ticket = receive(make_mail(body=body), infolijn).ticket
    message = ticket.messages.get()
    assert message.body_main == "Dank u voor het antwoord."
    assert "Klein Kasteeltje" in message.body_folded
    assert "Klein Kasteeltje" in message.body  # kept in full


def test_a_message_that_breaks_processing_is_kept_with_its_error_and_can_be_retried(
    infolijn, monkeypatch
):
    from helpdesk.channels.email import inbound as module

    def broken(*args, **kwargs):
        raise RuntimeError("the database said no")

    monkeypatch.setattr(module, "ticket_create", broken)
    inbound = receive(make_mail(), infolijn)
    assert inbound.status == InboundStatus.FAILED
    assert "the database said no" in inbound.reason
    assert bytes(inbound.raw)  # the mail itself is still there
    assert Ticket.objects.count() == 0
    monkeypatch.undo()
    inbound = inbound_retry(inbound)
    assert inbound.status == InboundStatus.PROCESSED
    assert Ticket.objects.count() == 1


def test_an_empty_mail_with_a_sender_still_makes_a_ticket(infolijn):
    ticket = receive(make_mail(subject="Bel mij terug", body=""), infolijn).ticket
    assert ticket.messages.get().body == "Bel mij terug"


def dsn_for(original_id, recipient, *, action="failed", status="5.1.1", diagnostic=""):
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\n"
        "To: infolijn@infolijn.test\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <dsn-" + original_id.replace("@", ".") + "@mx.example.org>\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
        "\r\n"
        "--B\r\n"
        "Content-Type: text/plain\r\n\r\n"
        "I'm sorry to have to inform you that your message could not be delivered.\r\n"
        "--B\r\n"
        "Content-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.org\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\n"
        f"Action: {action}\r\n"
        f"Status: {status}\r\n"
        + (f"Diagnostic-Code: {diagnostic}\r\n" if diagnostic else "")
        + "\r\n--B\r\n"
        "Content-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: <{original_id}>\r\n"
        "Subject: Re: Geen opvangplaats\r\n"
        "\r\n--B--\r\n"
    ).encode()
