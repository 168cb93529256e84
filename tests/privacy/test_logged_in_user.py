"""Each request loads its logged-in person afresh (helpdesk.privacy.auth, in one statement): a
change made elsewhere (deactivated, deleted, a new password) takes effect at the next request."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpdesk.privacy.auth import ThrottledModelBackend

pytestmark = pytest.mark.django_db

INBOX = reverse("helpdesk:inbox")


def test_the_user_is_loaded_as_the_orm_loads_it(ines):
    User = get_user_model()
    ines.first_name, ines.last_name, ines.email = "Inès", "El Amrani", "ines@example.org"
    ines.save()
    User.objects.filter(pk=ines.pk).update(last_login="2026-03-09T23:30:00+00:00")
    with CaptureQueriesContext(connection) as queries:
        loaded = ThrottledModelBackend().get_user(ines.pk)
    expected = User.objects.get(pk=ines.pk)
    assert len(queries) == 1
    assert loaded == expected
    assert not loaded._state.adding
    assert loaded._state.db == "default"
    for field in User._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(expected, field.attname), field.name
    assert loaded.last_login.tzinfo is not None  # an aware time on SQLite too
    assert loaded.check_password("pw") == expected.check_password("pw")


def test_an_unknown_id_is_nobody(db):
    assert ThrottledModelBackend().get_user(987654) is None


def test_a_deactivated_person_is_logged_out_at_the_next_request(client, ines):
    client.force_login(ines)
    assert client.get(INBOX).status_code == 200
    ines.is_active = False
    ines.save()
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_deleted_person_is_logged_out_at_the_next_request(client, ines):
    client.force_login(ines)
    assert client.get(INBOX).status_code == 200
    ines.delete()
    assert client.get(INBOX).status_code == 302


def test_a_new_password_set_elsewhere_ends_the_other_sessions(client, ines):
    client.force_login(ines)
    assert client.get(INBOX).status_code == 200
    ines.set_password("a new and long passphrase")
    ines.save()
    assert client.get(INBOX).status_code == 302
