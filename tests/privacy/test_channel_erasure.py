"""The channels' own records lose their personal data with the ticket, or with the person."""

import pytest
from django.core.files.base import ContentFile

from helpdesk.channels.email.inbound import inbound_store
from helpdesk.channels.email.models import InboundEmail, Origin
from helpdesk.channels.twilio.models import (
    Call,
    CallDirection,
    CallState,
    Recording,
    RecordingKind,
    RecordingStatus,
)
from helpdesk.models import Channel, Ticket
from helpdesk.privacy.services.pseudonymise import contact_pseudonymise, ticket_pseudonymise
from helpdesk.services.contacts import contact_find_or_create
from helpdesk.services.tickets import ticket_create
from tests.channels.email.conftest import make_mail

pytestmark = pytest.mark.django_db

CALLER = "+32470123456"


def test_pseudonymising_a_ticket_empties_its_raw_email(
    infolijn, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        inbound, _new = inbound_store(
            make_mail(sender="Amina <amina@example.org>", subject="Mijn broer in detentie"),
            origin=Origin.IMPORT,
            queue=infolijn,
        )
    inbound.refresh_from_db()
    assert inbound.ticket is not None
    assert inbound.from_address == "amina@example.org"

    with django_capture_on_commit_callbacks(execute=True):
        counts = ticket_pseudonymise(ticket_id=inbound.ticket_id)

    inbound.refresh_from_db()
    assert counts["email.messages"] >= 1
    assert bytes(inbound.raw) == b""
    assert (inbound.subject, inbound.from_address) == ("", "")
    assert inbound.raw_purged_at is not None
    assert inbound.dedupe_key  # a re-import of the same archive still doubles nothing
    again, new = inbound_store(
        make_mail(sender="Amina <amina@example.org>", message_id=inbound.msgid),
        origin=Origin.IMPORT,
        queue=infolijn,
    )
    assert (again.pk, new) == (inbound.pk, False)


def test_erasing_a_person_reaches_mail_that_made_no_ticket(infolijn):
    inbound, _new = inbound_store(
        make_mail(sender="amina@example.org"), origin=Origin.IMPORT, queue=infolijn, enqueue=False
    )
    InboundEmail.objects.filter(pk=inbound.pk).update(from_address="amina@example.org")
    amina = contact_find_or_create(name="Amina", email="amina@example.org")

    contact_pseudonymise(contact_id=amina.pk, force=True)

    inbound.refresh_from_db()
    assert bytes(inbound.raw) == b""
    assert inbound.from_address == ""


@pytest.fixture
def voicemail(infolijn):
    caller = contact_find_or_create(phone=CALLER)
    ticket = ticket_create(
        queue=infolijn, channel=Channel.VOICEMAIL, body="Voicemail", contact=caller
    )
    call = Call.objects.create(
        queue=infolijn,
        ticket=ticket,
        direction=CallDirection.INBOUND,
        state=CallState.ENDED,
        from_number=CALLER,
        to_number="+3225550100",
    )
    recording = Recording.objects.create(
        call=call,
        message=ticket.messages.first(),
        recording_sid="RE" + "1" * 32,
        kind=RecordingKind.VOICEMAIL,
        twilio_url="https://api.twilio.com/recording",
        status=RecordingStatus.STORED,
        transcription="My brother is detained",
    )
    recording.file.save("recording.mp3", ContentFile(b"ID3 voice"), save=True)
    return ticket, call, recording


def test_pseudonymising_a_voicemail_deletes_the_recording_and_the_number(
    voicemail, django_capture_on_commit_callbacks
):
    ticket, call, recording = voicemail
    storage, name = recording.file.storage, recording.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        ticket_pseudonymise(ticket_id=ticket.pk)

    call.refresh_from_db()
    assert (call.from_number, call.to_number) == ("", "")
    assert call.numbers_removed_at is not None
    assert not Recording.objects.filter(pk=recording.pk).exists()
    assert not storage.exists(name)
    assert Ticket.objects.get(pk=ticket.pk).pseudonymised_at is not None
    assert (call.state, call.direction) == (
        CallState.ENDED,
        CallDirection.INBOUND,
    )  # what is counted stays


def test_erasing_a_caller_removes_their_number_from_calls_without_a_ticket(infolijn):
    call = Call.objects.create(
        queue=infolijn, direction=CallDirection.INBOUND, state=CallState.ENDED, from_number=CALLER
    )
    caller = contact_find_or_create(phone=CALLER)

    contact_pseudonymise(contact_id=caller.pk, force=True)

    call.refresh_from_db()
    assert call.from_number == ""
