"""Helpers for the web form's tests: a form page served a minute ago, and a filled-in form."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from helpdesk.channels.webform import defences
from helpdesk.channels.webform.tokens import issue_form_token, read_thanks_token
from helpdesk.models import Language, Queue, RequesterType, Topic
from helpdesk.services.clock import travel_to


@pytest.fixture(autouse=True)
def _rate_limit_windows_hold(monkeypatch):
    # 100 s into an hour (and into a ten-minute window): a limit's window never ends mid-test.
    monkeypatch.setattr(defences, "_now", lambda: 1_800_000_100.0)


def served_token(ago=timedelta(minutes=1)):
    """The form token of a page served `ago` (by default long enough ago to pass the fill time)."""
    with travel_to(timezone.now() - ago):
        return issue_form_token()


def confirmed_ticket_id(response):
    """The ticket a redirect to the confirmation page names (its signed ?t=)."""
    query = parse_qs(urlsplit(response["Location"]).query)
    return read_thanks_token(query.get("t", [""])[0])


@pytest.fixture
def answers(db):
    """What a social worker fills in; tests change what they need."""

    def make(**changes):
        data = {
            "form_token": served_token().encode(),
            "requester_type": RequesterType.objects.get(code="social-worker").pk,
            "organisation": "CAW Brussel",
            "name": "Sofie",
            "email": "sofie@caw.example.org",
            "phone": "",
            "language": Language.objects.get(code="nl").pk,
            "queue": Queue.objects.get(slug="infolijn").pk,
            "topic": Topic.objects.get(code="reception").pk,
            "question": "A family of five arrived yesterday and Fedasil has no place for them. "
            "Where can they sleep tonight?",
            "consent": "on",
            "website_address": "",
        }
        data.update(changes)
        return {key: value for key, value in data.items() if value is not None}

    return make
