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


def test_permissions_come_from_the_roles_and_the_person_in_one_query(
    ines, django_assert_num_queries
):
    """The login backend answers Django's own question in one statement: what a role grants,
    plus what an administrator gave the person directly, and nothing else."""
    from django.contrib.auth.backends import ModelBackend
    from django.contrib.auth.models import Permission

    from helpdesk.models import User

    ines.user_permissions.add(Permission.objects.get(codename="view_queue"))
    fresh = User.objects.get(pk=ines.pk)
    with django_assert_num_queries(1):
        perms = fresh.get_all_permissions()
        assert fresh.has_perm("helpdesk.view_ticket")
    assert perms == ModelBackend().get_all_permissions(User.objects.get(pk=ines.pk))
    assert "helpdesk.view_queue" in perms
    assert "helpdesk.view_statistics" not in perms  # a coordinator's, not hers


def test_an_inactive_person_holds_no_permission(ines):
    from helpdesk.models import User

    User.objects.filter(pk=ines.pk).update(is_active=False)
    assert User.objects.get(pk=ines.pk).get_all_permissions() == set()


def test_a_superuser_holds_every_permission(adam):
    from django.contrib.auth.models import Permission

    assert len(adam.get_all_permissions()) == Permission.objects.count()
