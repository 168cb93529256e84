import pytest
from django.contrib.auth.models import Group

from helpdesk import roles

pytestmark = pytest.mark.django_db


def test_the_migrations_create_every_role_with_its_permissions():
    groups = {
        g.name: {f"{p.content_type.app_label}.{p.codename}" for p in g.permissions.all()}
        for g in Group.objects.prefetch_related("permissions__content_type")
    }
    assert set(groups) >= {
        roles.INFO_LINE_STAFF,
        roles.LEGAL_SPECIALIST,
        roles.VOLUNTEER,
        roles.COORDINATOR,
        roles.ADMINISTRATOR,
    }
    assert "helpdesk.view_ticket" in groups[roles.INFO_LINE_STAFF]
    assert "helpdesk.view_ticket" in groups[roles.LEGAL_SPECIALIST]
    assert not any(p.startswith("helpdesk.") and "ticket" in p for p in groups[roles.VOLUNTEER])
    assert "helpdesk.view_statistics" in groups[roles.COORDINATOR]
    assert "helpdesk.view_ticket" not in groups[roles.COORDINATOR]
    assert "helpdesk.change_topic" in groups[roles.COORDINATOR]


def test_syncing_keeps_what_an_administrator_added(db):
    from django.contrib.auth.models import Permission

    group = Group.objects.get(name=roles.VOLUNTEER)
    extra = Permission.objects.get(codename="view_queue")
    group.permissions.add(extra)
    roles.sync_roles()
    assert group.permissions.filter(pk=extra.pk).exists()
