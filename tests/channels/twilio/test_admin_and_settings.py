"""Setting up the line in the admin, who may, and the checks on the settings."""

import pytest
from django.core.checks import run_checks
from django.urls import reverse

from config.tasks import periodic_jobs
from helpdesk.channels.twilio.models import PhoneNumber, WhatsAppTemplate

pytestmark = pytest.mark.django_db


def test_a_coordinator_sets_up_a_number_typed_any_way(client, cora, infolijn):
    client.force_login(cora)
    response = client.post(
        reverse("admin:twilio_channel_phonenumber_add"),
        {
            "number": "02 555 01 00",
            "label": "Infolijn",
            "queue": infolijn.pk,
            "handles_calls": "on",
            "handles_sms": "on",
            "max_wait_seconds": "180",
            "is_active": "on",
            "menu_options-TOTAL_FORMS": "1",
            "menu_options-INITIAL_FORMS": "0",
            "menu_options-0-digit": "1",
            "menu_options-0-language": "ps",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    number = PhoneNumber.objects.get()
    assert number.number == "+3225550100"
    assert number.menu_options.get().language_id == "ps"


def test_the_number_page_lists_what_callers_would_not_hear_in_their_language(client, cora, number):
    client.force_login(cora)
    page = client.get(
        reverse("admin:twilio_channel_phonenumber_change", args=[number.pk])
    ).content.decode()
    assert "Prompts callers would not hear in their language" in page
    assert "Pasjtoe" in page or "Pashto" in page


def test_a_coordinator_does_not_see_call_records_with_callers_numbers(client, cora):
    client.force_login(cora)
    assert client.get(reverse("admin:twilio_channel_call_changelist")).status_code == 403
    assert client.get(reverse("admin:twilio_channel_inboundmessage_changelist")).status_code == 403


def test_an_administrator_reads_call_records_but_does_not_edit_them(client, adam):
    client.force_login(adam)
    assert client.get(reverse("admin:twilio_channel_call_changelist")).status_code == 200
    assert client.get(reverse("admin:twilio_channel_call_add")).status_code == 403


def test_template_variables_must_name_what_fills_them(client, cora, arabic):
    client.force_login(cora)
    data = {
        "name": "Answer ready",
        "content_sid": "HX" + "2" * 32,
        "language": arabic.pk,
        "body": "Your answer: {{1}}",
        "variables": '{"1": "password"}',
        "is_active": "on",
    }
    response = client.post(reverse("admin:twilio_channel_whatsapptemplate_add"), data)
    assert response.status_code == 200
    assert "Use numbers as keys" in response.content.decode()
    data["variables"] = '{"1": "link"}'
    assert (
        client.post(reverse("admin:twilio_channel_whatsapptemplate_add"), data).status_code == 302
    )
    assert WhatsAppTemplate.objects.get().variables == {"1": "link"}


def test_the_retention_and_catch_up_jobs_are_scheduled():
    names = {job.name: job for job in periodic_jobs()}
    assert "twilio.expire_recordings" in names
    assert "twilio.catch_up" in names


def test_the_fake_api_is_refused_in_production(settings):
    settings.TWILIO_FAKE_API = True
    settings.DEBUG = False
    settings.TESTING = False
    assert "twilio_channel.E001" in [m.id for m in run_checks()]


def test_half_a_configuration_is_reported(settings):
    settings.TWILIO_AUTH_TOKEN = ""
    assert "twilio_channel.W001" in [m.id for m in run_checks()]
