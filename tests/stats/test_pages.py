from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from helpdesk.models import Channel

from .conftest import at

pytestmark = pytest.mark.django_db
OVERVIEW = reverse("stats:overview")
YEAR = {"period": "custom", "start": "2026-01-01", "end": "2026-12-31"}


def test_coordinators_see_the_figures_of_the_period(client, cora, make_ticket):
    make_ticket(at(2026, 3, 2, 10), answered=at(2026, 3, 2, 12), closed=at(2026, 3, 3, 9))
    make_ticket(at(2025, 3, 2, 10), topics=["dublin"])  # last year: not counted
    client.force_login(cora)

    response = client.get(OVERVIEW, YEAR, headers={"accept-language": "nl"})

    assert response.status_code == 200
    tickets = next(c for c in response.context["computed"] if c.section.key == "tickets")
    assert tickets.figures.total == 1
    html = response.content.decode()
    assert "Opvang (Fedasil)" in html
    assert "Dublin" not in html.split('id="section-tickets"')[1].split("</section>")[0]
    assert html.count("<svg") > 3  # bars, heat map and the bars of every share table


def test_staff_volunteers_and_strangers_get_no_statistics(client, ines, vera, otto):
    assert client.get(OVERVIEW).status_code == 302
    for person in (ines, vera, otto):
        client.force_login(person)
        assert client.get(OVERVIEW).status_code == 403
        assert client.get(reverse("stats:annual_report")).status_code == 403
        assert client.get(reverse("stats:export_tickets", args=["csv"])).status_code == 403


def test_the_page_runs_the_same_number_of_queries_whatever_the_data(client, cora, make_ticket):
    client.force_login(cora)
    client.get(OVERVIEW, YEAR)  # warm up (content types, permissions)
    with CaptureQueriesContext(connection) as empty:
        client.get(OVERVIEW, YEAR)
    for day in range(1, 25):
        make_ticket(
            at(2026, 1 + day % 12, day, 10),
            channel=Channel.values[day % len(Channel.values)],
            topics=["reception", "dublin"][: 1 + day % 2],
            answered=at(2026, 1 + day % 12, day, 11),
        )
    with CaptureQueriesContext(connection) as full:
        client.get(OVERVIEW, YEAR)
    assert len(full.captured_queries) == len(empty.captured_queries)
    # Session, user, second factor, permissions (one); the lists; the ticket counts (changed days,
    # rollup, the nine day_rows queries over the changed days, the rollup's version), the
    # percentiles; phone (calls, language names); Startpunt; the queue menu; the knowledge
    # base's searches (two); the articles used in answers (helpdesk/answer/stats_section.py:
    # three). SQLite ranks each of the four durations in its own query; PostgreSQL adds its
    # savepoint and settings.
    expected = {"postgresql": 42, "sqlite": 39}[connection.vendor]
    assert len(full.captured_queries) == expected, "\n".join(
        q["sql"][:120] for q in full.captured_queries
    )


def test_an_invalid_period_says_so_and_shows_this_year(client, cora):
    client.force_login(cora)
    response = client.get(
        OVERVIEW, {"period": "custom", "start": "2026-05-01", "end": "2026-04-01"}
    )
    assert response.status_code == 200
    assert "The period ends before it starts." in response.content.decode()


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_page_works_right_to_left_and_in_every_language(client, cora, make_ticket, language):
    make_ticket(at(2026, 3, 2, 10), answered=at(2026, 3, 2, 12))
    client.force_login(cora)
    with translation.override(language):
        response = client.get(OVERVIEW, YEAR, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200


def test_the_annual_report_puts_the_headlines_together(client, cora, make_ticket):
    for day in (2, 3, 4):
        make_ticket(at(2026, 3, day, 10), channel=Channel.PHONE, answered=at(2026, 3, day, 10, 5))
    make_ticket(at(2026, 4, 1, 10), channel=Channel.EMAIL, answered=at(2026, 4, 1, 14))
    client.force_login(cora)

    response = client.get(reverse("stats:annual_report"), {"year": 2026})

    assert response.status_code == 200
    first = response.context["headlines"][0]
    assert first.startswith("In 2026 we answered 4 questions: 75% by ")
    assert " and 25% by " in first
    assert "@page" in Path("static/css/stats.css").read_text()  # printable on A4


def test_the_export_log_lists_who_exported_what(client, cora, adam):
    client.force_login(cora)
    client.get(reverse("stats:export_tables", args=["csv"]), YEAR)
    client.force_login(adam)
    response = client.get(reverse("stats:export_log"))
    assert response.status_code == 200
    assert "Cora" in response.content.decode()
