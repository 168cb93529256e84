import pytest
from django.urls import reverse

from helpdesk.models import Channel, Topic
from helpdesk.services.tickets import ticket_create

pytestmark = pytest.mark.django_db


def test_a_coordinator_edits_the_lists_and_their_translations(client, cora):
    client.force_login(cora)
    topic = Topic.objects.get(code="dublin")
    response = client.get(reverse("admin:helpdesk_topic_change", args=[topic.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for field in ("name_nl", "name_fr", "name_en", "name_ar"):
        assert f'name="{field}"' in body


def test_a_topic_in_use_is_retired_not_deleted_and_its_code_freezes(client, cora, infolijn):
    topic = Topic.objects.get(code="dublin")
    ticket_create(queue=infolijn, channel=Channel.PHONE, body="x", topics=[topic])
    client.force_login(cora)
    change = reverse("admin:helpdesk_topic_change", args=[topic.pk])
    assert 'name="code"' not in client.get(change).content.decode()
    assert client.get(reverse("admin:helpdesk_topic_delete", args=[topic.pk])).status_code == 403
    client.post(
        reverse("admin:helpdesk_topic_changelist"),
        {"action": "retire", "_selected_action": [topic.pk]},
    )
    topic.refresh_from_db()
    assert not topic.is_active
    assert topic.retired_at is not None
    assert topic.tickets.count() == 1


def test_an_unused_topic_can_still_be_deleted(client, adam):
    topic = Topic.objects.create(code="typo", name="Typo")
    client.force_login(adam)
    client.post(reverse("admin:helpdesk_topic_delete", args=[topic.pk]), {"post": "yes"})
    assert not Topic.objects.filter(code="typo").exists()


def test_volunteers_and_staff_have_no_admin(client, vera, ines):
    for person in (vera, ines):
        client.force_login(person)
        response = client.get(reverse("admin:helpdesk_topic_changelist"))
        assert response.status_code == 302
