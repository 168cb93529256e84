"""Other apps (the phone channel, the knowledge base) add their sections through the registry."""

import pytest
from django.db.models import Count
from django.urls import reverse

from helpdesk.models import Ticket
from helpdesk.stats import sections
from helpdesk.stats.sections import Section, Table

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls_section(tmp_path, settings):
    """A stand-in for the phone section: its own aggregation, template, tables, headline."""
    template_dir = tmp_path / "templates"
    (template_dir / "phone").mkdir(parents=True)
    (template_dir / "phone" / "stats.html").write_text(
        "{% load stats %}<p class='calls'>Calls: {{ figures.calls|number }}</p>"
        "{% heatmap figures.by_hour 'Calls by hour of the week' %}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], template_dir]}
    ]

    def compute(scope):
        calls = Ticket.objects.filter(**scope.created_in(), channel="phone")
        by_hour = dict(
            calls.annotate(h=scope.hour_of_week("created_at"))
            .values("h")
            .annotate(n=Count("id"))
            .values_list("h", "n")
        )
        return {"calls": sum(by_hour.values()), "by_hour": by_hour}

    section = sections.register(
        Section(
            key="phone",
            title="Phone",
            compute=compute,
            template="phone/stats.html",
            tables=lambda f, scope: [
                Table(
                    key="calls",
                    title="Calls",
                    columns=["Figure", "Number"],
                    rows=[["Calls", f["calls"]]],
                )
            ],
            headlines=lambda f, scope: [f"We took {f['calls']} calls."],
            summary=lambda f, scope: {"calls": f["calls"]},
            order=40,
        )
    )
    yield section
    sections.unregister("phone")


def test_a_registered_section_is_on_the_page_the_report_the_exports_and_the_api(
    client, cora, make_ticket, calls_section
):
    make_ticket(at(2026, 3, 2, 10), channel="phone")
    client.force_login(cora)
    year = {"period": "custom", "start": "2026-01-01", "end": "2026-12-31"}

    page = client.get(reverse("stats:overview"), year).content.decode()
    assert "Calls: 1" in page
    assert 'class="heatmap"' in page
    assert (
        page.index('id="section-backlog"')
        < page.index('id="section-phone"')
        < page.index('id="section-startpunt"')
    )

    report = client.get(reverse("stats:annual_report"), {"year": 2026})
    assert "We took 1 calls." in report.context["headlines"]

    csv_text = b"".join(
        client.get(reverse("stats:export_tables", args=["csv"]), year).streaming_content
    )
    assert b"phone,calls,,Calls,Number,1" in csv_text

    api = client.get("/api/v1/stats/summary/", {"from": "2026-01-01", "to": "2026-12-31"}).json()
    assert api["sections"]["phone"] == {"calls": 1}


def test_a_section_can_require_its_own_permission(client, cora, calls_section):
    sections.register(Section(**{**calls_section.__dict__, "permission": "helpdesk.view_ticket"}))
    client.force_login(cora)
    page = client.get(reverse("stats:overview")).content.decode()
    assert 'id="section-phone"' not in page
