"""One form page sends one question, whichever web process each copy of the post reaches.

The claim is a unique row in the database (SentForm), not a cache entry: every gunicorn worker has
its own local-memory cache, so a cache claim let two processes each make a ticket. The burst test
(tests/deploy/test_burst.py) sends the twin posts to two real processes on PostgreSQL.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone

from helpdesk.channels.webform import services
from helpdesk.channels.webform.models import SentForm
from helpdesk.channels.webform.tasks import forget_sent_forms
from helpdesk.channels.webform.tokens import read_form_token
from helpdesk.models import Queue, Ticket, Topic

from .conftest import confirmed_ticket_id

pytestmark = pytest.mark.django_db

ASK = "/nl/ask/"


def test_a_page_sent_again_to_another_process_makes_no_second_ticket(client, answers):
    data = answers()
    first = client.post(ASK, data)
    cache.clear()  # another process: it has none of this one's cache
    second = client.post(ASK, data)
    assert Ticket.objects.count() == 1
    assert confirmed_ticket_id(second) == confirmed_ticket_id(first) == Ticket.objects.get().pk
    assert SentForm.objects.get().ticket == Ticket.objects.get()


def test_the_service_refuses_a_page_that_already_sent_its_question(answers):
    form_id = read_form_token(answers()["form_token"]).form_id
    queue = Queue.objects.get(slug="infolijn")
    ticket = services.question_submit(
        queue=queue, body="Where do I register?", sent_form_id=form_id
    )
    with pytest.raises(services.AlreadySent) as twin:
        services.question_submit(queue=queue, body="Where do I register?", sent_form_id=form_id)
    assert twin.value.ticket_id == ticket.pk
    assert Ticket.objects.count() == 1


def test_a_refused_attempt_leaves_no_claim_so_the_page_can_be_sent_again(answers):
    form_id = read_form_token(answers()["form_token"]).form_id
    queue = Queue.objects.get(slug="infolijn")
    dublin = Topic.objects.get(code="dublin")
    dublin.retire()  # retired while the page was open: ticket_create refuses it
    with pytest.raises(ValidationError):
        services.question_submit(queue=queue, body="Dublin?", topic=dublin, sent_form_id=form_id)
    assert not SentForm.objects.exists()
    ticket = services.question_submit(queue=queue, body="Dublin?", sent_form_id=form_id)
    assert SentForm.objects.get(form_id=form_id).ticket == ticket


def test_claims_are_forgotten_once_the_page_token_has_expired(client, answers, settings):
    settings.WEBFORM_FORM_MAX_AGE_HOURS = 24
    client.post(ASK, answers())
    client.post(ASK, answers())
    old = SentForm.objects.first()
    SentForm.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(hours=25))
    assert forget_sent_forms.call() == 1
    assert list(SentForm.objects.values_list("pk", flat=True)) != [old.pk]
    assert SentForm.objects.count() == 1
    assert Ticket.objects.count() == 2  # the tickets stay; only the claim goes
    assert forget_sent_forms.call() == 0  # idempotent
