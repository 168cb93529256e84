"""ticket_for and can_view_ticket: who may open a ticket, and what the ticket page may skip.

ticket_for reads a member's ticket through their queues in the ticket's own query, and marks it;
can_view_ticket trusts that mark only for the same person and the queue it was read in.
"""

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from helpdesk.models import Queue, User
from helpdesk.selectors.access import can_view_ticket, queue_ids_for, ticket_for

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The person as a new request sees them: nothing read yet."""
    return User.objects.get(pk=user.pk)


def _membership_queries(queries):
    return [
        q["sql"] for q in queries if 'FROM "helpdesk_queue_members"' in q["sql"].split("WHERE")[0]
    ]


def test_a_member_opens_their_queues_ticket_without_reading_their_queues_apart(ines, ticket):
    ines = _fresh(ines)
    ines.has_perm("helpdesk.view_ticket")  # the decorator's check, before the page
    with CaptureQueriesContext(connection) as queries:
        found = ticket_for(ines, ticket.reference)
        assert can_view_ticket(ines, found)
    assert found == ticket
    assert len(queries) == 1  # the membership is a subquery of the ticket's query
    assert _membership_queries(queries) == []


def test_staff_of_another_queue_get_a_404(otto, ticket):
    with pytest.raises(Http404):
        ticket_for(_fresh(otto), ticket.reference)


def test_someone_without_the_ticket_permission_gets_a_404_even_in_the_queue(vera, ticket):
    vera.queues.add(ticket.queue)
    with pytest.raises(Http404):
        ticket_for(_fresh(vera), ticket.reference)


def test_a_superuser_opens_any_ticket(adam, ticket):
    assert ticket_for(_fresh(adam), ticket.reference) == ticket


def test_the_mark_does_not_carry_over_to_another_person(ines, otto, ticket):
    found = ticket_for(_fresh(ines), ticket.reference)
    assert can_view_ticket(ines, found)
    assert not can_view_ticket(_fresh(otto), found)


def test_the_mark_does_not_carry_over_to_another_queue(ines, ticket, education):
    found = ticket_for(_fresh(ines), ticket.reference)
    found.queue = education  # moved after it was read: the queue decides again
    assert not can_view_ticket(ines, found)
    found.queue = ticket.queue
    assert can_view_ticket(ines, found)


def test_queues_read_earlier_in_the_request_are_used_as_they_are(ines, ticket):
    ines = _fresh(ines)
    assert queue_ids_for(ines) == {ticket.queue_id}
    with CaptureQueriesContext(connection) as queries:
        assert ticket_for(ines, ticket.reference) == ticket
    assert _membership_queries(queries) == []
    assert "IN (SELECT" not in queries[0]["sql"]


def test_a_member_removed_from_the_queue_cannot_open_it_in_the_next_request(ines, ticket):
    assert ticket_for(_fresh(ines), ticket.reference) == ticket
    Queue.objects.get(pk=ticket.queue_id).members.remove(ines)
    with pytest.raises(Http404):
        ticket_for(_fresh(ines), ticket.reference)
