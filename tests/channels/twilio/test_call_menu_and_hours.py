"""The language menu and where a call goes: the queue within opening hours, voicemail outside
them (Belgian holidays, one-off closures, across DST changes and midnight)."""

from datetime import date

import pytest

from helpdesk.channels.twilio.models import (
    Call,
    CallState,
    MenuOption,
    PromptKind,
    TextToSpeechVoice,
    VoicePrompt,
)
from helpdesk.models import Closure
from helpdesk.services import clock

from .conftest import PUBLIC, at, call_params, sid, twiml

pytestmark = pytest.mark.django_db


MENU = "For %(language)s, press %(digit)s."


def test_an_incoming_call_hears_each_choice_in_its_own_language(
    twilio_post, number, prompt_catalogue
):
    prompt_catalogue["nl", MENU] = "Voor %(language)s, druk %(digit)s."
    prompt_catalogue["ar", MENU] = "للغة %(language)s اضغط %(digit)s."
    root = twiml(twilio_post("voice", call_params(sid("CA"))))
    gather = root.find("Gather")
    assert gather.get("numDigits") == "1"
    assert gather.get("action") == f"{PUBLIC}/channels/twilio/voice/menu/"
    said = [(say.get("language"), say.get("voice"), say.text) for say in gather.findall("Say")]
    assert said == [
        ("nl-BE", "Google.nl-BE-Standard-A", "Voor Nederlands, druk 1."),
        # French is not translated yet: the number's default language rather than a French
        # voice reading English.
        ("nl-BE", "Google.nl-BE-Standard-A", "Voor Frans, druk 2."),
        ("en-GB", "Google.en-GB-Standard-A", "For English, press 3."),
        ("ar-XA", "Google.ar-XA-Standard-A", "للغة العربية اضغط 4."),
        # Pashto has neither a Twilio voice nor a recording: along its fallbacks (Farsi, no
        # voice either; English), not left out.
        ("en-GB", "Google.en-GB-Standard-A", "For Pashto, press 5."),
    ]
    assert root.find("Redirect").text == f"{PUBLIC}/channels/twilio/voice/menu/"
    call = Call.objects.get()
    assert call.state == CallState.MENU
    assert call.from_number == "+32470123456"


def test_a_recorded_choice_is_played_rather_than_said(twilio_post, number, languages):
    from django.core.files.base import ContentFile

    option = MenuOption.objects.get(number=number, digit=5)
    option.recording.save("pashto.mp3", ContentFile(b"ID3 pashto"), save=True)
    root = twiml(twilio_post("voice", call_params(sid("CA"))))
    plays = root.find("Gather").findall("Play")
    assert len(plays) == 1
    assert plays[0].text.startswith(f"{PUBLIC}/channels/twilio/prompts/menu/{option.pk}/")


def test_the_recording_twilio_plays_is_served_and_a_stale_url_is_not(client, number):
    from django.core.files.base import ContentFile

    option = MenuOption.objects.get(number=number, digit=5)
    option.recording.save("pashto.mp3", ContentFile(b"ID3 pashto"), save=True)
    name = option.recording.name.rsplit("/", 1)[-1]
    response = client.get(f"/channels/twilio/prompts/menu/{option.pk}/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/mpeg"
    assert b"".join(response.streaming_content) == b"ID3 pashto"
    assert client.get(f"/channels/twilio/prompts/menu/{option.pk}/old.mp3").status_code == 404
    assert client.get(f"/channels/twilio/prompts/other/{option.pk}/{name}").status_code == 404


def test_choosing_a_language_within_hours_enqueues_the_caller(
    twilio_post, number, ines_on_duty, monday_morning, twilio_http
):
    call_sid = sid("CA")
    twilio_post("voice", call_params(call_sid))
    root = twiml(twilio_post("voice_menu", call_params(call_sid, Digits="4")))
    enqueue = root.find("Enqueue")
    assert enqueue.text == "infolijn-ar"
    assert enqueue.get("waitUrl") == f"{PUBLIC}/channels/twilio/voice/wait/"
    assert enqueue.get("action") == f"{PUBLIC}/channels/twilio/voice/queue-result/"
    call = Call.objects.get()
    assert call.language_id == "ar"
    assert call.state == CallState.QUEUED
    assert call.was_open
    # Ines (who speaks Arabic) is rung on her mobile, from our number.
    [ring] = twilio_http.made("POST", "/Calls.json")
    assert ring.data["To"] == "+32470000001"
    assert ring.data["From"] == "+3225550100"
    assert ring.data["Url"].startswith(f"{PUBLIC}/channels/twilio/voice/legs/")


def test_a_wrong_key_says_so_and_the_menu_comes_again(twilio_post, number, monday_morning):
    call_sid = sid("CA")
    twilio_post("voice", call_params(call_sid))
    root = twiml(twilio_post("voice_menu", call_params(call_sid, Digits="9")))
    assert root[0].tag == "Say"  # "that is not one of the choices", in Dutch
    assert root.find("Gather") is not None


def test_a_caller_who_chooses_nothing_goes_on_in_the_default_language(
    twilio_post, number, ines_on_duty, monday_morning
):
    call_sid = sid("CA")
    twilio_post("voice", call_params(call_sid))
    twilio_post("voice_menu", call_params(call_sid))  # no key: the menu again
    root = twiml(twilio_post("voice_menu", call_params(call_sid)))
    assert root.find("Enqueue").text == "infolijn-nl"


def test_a_number_with_one_language_skips_the_menu(
    twilio_post, number, ines_on_duty, monday_morning
):
    number.menu_options.exclude(digit=1).delete()
    root = twiml(twilio_post("voice", call_params(sid("CA"))))
    assert root.find("Enqueue").text == "infolijn-nl"


def test_twilio_retrying_the_menu_choice_does_not_ring_staff_twice(
    twilio_post, number, ines_on_duty, monday_morning, twilio_http
):
    call_sid = sid("CA")
    twilio_post("voice", call_params(call_sid))
    first = twilio_post("voice_menu", call_params(call_sid, Digits="4")).content
    again = twilio_post("voice_menu", call_params(call_sid, Digits="4")).content
    assert first == again
    assert Call.objects.count() == 1
    assert len(twilio_http.made("POST", "/Calls.json")) == 1


def route_of(twilio_post, when, digit="4"):
    call_sid = sid("CA")
    with clock.travel_to(when):
        twilio_post("voice", call_params(call_sid))
        root = twiml(twilio_post("voice_menu", call_params(call_sid, Digits=digit)))
    return root, Call.objects.get(call_sid=call_sid)


def voicemail_offered(root) -> bool:
    gather = root.find("Gather")
    return (
        root.find("Enqueue") is None
        and gather is not None
        and gather.get("action").endswith("/voice/consent/")
    )


@pytest.mark.parametrize(
    ("when", "open_"),
    [
        (at(2026, 3, 9, 9, 29, 59), False),  # a minute before opening
        (at(2026, 3, 9, 9, 30), True),
        (at(2026, 3, 9, 12, 45), False),  # lunch
        (at(2026, 3, 9, 16, 29, 59), True),
        (at(2026, 3, 9, 16, 30), False),
        (at(2026, 3, 9, 23, 59, 59), False),  # midnight
        (at(2026, 3, 10, 0, 0), False),
        (at(2026, 3, 7, 10, 0), False),  # Saturday
        (at(2026, 4, 6, 10, 0), False),  # Easter Monday
        (at(2026, 7, 21, 10, 0), False),  # Belgian national day
        (at(2026, 11, 11, 10, 0), False),  # Armistice
        (at(2026, 12, 25, 10, 0), False),  # Christmas
        (at(2026, 3, 30, 9, 30), True),  # the Monday after the clocks went forward
        (at(2026, 3, 30, 9, 29), False),
        (at(2026, 10, 26, 9, 30), True),  # the Monday after the clocks went back
        (at(2026, 10, 26, 16, 30), False),
    ],
)
def test_within_opening_hours_the_caller_queues_and_outside_them_gets_voicemail(
    twilio_post, number, ines_on_duty, when, open_
):
    ines_on_duty.available_on = when.date()
    ines_on_duty.save()
    root, call = route_of(twilio_post, when)
    assert call.was_open is open_
    if open_:
        assert root.find("Enqueue") is not None
    else:
        assert voicemail_offered(root)
        assert call.leave_reason == "closed"
        assert call.state == CallState.VOICEMAIL


def test_the_closed_message_says_when_we_open_again_after_a_holiday_weekend(
    twilio_post, number, ines_on_duty, prompt_catalogue
):
    closed = "We are closed now. We open again on %(day)s at %(time)s."
    prompt_catalogue["nl", closed] = "We zijn nu gesloten. We openen weer op %(day)s om %(time)s."
    # Saturday 4 April 2026; Easter Monday the 6th: open again on Tuesday 7 April at 9:30.
    root, _call = route_of(twilio_post, at(2026, 4, 4, 11, 0), digit="1")
    said = root.find("Say")
    assert said.get("language") == "nl-BE"
    assert said.text == "We zijn nu gesloten. We openen weer op dinsdag 7 april om 09:30."


def test_the_closed_message_after_a_friday_evening_names_monday_across_the_clock_change(
    twilio_post, number, ines_on_duty
):
    # Friday 27 March 2026, 18:00; the clocks go forward on Sunday: Monday 30 March, 9:30.
    root, _call = route_of(twilio_post, at(2026, 3, 27, 18, 0), digit="3")
    assert root.find("Say").text == "We are closed now. We open again on Monday 30 March at 09:30."


def test_a_one_off_closure_sends_callers_to_voicemail(twilio_post, number, ines_on_duty, infolijn):
    Closure.objects.create(queue=infolijn, starts_on=date(2026, 3, 9), ends_on=date(2026, 3, 9))
    root, call = route_of(twilio_post, at(2026, 3, 9, 10, 0))
    assert voicemail_offered(root)
    assert call.leave_reason == "closed"


def test_within_hours_with_nobody_taking_calls_the_caller_is_told_and_offered_voicemail(
    twilio_post, number, monday_morning, twilio_http
):
    root, call = route_of(twilio_post, monday_morning)
    assert voicemail_offered(root)
    assert call.leave_reason == "no_agents"
    assert call.was_open
    assert not twilio_http.made("POST", "/Calls.json")


def test_staff_who_took_calls_yesterday_are_not_rung_today(
    twilio_post, number, ines_on_duty, twilio_http
):
    _root, call = route_of(twilio_post, at(2026, 3, 10, 10, 0))  # she said "today" on the 9th
    assert call.leave_reason == "no_agents"


def test_a_recorded_closed_prompt_is_played_in_the_callers_language(
    twilio_post, number, ines_on_duty, languages
):
    from django.core.files.base import ContentFile

    prompt = VoicePrompt(kind=PromptKind.CLOSED, language=languages["ps"])
    prompt.recording.save("closed.mp3", ContentFile(b"ID3"), save=True)
    root, _call = route_of(twilio_post, at(2026, 3, 7, 10, 0), digit="5")
    assert root.find("Play").text.startswith(
        f"{PUBLIC}/channels/twilio/prompts/prompt/{prompt.pk}/"
    )


def test_pashto_without_recordings_falls_back_along_the_language_chain(
    twilio_post, number, ines_on_duty
):
    # Pashto -> Farsi (no voice) -> English (site fallbacks) before Dutch: said in English.
    TextToSpeechVoice.objects.filter(language_id="ps").delete()
    root, _call = route_of(twilio_post, at(2026, 3, 7, 10, 0), digit="5")
    assert root.find("Say").get("language") == "en-GB"


def test_the_menu_is_built_in_a_few_queries_however_many_languages(twilio_post, number, languages):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            twiml(twilio_post("voice", call_params(sid("CA"))))
        return len(queries)

    few = count()
    for digit, code in ((6, "prs"), (7, "ti"), (8, "uk"), (9, "so")):
        MenuOption.objects.create(number=number, digit=digit, language_id=code)
    assert count() == few
