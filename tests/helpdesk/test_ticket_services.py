from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from helpdesk import signals
from helpdesk.models import Channel, EventKind, Outcome, Status, Ticket, Topic
from helpdesk.services import clock
from helpdesk.services.tickets import (
    message_receive,
    ticket_add_note,
    ticket_assign,
    ticket_change_status,
    ticket_classify,
    ticket_close,
    ticket_create,
    ticket_merge,
    ticket_move,
    ticket_reopen,
    ticket_reply,
    ticket_reset_access_token,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=BRUSSELS)


def test_it_gives_each_ticket_a_yearly_reference_per_queue(infolijn, legal_queue):
    with clock.travel_to(at(2025, 12, 31, 23, 59)):
        last_of_2025 = ticket_create(queue=infolijn, channel=Channel.PHONE, body="a")
    with clock.travel_to(at(2026, 1, 1, 0, 1)):
        first = ticket_create(queue=infolijn, channel=Channel.PHONE, body="b")
        second = ticket_create(queue=infolijn, channel=Channel.PHONE, body="c")
        legal = ticket_create(queue=legal_queue, channel=Channel.EMAIL, body="d")
    assert last_of_2025.reference == "IL-2025-000001"
    assert (first.reference, second.reference) == ("IL-2026-000001", "IL-2026-000002")
    assert legal.reference == "JH-2026-000001"


def test_it_records_the_question_as_the_first_message_and_an_event(ticket, amina):
    message = ticket.messages.get()
    assert message.direction == "in"
    assert message.sender == amina
    assert ticket.status == Status.NEW
    assert ticket.language_id == "ar"  # the contact's preferred language
    assert [e.kind for e in ticket.events.all()] == [EventKind.CREATED]
    assert len(ticket.access_token) >= 40


def test_it_announces_a_new_ticket_only_after_commit(infolijn, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, ticket_id, **kwargs):
        received.append(ticket_id)

    signals.ticket_created.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            ticket = ticket_create(queue=infolijn, channel=Channel.SMS, body="Hello")
        assert received == []
        for callback in callbacks:
            callback()
        assert received == [ticket.pk]
    finally:
        signals.ticket_created.disconnect(receiver)


def test_it_takes_a_subject_from_the_first_line_when_none_is_given(infolijn):
    ticket = ticket_create(
        queue=infolijn, channel=Channel.SMS, body="\n\n  Where do I register?\nThanks"
    )
    assert ticket.subject == "Where do I register?"


def test_it_refuses_a_retired_topic_for_a_new_ticket(infolijn):
    retired = Topic.objects.get(code="statelessness")
    retired.retire()
    with pytest.raises(ValidationError):
        ticket_create(queue=infolijn, channel=Channel.PHONE, body="x", topics=[retired])


def test_it_refuses_staff_creating_tickets_in_a_queue_they_are_not_in(infolijn, otto):
    with pytest.raises(ValidationError):
        ticket_create(queue=infolijn, channel=Channel.PHONE, body="x", actor=otto)


def test_a_reply_sets_the_first_response_once_and_assigns_the_author(ticket, ines):
    with clock.travel_to(at(2026, 3, 2, 10, 0)):
        ticket_reply(ticket=ticket, author=ines, body="You can go to the Petit-Château.")
    with clock.travel_to(at(2026, 3, 3, 10, 0)):
        ticket_reply(ticket=ticket, author=ines, body="And one more thing.", status=Status.WAITING)
    ticket.refresh_from_db()
    assert ticket.first_response_at == at(2026, 3, 2, 10, 0)
    assert ticket.assignee == ines
    assert ticket.status == Status.WAITING
    assert ticket.answered_at == at(2026, 3, 2, 10, 0)


def test_a_reply_without_a_channel_is_recorded_not_sent(ticket, ines):
    message = ticket_reply(ticket=ticket, author=ines, body="Told her by phone.")
    assert message.status == "recorded"


def test_a_reply_through_a_channel_that_cannot_reach_the_requester_is_refused(ticket, ines):
    with pytest.raises(ValidationError):
        ticket_reply(ticket=ticket, author=ines, body="Hi", channel="carrier-pigeon")


def test_staff_of_another_queue_cannot_reply(ticket, otto):
    with pytest.raises(PermissionDenied):
        ticket_reply(ticket=ticket, author=otto, body="Not my ticket")
    with pytest.raises(PermissionDenied):
        ticket_add_note(ticket=ticket, author=otto, body="Not my ticket")


def test_a_ticket_cannot_be_closed_without_an_outcome(ticket, ines, outcome):
    with pytest.raises(ValidationError):
        ticket_change_status(ticket=ticket, actor=ines, status=Status.CLOSED)
    ticket_close(ticket=ticket, actor=ines, outcome=outcome)
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    assert ticket.outcome == outcome


def test_reopening_counts_and_the_resolution_runs_to_the_final_close(ticket, ines, outcome):
    with clock.travel_to(at(2026, 3, 1, 9, 0)):
        ticket_reply(ticket=ticket, author=ines, body="Answer")
    with clock.travel_to(at(2026, 3, 1, 10, 0)):
        ticket_close(ticket=ticket, actor=ines, outcome=outcome)
    with clock.travel_to(at(2026, 3, 5, 10, 0)):
        message_receive(
            ticket=ticket, channel=Channel.EMAIL, body="One more question", sender=ticket.contact
        )
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.closed_at is None
    assert ticket.reopen_count == 1
    assert ticket.reopened_at == at(2026, 3, 5, 10, 0)
    with clock.travel_to(at(2026, 3, 6, 10, 0)):
        ticket_reply(ticket=ticket, author=ines, body="Second answer", status=Status.CLOSED)
    with clock.travel_to(at(2026, 3, 9, 10, 0)):
        ticket_reopen(ticket=ticket, actor=ines)
        ticket_close(ticket=ticket, actor=ines)
    ticket.refresh_from_db()
    assert ticket.first_response_at == at(2026, 3, 1, 9, 0)
    assert ticket.closed_at == at(2026, 3, 9, 10, 0)
    assert ticket.reopen_count == 2


def test_an_answer_from_the_requester_puts_a_waiting_ticket_back_to_open(ticket, ines):
    ticket_reply(ticket=ticket, author=ines, body="Which city are you in?", status=Status.WAITING)
    message_receive(ticket=ticket, channel=Channel.EMAIL, body="Brussels", sender=ticket.contact)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.reopen_count == 0


def test_a_message_from_someone_else_makes_them_a_participant(ticket, ines):
    from helpdesk.services.contacts import contact_find_or_create

    lawyer = contact_find_or_create(email="lawyer@example.org")
    message_receive(ticket=ticket, channel=Channel.EMAIL, body="I am her lawyer", sender=lawyer)
    assert list(ticket.participants.all()) == [lawyer]


def test_assigning_needs_a_member_of_the_queue(ticket, ines, youssef, otto):
    ticket_assign(ticket=ticket, actor=ines, assignee=youssef)
    ticket.refresh_from_db()
    assert ticket.assignee == youssef
    assert ticket.status == Status.OPEN
    with pytest.raises(ValidationError):
        ticket_assign(ticket=ticket, actor=ines, assignee=otto)


def test_classifying_records_an_event_per_changed_field(ticket, ines, social_worker):
    dublin = Topic.objects.get(code="dublin")
    ticket_classify(
        ticket=ticket, actor=ines, topics=[dublin], requester_type=social_worker, priority=3
    )
    kinds = list(
        ticket.events.filter(kind=EventKind.CLASSIFIED).values_list("data__field", flat=True)
    )
    assert sorted(kinds) == ["priority", "requester_type", "topics"]
    ticket.refresh_from_db()
    assert list(ticket.topics.all()) == [dublin]


def test_a_retired_entry_stays_on_a_ticket_that_has_it(ticket, ines, topic):
    topic.retire()
    ticket_classify(ticket=ticket, actor=ines, topics=[topic], priority=3)
    assert list(ticket.topics.all()) == [topic]


def test_a_referral_outcome_needs_the_organisation(ticket, ines):
    referred = Outcome.objects.get(code="referred")
    with pytest.raises(ValidationError):
        ticket_classify(ticket=ticket, actor=ines, outcome=referred)


def test_moving_to_another_queue_unassigns_someone_who_is_not_there(ticket, ines, legal_queue):
    ticket_assign(ticket=ticket, actor=ines, assignee=ines)
    ticket_move(ticket=ticket, actor=ines, queue=legal_queue)
    ticket.refresh_from_db()
    assert ticket.queue == legal_queue
    assert ticket.assignee is None


def test_merging_moves_the_conversation_and_closes_the_duplicate(ticket, ines, infolijn, amina):
    with clock.travel_to(at(2026, 2, 1, 9, 0)):
        duplicate = ticket_create(
            queue=infolijn, channel=Channel.PHONE, body="Same question by phone"
        )
        ticket_reply(ticket=duplicate, author=ines, body="Answered by phone")
    merged = ticket_merge(source=duplicate, target=ticket, actor=ines)
    duplicate.refresh_from_db()
    assert merged.messages.count() == 3
    assert duplicate.merged_into == ticket
    assert duplicate.status == Status.CLOSED
    assert merged.first_response_at == at(2026, 2, 1, 9, 0)
    assert ticket.events.filter(kind=EventKind.MERGED_FROM).exists()
    with pytest.raises(ValidationError):
        ticket_merge(source=duplicate, target=ticket, actor=ines)
    with pytest.raises(ValidationError):
        ticket_merge(source=ticket, target=ticket, actor=ines)


def test_a_merged_ticket_cannot_be_reopened(ticket, ines, infolijn):
    duplicate = ticket_create(queue=infolijn, channel=Channel.PHONE, body="Dup")
    ticket_merge(source=duplicate, target=ticket, actor=ines)
    duplicate.refresh_from_db()
    with pytest.raises(ValidationError):
        ticket_change_status(ticket=duplicate, actor=ines, status=Status.OPEN)


def test_merging_across_queues_needs_access_to_both(ticket, otto, education):
    other = ticket_create(queue=education, channel=Channel.EMAIL, body="School question")
    with pytest.raises(PermissionDenied):
        ticket_merge(source=other, target=ticket, actor=otto)


def test_resetting_the_private_link_invalidates_the_old_one(ticket, ines):
    old = ticket.access_token
    ticket_reset_access_token(ticket=ticket, actor=ines)
    assert not Ticket.objects.filter(access_token=old).exists()
    assert ticket.events.filter(kind=EventKind.TOKEN_REVOKED).exists()


def test_the_clock_moves_only_inside_travel_to():
    moment = at(2020, 1, 1, 12, 0)
    with clock.travel_to(moment):
        assert clock.now() == moment
    assert clock.now() - moment > timedelta(days=365)
