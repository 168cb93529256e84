import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from helpdesk.models import Channel
from helpdesk.stats.exports import TICKET_COLUMNS, safe_cell
from helpdesk.stats.models import ExportRecord

from .conftest import at

pytestmark = pytest.mark.django_db
YEAR = {"period": "custom", "start": "2026-01-01", "end": "2026-12-31"}


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def two_tickets(make_ticket, amina):
    first = make_ticket(at(2026, 3, 2, 10), answered=at(2026, 3, 2, 12), closed=at(2026, 3, 3, 9))
    second = make_ticket(at(2026, 10, 25, 2, 30), channel=Channel.SMS, topics=["silent"])
    return first, second


def test_the_ticket_export_has_codes_and_times_only(client, cora, two_tickets):
    client.force_login(cora)
    response = client.get(reverse("stats:export_tickets", args=["csv"]), YEAR)

    assert response.streaming
    text = body(response).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == TICKET_COLUMNS
    assert [r["channel"] for r in rows] == ["email", "sms"]
    assert rows[0]["topics"] == "reception"
    assert rows[0]["created_at"] == "2026-03-02T10:00:00+01:00"
    assert rows[0]["first_response_seconds"] == "7200"
    assert rows[1]["is_question"] == "0"
    for ticket in two_tickets:
        assert ticket.reference not in text
        assert ticket.subject not in text
        assert str(ticket.pk) not in [r["ticket"] for r in rows]
    assert "A question" not in text


def test_every_export_is_recorded_before_it_leaves(client, cora, two_tickets, infolijn):
    client.force_login(cora)
    client.get(reverse("stats:export_tickets", args=["xlsx"]), {**YEAR, "queue": "infolijn"})
    client.get(reverse("stats:export_tables", args=["csv"]), YEAR)

    tickets, tables = ExportRecord.objects.order_by("created_at")
    assert (tickets.user, tickets.kind, tickets.format, tickets.row_count) == (
        cora,
        "tickets",
        "xlsx",
        2,
    )
    assert (tickets.queue, tickets.period_start.isoformat()) == (infolijn, "2026-01-01")
    assert tickets.filters == {"period": "custom", "queue": "infolijn"}
    assert (tables.kind, tables.format) == ("tables", "csv")


def test_the_xlsx_exports_open_in_a_spreadsheet(client, cora, two_tickets):
    client.force_login(cora)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"  # the labels are in the reader's language
    book = load_workbook(
        io.BytesIO(body(client.get(reverse("stats:export_tickets", args=["xlsx"]), YEAR)))
    )
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == TICKET_COLUMNS
    assert sheet.max_row == 3

    figures = load_workbook(
        io.BytesIO(body(client.get(reverse("stats:export_tables", args=["xlsx"]), YEAR)))
    )
    assert {"by_month", "by_channel", "by_topic", "response_times", "backlog"} <= set(
        figures.sheetnames
    )
    channel = figures["by_channel"]
    assert [c.value for c in channel[3]][:3] == ["email", "E-mail", 1]


def test_the_aggregated_csv_is_one_long_table(client, cora, two_tickets):
    client.force_login(cora)
    text = body(client.get(reverse("stats:export_tables", args=["csv"]), YEAR)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["section", "table", "code", "label", "column", "value"]
    assert ["tickets", "by_channel", "sms", "Sms", "Number", "1"] in rows or any(
        r[:3] == ["tickets", "by_channel", "sms"] and r[5] == "1" for r in rows
    )


def test_spreadsheet_formulas_are_neutralised():
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("-1") == "'-1"
    assert safe_cell(-1) == -1
    assert safe_cell("Reception") == "Reception"


def test_volunteers_and_staff_cannot_export(client, vera, ines):
    for person in (vera, ines):
        client.force_login(person)
        assert client.get(reverse("stats:export_tickets", args=["csv"])).status_code == 403
    assert not ExportRecord.objects.exists()


def test_an_export_is_only_made_by_a_plain_link(client, cora):
    client.force_login(cora)
    assert client.post(reverse("stats:export_tickets", args=["csv"])).status_code == 405
    assert not ExportRecord.objects.exists()


def test_a_sheet_too_long_for_a_spreadsheet_is_refused_with_a_reason(
    client, cora, two_tickets, monkeypatch
):
    monkeypatch.setattr("helpdesk.stats.exports.XLSX_MAX_ROWS", 1)
    client.force_login(cora)
    response = client.get(reverse("stats:export_tickets", args=["xlsx"]), YEAR)
    assert response.status_code == 400
    assert "CSV" in response.content.decode()
    assert not ExportRecord.objects.exists()
