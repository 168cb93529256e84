"""Incoming SMS and WhatsApp: one ticket per conversation, media kept as attachments, Twilio's
retries harmless, nothing lost when something is not set up."""

from datetime import timedelta

import pytest

from helpdesk.channels.twilio.admin import process_again
from helpdesk.channels.twilio.models import InboundMessage, InboundStatus, PhoneNumber
from helpdesk.models import Attachment, Channel, Message, Status, Ticket
from helpdesk.services import clock
from helpdesk.services.tickets import ticket_change_status, ticket_classify, ticket_reply

from .conftest import ACCOUNT, CALLER, MONDAY_MORNING, OUR_NUMBER, sid, twiml

pytestmark = pytest.mark.django_db


def sms(body="Where do I register?", *, message_sid=None, from_=CALLER, to=OUR_NUMBER, media=()):
    message_sid = message_sid or sid("SM" if not media else "MM")
    params = {
        "MessageSid": message_sid,
        "AccountSid": ACCOUNT,
        "From": from_,
        "To": to,
        "Body": body,
        "NumMedia": str(len(media)),
    }
    for index, (content_type, media_sid) in enumerate(media):
        params[f"MediaUrl{index}"] = (
            f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages/{message_sid}/Media/{media_sid}"
        )
        params[f"MediaContentType{index}"] = content_type
    return params


def whatsapp(body="Salam", **kwargs):
    return sms(body, from_=f"whatsapp:{CALLER}", to=f"whatsapp:{OUR_NUMBER}", **kwargs)


def test_an_sms_opens_a_ticket_for_the_senders_number(twilio_post, number, monday_morning):
    root = twiml(twilio_post("messaging", sms()))
    assert len(root) == 0  # no automatic reply
    ticket = Ticket.objects.get()
    assert ticket.channel == Channel.SMS
    assert ticket.queue == number.queue
    assert ticket.contact.phone == CALLER
    message = ticket.messages.get()
    assert message.body == "Where do I register?"
    assert message.external_id.startswith("SM")
    inbound = InboundMessage.objects.get()
    assert inbound.status == InboundStatus.DONE
    assert inbound.message == message
    assert inbound.payload == {"to": OUR_NUMBER, "media_sids": []}  # no second copy of the text


def test_twilio_sending_the_same_message_twice_makes_one_message(
    twilio_post, number, monday_morning
):
    params = sms()
    twilio_post("messaging", params)
    assert twilio_post("messaging", params).status_code == 200
    assert Message.objects.count() == 1
    assert InboundMessage.objects.count() == 1


def test_a_second_message_joins_the_open_ticket_of_that_number(twilio_post, number, monday_morning):
    twilio_post("messaging", sms("First"))
    twilio_post("messaging", sms("Second"))
    ticket = Ticket.objects.get()
    assert [m.body for m in ticket.messages.all()] == ["First", "Second"]


def test_a_reply_to_our_answer_reopens_the_answered_ticket(
    twilio_post, number, ines, monday_morning
):
    twilio_post("messaging", sms("First"))
    ticket = Ticket.objects.get()
    ticket_reply(ticket=ticket, author=ines, body="Go to the Immigration Office.")
    twilio_post("messaging", sms("Thank you, and where is it?"))
    ticket.refresh_from_db()
    assert Ticket.objects.count() == 1
    assert ticket.status == Status.OPEN


def test_after_the_window_or_a_close_a_message_opens_a_new_ticket(
    twilio_post, number, ines, outcome, settings
):
    settings.TWILIO_MESSAGE_THREAD_DAYS = 14
    with clock.travel_to(MONDAY_MORNING):
        twilio_post("messaging", sms("March"))
    with clock.travel_to(MONDAY_MORNING + timedelta(days=15)):
        twilio_post("messaging", sms("Two weeks later"))
    assert Ticket.objects.count() == 2
    latest = Ticket.objects.order_by("-pk").first()
    ticket_classify(ticket=latest, actor=ines, outcome=outcome)
    ticket_change_status(ticket=latest, actor=ines, status=Status.CLOSED)
    with clock.travel_to(MONDAY_MORNING + timedelta(days=15, hours=1)):
        twilio_post("messaging", sms("One more question"))
    assert Ticket.objects.count() == 3


def test_whatsapp_media_become_attachments_and_are_deleted_at_twilio(
    twilio_post, number, monday_morning, twilio_http
):
    params = whatsapp(
        "My letter", media=[("image/jpeg", "ME" + "a" * 32), ("application/pdf", "ME" + "b" * 32)]
    )
    twilio_http.answer(
        "GET",
        "ME" + "b" * 32,
        200,
        body=b"%PDF-1.4 letter",
        headers={"Content-Type": "application/pdf"},
    )
    twilio_post("messaging", params)
    ticket = Ticket.objects.get()
    assert ticket.channel == Channel.WHATSAPP
    assert ticket.contact.phone == CALLER
    attachments = Attachment.objects.order_by("pk")
    assert [(a.filename, a.content_type) for a in attachments] == [
        ("whatsapp-1.jpg", "image/jpeg"),
        ("whatsapp-2.pdf", "application/pdf"),
    ]
    assert attachments[1].file.read() == b"%PDF-1.4 letter"
    downloads = twilio_http.made("GET", "ME" + "a" * 32)
    assert downloads[0].auth[0] == ACCOUNT
    deleted = [r.path for r in twilio_http.requests if r.method == "DELETE"]
    assert len(deleted) == 2
    assert all("/Media/ME" in path for path in deleted)


def test_a_file_we_do_not_accept_is_noted_and_the_message_kept(
    twilio_post, number, monday_morning, twilio_http, settings
):
    settings.ATTACHMENT_MAX_BYTES = 10
    twilio_post("messaging", whatsapp("Look", media=[("image/jpeg", "ME" + "c" * 32)]))
    message = Message.objects.get()
    assert message.body.startswith("Look\n\n[")
    assert "whatsapp-1.jpg" in message.body
    assert not Attachment.objects.exists()


def test_media_that_cannot_be_downloaded_are_noted_not_lost(
    twilio_post, number, monday_morning, twilio_http, settings
):
    settings.LANGUAGE_CODE = "en"  # notes on a ticket are in the organisation's language
    twilio_http.answer("GET", "ME" + "d" * 32, 500, {"message": "error"})
    twilio_post("messaging", whatsapp("Photo", media=[("image/jpeg", "ME" + "d" * 32)]))
    message = Message.objects.get()
    assert "could not be downloaded" in message.body
    assert message.body.startswith("Photo")


def test_a_message_to_a_number_we_do_not_know_is_kept_and_can_be_processed_later(
    twilio_post, number, monday_morning
):
    number.delete()
    twilio_post("messaging", sms("Anyone there?"))
    inbound = InboundMessage.objects.get()
    assert inbound.status == InboundStatus.FAILED
    assert OUR_NUMBER in inbound.error
    assert inbound.payload["body"] == "Anyone there?"  # nothing received is lost
    assert not Ticket.objects.exists()
    from helpdesk.models import Queue

    PhoneNumber.objects.create(number=OUR_NUMBER, queue=Queue.objects.get(slug="infolijn"))

    class Admin:
        def message_user(self, *args, **kwargs):
            pass

    process_again(Admin(), None, InboundMessage.objects.all())
    assert Ticket.objects.get().messages.get().body == "Anyone there?"


def test_an_sms_from_a_name_instead_of_a_number_says_who_sent_it(
    twilio_post, number, monday_morning, settings
):
    settings.LANGUAGE_CODE = "en"  # notes on a ticket are in the organisation's language
    twilio_post("messaging", sms("Your appointment", from_="Fedasil"))
    ticket = Ticket.objects.get()
    assert ticket.contact is None
    assert "Sent from Fedasil." in ticket.messages.get().body


def test_a_whatsapp_message_to_a_number_that_is_not_a_whatsapp_sender_is_not_taken(
    twilio_post, number, monday_morning
):
    number.handles_whatsapp = False
    number.save()
    twilio_post("messaging", whatsapp())
    assert InboundMessage.objects.get().status == InboundStatus.FAILED


def test_a_webhook_without_a_message_sid_is_a_bad_request(twilio_post, number):
    params = sms()
    del params["MessageSid"]
    assert twilio_post("messaging", params).status_code == 400


def test_what_could_not_be_put_on_a_ticket_is_forgotten_under_the_retention_rules(
    twilio_post, number, monday_morning
):
    from helpdesk.channels.twilio.services.messaging import inbound_messages_forget

    number.delete()
    twilio_post("messaging", sms("A question nobody saw"))
    assert inbound_messages_forget(before=MONDAY_MORNING) == 0
    assert inbound_messages_forget(before=MONDAY_MORNING + timedelta(days=1)) == 1
    assert InboundMessage.objects.get().payload == {}
