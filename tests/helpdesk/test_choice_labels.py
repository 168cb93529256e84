"""get_FOO_display() from helpdesk.models.choices: the same text as Django's, faster."""

import pytest
from django.conf import settings
from django.db import models
from django.utils import translation

from helpdesk.models import (
    Channel,
    DeliveryStatus,
    Direction,
    EventKind,
    Message,
    Priority,
    Status,
    Ticket,
    TicketEvent,
)

CASES = [
    (Ticket, "status", Status),
    (Ticket, "channel", Channel),
    (Ticket, "priority", Priority),  # integer values
    (Message, "direction", Direction),
    (Message, "channel", Channel),
    (Message, "status", DeliveryStatus),
    (TicketEvent, "kind", EventKind),
]


@pytest.mark.parametrize(("model", "name", "choices"), CASES)
def test_it_shows_what_djangos_own_shows_in_every_language(model, name, choices):
    field = model._meta.get_field(name)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for value in [*choices.values, "not-a-choice", 99]:
                obj = model(**{field.attname: value})
                ours = getattr(obj, f"get_{name}_display")()
                assert ours == models.Model._get_FIELD_display(obj, field), (code, value)


def test_the_label_follows_the_language_active_when_it_is_shown():
    ticket = Ticket(status=Status.CLOSED)
    with translation.override("en"):
        assert ticket.get_status_display() == "Closed"
    with translation.override("nl"):
        assert ticket.get_status_display() == "Afgesloten"
    with translation.override("en"):  # the table keeps the lazy label, not the Dutch text
        assert ticket.get_status_display() == "Closed"
