"""Answers and acknowledgements reach the requester through a real SMTP server (aiosmtpd), once,
with the headers that make them thread; failures show on the ticket and can be retried."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.tasks import default_task_backend
from django.urls import reverse
from django.utils import timezone, translation

from helpdesk.channels.email.inbound import inbound_store
from helpdesk.channels.email.models import Origin, OutboundEmail, OutboundKind, OutboundState
from helpdesk.channels.email.outbound import outbound_send
from helpdesk.channels.email.tasks import send_email
from helpdesk.models import DeliveryStatus, Language, Status
from helpdesk.selectors.links import private_link
from helpdesk.services.delivery import message_retry_delivery
from helpdesk.services.tickets import ticket_reply

from .conftest import make_mail

# The channel's promises are about commits (store, commit, then move; tasks run on commit).
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_transactional_db"),
]


@pytest.fixture
def email_ticket(infolijn, smtp):
    inbound, _ = inbound_store(
        make_mail(message_id="<question-1@example.org>"), origin=Origin.IMAP, queue=infolijn
    )
    inbound.refresh_from_db()
    smtp.envelopes.clear()  # the acknowledgement
    return inbound.ticket


def test_a_staff_answer_reaches_the_requester_with_threading_headers(email_ticket, ines, smtp):
    answer = ticket_reply(
        ticket=email_ticket, author=ines, body="Ga naar het Klein Kasteeltje.", channel="email"
    )
    [envelope] = smtp.envelopes
    assert envelope.rcpt_tos == ["amina@example.org"]
    [sent] = smtp.messages()
    outbound = OutboundEmail.objects.get(message=answer)
    assert sent["Message-ID"] == f"<{outbound.msgid}>"
    assert sent["In-Reply-To"] == "<question-1@example.org>"
    assert "<question-1@example.org>" in sent["References"]
    assert f"[{email_ticket.reference}]" in sent["Subject"]
    assert sent["Subject"].startswith("Re: Geen opvangplaats")
    assert "Klein Kasteeltje" in sent.get_body(("plain",)).get_content()
    assert private_link(email_ticket) in sent.get_body(("plain",)).get_content()
    assert sent.get_body(("html",)) is not None
    answer.refresh_from_db()
    assert answer.status == DeliveryStatus.SENT
    assert answer.external_id == outbound.msgid
    assert answer.sent_at is not None


def test_a_reply_to_the_answer_threads_back(email_ticket, ines, smtp, infolijn):
    ticket_reply(ticket=email_ticket, author=ines, body="Antwoord.", channel="email")
    [sent] = smtp.messages()
    reply = make_mail(
        body="Dank u!", in_reply_to=sent["Message-ID"], subject=f"Re: {sent['Subject']}"
    )
    inbound, _ = inbound_store(reply, origin=Origin.IMAP, queue=infolijn)
    inbound.refresh_from_db()
    assert inbound.ticket == email_ticket


def test_sending_twice_sends_once(email_ticket, ines, smtp):
    answer = ticket_reply(ticket=email_ticket, author=ines, body="Antwoord.", channel="email")
    outbound = OutboundEmail.objects.get(message=answer)
    send_email.call(outbound.pk)  # a retried or duplicated task
    outbound_send(outbound.pk)
    assert len(smtp.envelopes) == 1


def test_a_send_interrupted_mid_way_is_not_repeated_but_shown_for_a_person(
    email_ticket, ines, smtp
):
    answer = ticket_reply(ticket=email_ticket, author=ines, body="Antwoord.", channel="email")
    outbound = OutboundEmail.objects.get(message=answer)
    # As a worker that died after talking to the server, before writing down that it did.
    OutboundEmail.objects.filter(pk=outbound.pk).update(
        state=OutboundState.SENDING, claimed_at=timezone.now() - timedelta(hours=1)
    )
    smtp.envelopes.clear()
    with translation.override("en"):  # what staff read, in the active language
        send_email.call(outbound.pk)
    assert smtp.envelopes == []
    answer.refresh_from_db()
    assert answer.status == DeliveryStatus.FAILED
    assert "may or may not have gone out" in answer.status_detail


def test_a_refused_address_fails_with_the_reason_on_the_ticket_page(
    client, email_ticket, ines, smtp
):
    smtp.refuse = "550 5.1.1 <amina@example.org>: Recipient address rejected: User unknown"
    answer = ticket_reply(ticket=email_ticket, author=ines, body="Antwoord.", channel="email")
    answer.refresh_from_db()
    assert answer.status == DeliveryStatus.FAILED
    assert "User unknown" in answer.status_detail
    client.force_login(ines)
    page = client.get(reverse("helpdesk:ticket", args=[email_ticket.reference])).content.decode()
    assert "User unknown" in page
    assert reverse("helpdesk:message_retry", args=[email_ticket.reference, answer.pk]) in page
    assert "Delivery failed" in page


def test_retry_delivery_sends_the_same_mail_again(client, email_ticket, ines, smtp):
    smtp.refuse = "450 4.2.0 Mailbox busy"
    answer = ticket_reply(ticket=email_ticket, author=ines, body="Antwoord.", channel="email")
    answer.refresh_from_db()
    assert answer.status == DeliveryStatus.FAILED  # the immediate backend cannot defer a retry
    smtp.refuse = None
    client.force_login(ines)
    response = client.post(
        reverse("helpdesk:message_retry", args=[email_ticket.reference, answer.pk])
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.status == DeliveryStatus.SENT
    [sent] = smtp.messages()
    assert sent["Message-ID"] == f"<{OutboundEmail.objects.get(message=answer).msgid}>"
    assert (
        "Delivery tried again"
        in client.get(reverse("helpdesk:ticket", args=[email_ticket.reference])).content.decode()
    )


def test_a_transient_failure_is_retried_later_by_a_backend_that_can_wait(
    email_ticket, ines, smtp, settings
):
    smtp.refuse = "451 4.3.0 Try again later"
    answer = ticket_reply(ticket=email_ticket, author=ines, body="Antwoord.", channel="email")
    outbound = OutboundEmail.objects.get(message=answer)
    OutboundEmail.objects.filter(pk=outbound.pk).update(state=OutboundState.PENDING)
    answer.status = DeliveryStatus.PENDING
    answer.save()
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.dummy.DummyBackend",
            "QUEUES": ["default", "mail"],
        }
    }
    with translation.override("en"):
        send_email.call(outbound.pk)
    outbound.refresh_from_db()
    answer.refresh_from_db()
    assert outbound.state == OutboundState.PENDING
    assert answer.status == DeliveryStatus.PENDING
    assert "trying again" in answer.status_detail
    [queued] = default_task_backend.results
    assert queued.args == [outbound.pk]
    assert queued.kwargs == {"attempt": 2}
    assert queued.task.run_after > timezone.now()
    assert len(smtp.envelopes) == 0


def test_a_new_email_ticket_is_acknowledged_in_the_requesters_language(infolijn, smtp):
    body = "مرحبا، ليس لدي مكان في مركز الاستقبال. أين يمكنني أن أنام الليلة؟ شكرا جزيلا لكم."
    inbound, _ = inbound_store(
        make_mail(sender="omar@example.org", subject="سؤال", body=body),
        origin=Origin.IMAP,
        queue=infolijn,
    )
    inbound.refresh_from_db()
    ticket = inbound.ticket
    [sent] = smtp.messages()
    assert sent["To"] == "omar@example.org"
    assert sent["Auto-Submitted"] == "auto-replied"
    assert sent["Content-Language"] == "ar"
    assert ticket.reference in sent["Subject"]
    html = sent.get_body(("html",)).get_content()
    assert 'dir="rtl"' in html
    assert private_link(ticket) in sent.get_body(("plain",)).get_content()
    assert OutboundEmail.objects.get(ticket=ticket).kind == OutboundKind.ACKNOWLEDGEMENT
    assert ticket.events.get(kind="delivery").data["status"] == "sent"


def test_the_acknowledgement_uses_the_contacts_language_when_the_text_says_too_little(
    infolijn, smtp
):
    from helpdesk.services.contacts import contact_find_or_create

    contact_find_or_create(
        email="marie@example.org", preferred_language=Language.objects.get(code="fr")
    )
    inbound_store(
        make_mail(sender="marie@example.org", subject="?", body="Help"),
        origin=Origin.IMAP,
        queue=infolijn,
    )
    [sent] = smtp.messages()
    assert sent["Content-Language"] == "fr"


def test_dari_speakers_get_the_persian_site_language(infolijn, smtp):
    from helpdesk.services.contacts import contact_find_or_create

    contact_find_or_create(
        email="dari@example.org", preferred_language=Language.objects.get(code="prs")
    )
    inbound_store(
        make_mail(sender="dari@example.org", subject="?", body="Hi"),
        origin=Origin.IMAP,
        queue=infolijn,
    )
    [sent] = smtp.messages()
    assert sent["Content-Language"] == "fa"


def test_acknowledgements_are_rate_limited_per_sender(infolijn, smtp, settings):
    settings.EMAIL_ACK_LIMIT = 2
    for n in range(4):
        inbound_store(
            make_mail(subject=f"Vraag {n}", body=f"Vraag nummer {n}"),
            origin=Origin.IMAP,
            queue=infolijn,
        )
    assert len(smtp.envelopes) == 2
    assert OutboundEmail.objects.filter(kind=OutboundKind.ACKNOWLEDGEMENT).count() == 2
    from helpdesk.models import TicketEvent

    skipped = TicketEvent.objects.filter(kind="delivery", data__status="skipped")
    assert skipped.count() == 2


def test_imported_archives_are_not_acknowledged(infolijn, smtp):
    from helpdesk.channels.email.inbound import inbound_process

    inbound, _ = inbound_store(make_mail(), origin=Origin.IMPORT, queue=infolijn, enqueue=False)
    inbound_process(inbound.pk)
    assert smtp.envelopes == []


def test_a_missing_mail_template_is_a_visible_failure_not_silence(
    infolijn, smtp, settings, tmp_path
):
    (tmp_path / "emails" / "acknowledgement").mkdir(parents=True)
    (tmp_path / "emails" / "acknowledgement" / "subject.txt").write_text("Only a subject")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path], "APP_DIRS": False}]
    inbound, _ = inbound_store(make_mail(), origin=Origin.IMAP, queue=infolijn)
    inbound.refresh_from_db()
    assert smtp.envelopes == []
    ack = OutboundEmail.objects.get(kind=OutboundKind.ACKNOWLEDGEMENT)
    assert ack.state == OutboundState.FAILED
    assert "emails/acknowledgement/body.txt" in ack.error
    event = inbound.ticket.events.get(kind="delivery")
    assert event.data["status"] == "failed"


def test_no_address_no_email_channel(ticket):
    from helpdesk.channels.registry import outbound_channel

    channel = outbound_channel("email")
    assert channel.can_reach(ticket)
    ticket.contact.email = ""
    ticket.contact.save()
    ticket.refresh_from_db()
    assert not channel.can_reach(ticket)


def test_only_a_failed_answer_can_be_retried(email_ticket, ines, otto, smtp):
    from django.core.exceptions import PermissionDenied, ValidationError

    answer = ticket_reply(ticket=email_ticket, author=ines, body="Antwoord.", channel="email")
    with pytest.raises(ValidationError):
        message_retry_delivery(message=answer, actor=ines)
    answer.status = DeliveryStatus.FAILED
    answer.save()
    with pytest.raises(PermissionDenied):
        message_retry_delivery(message=answer, actor=otto)


def test_smtp_errors_are_told_apart():
    from helpdesk.channels.email.outbound import _classify

    permanent, _reason = _classify(smtplib.SMTPRecipientsRefused({"a@b": (550, b"no")}))
    assert permanent
    permanent, _reason = _classify(smtplib.SMTPResponseException(421, b"busy"))
    assert not permanent
    permanent, _reason = _classify(ConnectionRefusedError(111, "refused"))
    assert not permanent
    assert django_mail is not None
    assert Status is not None
