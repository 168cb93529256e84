import pytest
from django.urls import reverse

from helpdesk.models import (
    Language,
    Outcome,
    ReferralOrganisation,
    RequesterType,
    Status,
    Ticket,
    Topic,
)

# The expected texts below are English: the pages are asked for in English.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]
URL = reverse("helpdesk:call_new")


def essentials(**overrides):
    data = {
        "channel": "phone",
        "queue": "",
        "requester_type": RequesterType.objects.get(code="social-worker").pk,
        "language": "nl",
        "topics": [Topic.objects.get(code="reception").pk],
        "question": "Client has no reception place since Monday.",
        "answer": "Register at the Immigration Office; Fedasil dispatching decides.",
        "outcome": Outcome.objects.get(code="information-given").pk,
    }
    data.update(overrides)
    return data


def test_the_form_comes_with_sensible_defaults(client, ines, infolijn):
    ines.spoken_languages.set(Language.objects.filter(code__in=["fr", "ar"]))
    client.force_login(ines)
    form = client.get(URL).context["form"]
    assert form.initial["queue"] == infolijn.pk
    assert form.initial["language"] == "fr"
    assert form.initial["outcome"] == Outcome.objects.get(code="information-given").pk
    assert form.fields["requester_type"].widget.attrs.get("autofocus")


def test_a_call_answered_on_the_line_is_logged_and_closed(client, ines, infolijn):
    client.force_login(ines)
    response = client.post(URL, essentials(queue=infolijn.pk))
    assert response.status_code == 302
    assert response.url == URL  # a blank form for the next call
    ticket = Ticket.objects.get()
    assert ticket.channel == "phone"
    assert ticket.status == Status.CLOSED
    assert ticket.assignee == ines
    assert ticket.contact is None  # no name, no number: nothing personal stored
    assert ticket.first_response_at == ticket.closed_at
    assert [m.direction for m in ticket.messages.all()] == ["in", "out"]
    assert ticket.messages.get(direction="out").status == "recorded"


def test_a_callback_stays_open_with_the_number_to_call(client, ines, infolijn):
    client.force_login(ines)
    data = essentials(
        queue=infolijn.pk,
        outcome=Outcome.objects.get(code="callback-scheduled").pk,
        answer="",
        name="Hamid",
        phone="0470 11 22 33",
    )
    client.post(URL, data)
    ticket = Ticket.objects.get()
    assert ticket.status == Status.OPEN
    assert (ticket.contact.name, ticket.contact.phone) == ("Hamid", "+32470112233")


def test_it_says_what_is_wrong_with_a_bad_phone_number(client, ines, infolijn):
    client.force_login(ines)
    response = client.post(URL, essentials(queue=infolijn.pk, phone="12"))
    assert response.status_code == 400
    assert "not a valid phone number" in response.content.decode()
    assert not Ticket.objects.exists()


def test_a_referral_needs_the_organisation(client, ines, infolijn):
    client.force_login(ines)
    referred = Outcome.objects.get(code="referred")
    response = client.post(URL, essentials(queue=infolijn.pk, outcome=referred.pk))
    assert response.status_code == 400
    data = essentials(
        queue=infolijn.pk,
        outcome=referred.pk,
        referral=ReferralOrganisation.objects.get(code="caw").pk,
    )
    assert client.post(URL, data).status_code == 302
    assert Ticket.objects.get().referral.code == "caw"


def test_staff_cannot_log_into_a_queue_they_are_not_in(client, otto, infolijn):
    client.force_login(otto)
    response = client.post(URL, essentials(queue=infolijn.pk))
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_retired_topics_are_not_offered(client, ines):
    Topic.objects.get(code="statelessness").retire()
    client.force_login(ines)
    offered = client.get(URL).context["form"].fields["topics"].queryset
    assert not offered.filter(code="statelessness").exists()
