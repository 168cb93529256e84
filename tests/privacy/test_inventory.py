"""The inventory of personal data covers every column, so no new field escapes retention."""

from django.apps import apps
from django.db import models

from helpdesk.models import Attachment, Contact, Message, Ticket, TicketEvent
from helpdesk.privacy import inventory, registry

CORE = {
    Ticket: inventory.TICKET_KEPT | inventory.TICKET_REMOVED,
    Message: inventory.MESSAGE_KEPT | inventory.MESSAGE_REMOVED,
    Attachment: inventory.ATTACHMENT_REMOVED,
    Contact: inventory.CONTACT_KEPT | inventory.CONTACT_REMOVED,
    TicketEvent: inventory.EVENT_KEPT | inventory.EVENT_SCRUBBED,
}
PERSONAL = {Ticket, Message, Attachment, Contact}


def forward_fields(model):
    return {
        field.name
        for field in model._meta.get_fields()
        if not field.auto_created or field.concrete
        if not (field.is_relation and field.auto_created and not field.concrete)
    }


def test_every_column_of_the_core_models_is_declared_kept_or_removed():
    for model, declared in CORE.items():
        undeclared = forward_fields(model) - declared
        assert not undeclared, (
            f"{model.__name__}.{', '.join(sorted(undeclared))}: say in "
            "helpdesk/privacy/inventory.py whether retention keeps or removes it"
        )
        assert not (declared - forward_fields(model)), f"{model.__name__}: stale inventory entry"


def test_kept_and_removed_never_overlap():
    assert not inventory.TICKET_KEPT & inventory.TICKET_REMOVED
    assert not inventory.MESSAGE_KEPT & inventory.MESSAGE_REMOVED
    assert not inventory.CONTACT_KEPT & inventory.CONTACT_REMOVED


def test_every_model_pointing_at_personal_data_says_how_it_is_erased():
    """A channel model holding a raw email or a caller's number must name its eraser."""
    privacy_models = set(apps.get_app_config("privacy").get_models())
    for model in apps.get_models():
        if model in CORE or model in privacy_models or model._meta.app_label == "helpdesk":
            continue
        points_at = [
            field.name
            for field in model._meta.get_fields()
            if isinstance(field, models.ForeignKey | models.OneToOneField | models.ManyToManyField)
            and field.related_model in PERSONAL
        ]
        if not points_at:
            continue
        label = model._meta.label_lower
        assert label in inventory.OTHER_HOLDERS, (
            f"{label} points at {points_at}: add it to OTHER_HOLDERS in "
            "helpdesk/privacy/inventory.py with the registry eraser that removes its data"
        )
        eraser = inventory.OTHER_HOLDERS[label]
        if eraser is not None:
            assert eraser in {e.name for e in registry.erasers()}, f"{eraser} is not registered"


def test_scrubbing_keeps_codes_and_drops_free_text():
    assert inventory.scrub_event_data("status", {"old": "new", "new": "open"}) == {
        "old": "new",
        "new": "open",
    }
    assert inventory.scrub_event_data(
        "classified", {"field": "subject", "old": "my story", "new": "x"}
    ) == {"field": "subject"}
    assert inventory.scrub_event_data("delivery", {"status": "failed", "detail": "a@b.c"}) == {
        "status": "failed"
    }
    assert inventory.scrub_event_data("something-new", {"text": "secret"}) == {}
