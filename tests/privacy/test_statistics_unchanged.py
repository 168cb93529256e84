"""Pseudonymisation removes every personal detail and leaves every statistic as it was."""

import pytest
from django.utils import timezone

from helpdesk.models import Contact, Ticket
from helpdesk.privacy.services.retention import apply_retention

from .generate import generate
from .scan import found, stored_text
from .snapshots import SNAPSHOTS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_statistic_is_identical_before_and_after_pseudonymisation(adam, seed):
    _planted, closed, _left_open = generate(adam, seed=seed)
    before = [snapshot() for snapshot in SNAPSHOTS]

    report = apply_retention(now=timezone.now())

    assert report.tickets == len(closed)
    after = [snapshot() for snapshot in SNAPSHOTS]
    for snapshot, old, new in zip(SNAPSHOTS, before, after, strict=True):
        assert new == old, f"{snapshot.__name__} changed"


@pytest.mark.parametrize("seed", [4, 5])
def test_no_personal_detail_of_a_pseudonymised_ticket_is_left_anywhere(
    adam, seed, django_capture_on_commit_callbacks
):
    planted, closed, left_open = generate(adam, seed=seed)
    everything = stored_text()
    assert found(planted["GONE"], everything) == planted["GONE"]  # the scan sees them first

    with django_capture_on_commit_callbacks(execute=True):  # files go when the deletion commits
        apply_retention(now=timezone.now())

    everything = stored_text()
    assert found(planted["GONE"], everything) == []
    assert found(planted["KEEP"], everything) == planted["KEEP"]  # open tickets keep theirs
    assert not Ticket.objects.filter(pk__in=[t.pk for t in closed], pseudonymised_at=None)
    assert not Ticket.objects.filter(pk__in=[t.pk for t in left_open]).exclude(
        pseudonymised_at=None
    )
    for ticket in Ticket.objects.filter(pk__in=[t.pk for t in closed]):
        assert ticket.access_token is None
        assert ticket.contact_id is None
        assert not ticket.participants.exists()
    gone = Contact.objects.exclude(tickets__in=left_open).exclude(pseudonymised_at=None)
    assert gone.count() == Contact.objects.count() - len(left_open)


def test_the_comparison_catches_a_code_lost_by_mistake(adam, monkeypatch):
    """The proof above can fail: a pseudonymisation that also dropped the language is caught."""
    from helpdesk.privacy.services import pseudonymise

    generate(adam, seed=6, closed=6, left_open=0)
    before = [snapshot() for snapshot in SNAPSHOTS]
    real = pseudonymise.ticket_pseudonymise

    def careless(*, ticket_id, **kwargs):
        Ticket.objects.filter(pk=ticket_id).update(language=None)
        return real(ticket_id=ticket_id, **kwargs)

    monkeypatch.setattr("helpdesk.privacy.services.retention.ticket_pseudonymise", careless)
    apply_retention(now=timezone.now())
    after = [snapshot() for snapshot in SNAPSHOTS]
    assert after[0] != before[0]
    assert after[3] != before[3]
