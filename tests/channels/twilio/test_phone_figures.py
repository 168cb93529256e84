"""The phone figures of the annual report, aggregated in the database (Brussels time)."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpdesk.channels.twilio.models import Call
from helpdesk.channels.twilio.selectors.stats import phone_figures

from .conftest import at

pytestmark = pytest.mark.django_db


def call(
    queue,
    started_at,
    *,
    language="ar",
    result="answered",
    queue_seconds=None,
    direction="in",
    callback=False,
):
    return Call.objects.create(
        queue=queue,
        language_id=language,
        started_at=started_at,
        state="ended",
        result=result,
        queue_seconds=queue_seconds,
        direction=direction,
        callback_requested=callback,
    )


@pytest.fixture
def march(infolijn, education):
    monday = at(2026, 3, 9, 10, 15)
    call(infolijn, monday, queue_seconds=30)  # answered within 60 s
    call(infolijn, monday, queue_seconds=60)  # exactly 60 s counts
    call(infolijn, monday, queue_seconds=61)  # answered, but later
    call(infolijn, at(2026, 3, 9, 11, 0), result="abandoned", queue_seconds=90, callback=True)
    call(infolijn, at(2026, 3, 7, 11, 0), language="ps", result="voicemail")  # Saturday
    call(infolijn, at(2026, 3, 7, 11, 5), language="ps", result="callback", callback=True)
    call(infolijn, at(2026, 3, 9, 12, 0), language=None, result="menu")
    call(infolijn, at(2026, 3, 10, 14, 0), direction="out", result="answered")
    call(infolijn, at(2026, 3, 10, 14, 5), direction="out", result="no_answer")
    call(education, monday, language="fr", queue_seconds=5)
    call(infolijn, at(2026, 4, 1, 10, 0))  # outside the period


def test_the_totals_count_each_outcome_once(march):
    figures = phone_figures(start=at(2026, 3, 1), end=at(2026, 4, 1))
    assert figures.totals == {
        "calls": 8,
        "answered": 4,
        "answered_within_60s": 3,
        "abandoned": 1,
        "voicemails": 1,
        "callbacks": 2,
        "callbacks_made": 2,
        "callbacks_reached": 1,
    }
    assert figures.answered_within_60s_share == 0.75


def test_figures_for_one_queue(march, infolijn):
    figures = phone_figures(start=at(2026, 3, 1), end=at(2026, 4, 1), queue=infolijn)
    assert figures.totals["calls"] == 7
    assert figures.totals["answered"] == 3
    assert "fr" not in figures.by_language


def test_figures_per_language(march):
    figures = phone_figures(start=at(2026, 3, 1), end=at(2026, 4, 1))
    assert figures.by_language["ar"]["calls"] == 4
    assert figures.by_language["ar"]["abandoned"] == 1
    assert figures.by_language["ps"]["voicemails"] == 1
    assert figures.by_language["ps"]["callbacks"] == 1
    assert figures.by_language[None]["calls"] == 1  # hung up in the menu


def test_figures_per_hour_of_the_week_in_brussels_time(march):
    figures = phone_figures(start=at(2026, 3, 1), end=at(2026, 4, 1))
    assert figures.by_hour[(1, 10)]["answered"] == 4  # Monday 10:00-11:00
    assert figures.by_hour[(6, 11)]["calls"] == 2  # Saturday 11:00
    assert figures.by_hour[(2, 14)]["callbacks_made"] == 2  # Tuesday 14:00


def test_the_hour_of_the_week_follows_daylight_saving_time(infolijn):
    # 08:30 UTC is 9:30 in winter (CET) and 10:30 in summer (CEST).
    call(infolijn, datetime(2026, 3, 27, 8, 30, tzinfo=UTC))  # Friday before the change
    call(infolijn, datetime(2026, 3, 30, 8, 30, tzinfo=UTC))  # Monday after it
    figures = phone_figures(start=at(2026, 3, 1), end=at(2026, 4, 1))
    assert set(figures.by_hour) == {(5, 9), (1, 10)}


def test_a_call_just_before_midnight_counts_on_its_own_day(infolijn):
    call(infolijn, at(2026, 3, 8, 23, 59, 59))  # Sunday night, Brussels
    call(infolijn, at(2026, 3, 9, 0, 0))  # Monday
    figures = phone_figures(start=at(2026, 3, 1), end=at(2026, 4, 1))
    assert set(figures.by_hour) == {(7, 23), (1, 0)}


def test_the_period_is_half_open(infolijn):
    call(infolijn, at(2026, 3, 1))
    call(infolijn, at(2026, 4, 1))
    assert phone_figures(start=at(2026, 3, 1), end=at(2026, 4, 1)).totals["calls"] == 1


def test_one_query_whatever_the_number_of_calls(march):
    with CaptureQueriesContext(connection) as queries:
        phone_figures(start=at(2026, 3, 1), end=at(2026, 4, 1))
    assert len(queries) == 1


def test_no_calls_no_share():
    figures = phone_figures(start=at(2026, 3, 1), end=at(2026, 4, 1))
    assert figures.totals["calls"] == 0
    assert figures.answered_within_60s_share is None


def test_forgetting_callers_numbers_keeps_the_figures(infolijn):
    from helpdesk.channels.twilio.models import CallLeg
    from helpdesk.channels.twilio.services.recordings import calls_forget_numbers

    old = call(infolijn, at(2025, 1, 6, 10, 0))
    old.from_number, old.to_number = "+32470123456", "+3225550100"
    old.save()
    callback = call(infolijn, at(2025, 1, 7, 10, 0), direction="out")
    callback.to_number = "+32470123456"
    callback.save()
    CallLeg.objects.create(call=callback, kind="requester", to_number="+32470123456")
    recent = call(infolijn, at(2026, 3, 9, 10, 0))
    recent.from_number = "+32470999999"
    recent.save()
    assert calls_forget_numbers(before=at(2026, 1, 1)) == 2
    old.refresh_from_db()
    callback.refresh_from_db()
    recent.refresh_from_db()
    assert old.from_number == ""
    assert old.to_number == "+3225550100"  # our own number is not personal data
    assert callback.to_number == ""
    assert CallLeg.objects.get().to_number == ""
    assert recent.from_number == "+32470999999"
    figures = phone_figures(start=at(2025, 1, 1), end=at(2025, 2, 1))
    assert figures.totals["calls"] == 1
    assert figures.totals["callbacks_made"] == 1


def test_coordinators_see_the_phone_figures_on_the_statistics_page(client, cora, march):
    client.force_login(cora)
    response = client.get(
        "/stats/", {"period": "custom", "start": "2026-03-01", "end": "2026-03-31"}
    )

    assert response.status_code == 200
    phone = next(c for c in response.context["computed"] if c.section.key == "phone")
    assert phone.figures.totals["calls"] == 8
    assert [(r.code, r.count) for r in phone.figures.languages][:2] == [("ar", 4), ("ps", 2)]
    monday_ten = 10  # Monday 10:15 in Brussels, hour of the week 10
    assert phone.figures.heat[monday_ten] == 4  # three Infolijn calls and one for Education
    assert "Incoming calls by hour of the week" in response.content.decode()
    assert any("We took 8 calls and answered 4" in line for line in phone.headlines)


def test_the_phone_figures_follow_the_chosen_queue(client, cora, march, education):
    client.force_login(cora)
    response = client.get(
        "/stats/",
        {"period": "custom", "start": "2026-03-01", "end": "2026-03-31", "queue": education.slug},
    )
    phone = next(c for c in response.context["computed"] if c.section.key == "phone")
    assert phone.figures.totals["calls"] == 1
