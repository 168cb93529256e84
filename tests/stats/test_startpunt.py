from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from helpdesk.models import Language, Topic
from helpdesk.stats.models import StartpuntSession
from helpdesk.stats.periods import Period
from helpdesk.stats.sections import Scope
from helpdesk.stats.selectors.startpunt import startpunt_figures

pytestmark = pytest.mark.django_db
LOG = reverse("stats:startpunt")


def post_morning(client, day, **extra):
    data = {
        "date": day.isoformat(),
        "volunteers_present": 6,
        "people_informed": 40,
        "flyers_handed_out": 25,
        "languages": ["ar", "prs", "ti"],
        "topics": [Topic.objects.get(code="registration").pk],
        **extra,
    }
    return client.post(LOG, data)


def test_a_volunteer_logs_a_morning_in_a_few_taps(client, vera):
    client.force_login(vera)
    today = timezone.localdate()

    assert client.get(LOG).status_code == 200
    response = post_morning(client, today)

    assert response.status_code == 302
    session = StartpuntSession.objects.get()
    assert (session.date, session.people_informed, session.logged_by) == (today, 40, vera)
    assert set(session.languages.values_list("code", flat=True)) == {"ar", "prs", "ti"}


def test_volunteers_still_never_see_tickets_or_statistics(client, vera):
    client.force_login(vera)
    assert client.get(reverse("helpdesk:inbox")).status_code == 403
    assert client.get(reverse("stats:overview")).status_code == 403


def test_a_morning_is_logged_once(client, vera, youssef):
    client.force_login(vera)
    today = timezone.localdate()
    post_morning(client, today)

    response = post_morning(client, today, people_informed=12)

    assert response.status_code == 200
    assert "already logged" in response.content.decode()
    assert StartpuntSession.objects.get().people_informed == 40


def test_future_mornings_cannot_be_logged(client, vera):
    client.force_login(vera)
    response = post_morning(client, timezone.localdate() + timedelta(days=1))
    assert response.status_code == 200
    assert not StartpuntSession.objects.exists()


def test_the_volunteer_who_logged_it_can_correct_it_and_others_cannot(client, vera):
    from tests.factories import UserFactory

    client.force_login(vera)
    post_morning(client, timezone.localdate())
    session = StartpuntSession.objects.get()
    edit = reverse("stats:startpunt_edit", args=[session.pk])

    response = client.post(
        edit,
        {
            "date": session.date.isoformat(),
            "volunteers_present": 7,
            "people_informed": 44,
            "flyers_handed_out": 3,
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.people_informed == 44

    other = UserFactory(username="walid", role="Volunteer")
    client.force_login(other)
    assert client.get(edit).status_code == 403


def test_staff_do_not_log_startpunt(client, ines):
    client.force_login(ines)
    assert client.get(LOG).status_code == 403


def test_coordinators_see_the_startpunt_figures(client, cora, vera):
    for offset, people in ((1, 30), (2, 50)):
        session = StartpuntSession.objects.create(
            date=date(2026, 2, offset + 1),
            volunteers_present=5,
            people_informed=people,
            logged_by=vera,
        )
        session.languages.set(Language.objects.filter(code__in=["ar", "ps"][:offset]))
    StartpuntSession.objects.create(
        date=date(2025, 12, 31), volunteers_present=5, people_informed=99
    )

    figures = startpunt_figures(Scope(Period.year(2026)))

    assert (figures.sessions, figures.people_informed, figures.volunteer_mornings) == (2, 80, 10)
    assert figures.by_month["2026-02"] == (2, 80)
    assert {r.code: r.count for r in figures.languages} == {"ar": 2, "ps": 1}
    client.force_login(cora)
    html = client.get(
        reverse("stats:overview"), {"period": "custom", "start": "2026-01-01", "end": "2026-12-31"}
    ).content.decode()
    assert 'id="section-startpunt"' in html


def test_startpunt_is_left_out_when_a_queue_is_chosen(client, cora):
    client.force_login(cora)
    html = client.get(reverse("stats:overview"), {"queue": "legal-helpdesk"}).content.decode()
    assert 'id="section-startpunt"' not in html
    assert 'id="section-tickets"' in html
