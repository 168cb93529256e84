"""Store the least that answers the question: forms ask for no more and warn about the rest."""

import pytest
from django.urls import reverse

from helpdesk.forms import PRIVACY_HINT, CallLogForm, NoteForm, ReplyForm
from helpdesk.models import Contact, Ticket
from helpdesk.privacy.services.rights import can_handle_rights_requests
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
CALL = reverse("helpdesk:call_new")


def call(queue, **extra):
    return {"channel": "phone", "queue": queue.pk, "question": "Where can I sleep?", **extra}


def test_a_name_without_a_number_is_not_kept(client, ines, infolijn):
    client.force_login(ines)
    response = client.post(CALL, call(infolijn, name="Hamid"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "only kept to call back" in response.content.decode()
    assert not Contact.objects.exists()
    assert not Ticket.objects.exists()
    assert client.post(CALL, call(infolijn, name="Hamid", phone="0470 11 22 33")).status_code == 302
    assert Contact.objects.get().name == "Hamid"


def test_an_anonymous_call_stores_no_person(client, ines, infolijn):
    client.force_login(ines)
    assert client.post(CALL, call(infolijn)).status_code == 302
    assert Ticket.objects.get().contact is None
    assert not Contact.objects.exists()


def test_every_field_where_staff_write_warns_not_to_record_the_story(ticket, ines):
    assert str(PRIVACY_HINT) in str(CallLogForm(user=ines).fields["question"].help_text)
    assert str(PRIVACY_HINT) in str(ReplyForm(ticket=ticket).fields["body"].help_text)
    assert str(PRIVACY_HINT) in str(NoteForm().fields["body"].help_text)


def test_the_administrator_role_handles_rights_requests_and_no_other_role_does(db):
    from helpdesk import roles

    admin = UserFactory(username="admin2", role=roles.ADMINISTRATOR)  # not a superuser
    assert can_handle_rights_requests(admin)
    assert admin.has_perm("privacy.view_auditentry")
    for role in (roles.INFO_LINE_STAFF, roles.LEGAL_SPECIALIST, roles.VOLUNTEER, roles.COORDINATOR):
        user = UserFactory(username=f"u-{role}".replace(" ", "-").lower(), role=role)
        assert not can_handle_rights_requests(user)
        assert not user.has_perm("privacy.view_auditentry")
