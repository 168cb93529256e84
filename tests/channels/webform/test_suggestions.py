"""Knowledge-base suggestions opened from the form, and "answered by the knowledge base"."""

import uuid
from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from helpdesk.channels.webform.models import SuggestionOpen, SuggestionVisit
from helpdesk.channels.webform.selectors import kb_deflections
from helpdesk.channels.webform.services import MAX_OPENS_PER_VISIT
from helpdesk.services.clock import travel_to

from .conftest import served_token

pytestmark = pytest.mark.django_db

OPENED = "/ar/ask/opened/"


def opened(client, token, slug="dublin-procedure", language="ar"):
    return client.post(OPENED, {"form_token": token.encode(), "slug": slug, "language": language})


def test_an_opened_suggestion_is_recorded_once_without_personal_data(client):
    token = served_token()
    assert opened(client, token).status_code == 204
    assert opened(client, token).status_code == 204  # opened again: still one
    visit = SuggestionVisit.objects.get()
    assert visit.form_id == token.form_id
    assert visit.day == timezone.localdate(token.issued_at)
    assert (visit.language, visit.submitted) == ("ar", False)
    article = visit.opens.get()
    assert (article.article_slug, article.article_language) == ("dublin-procedure", "ar")
    # Nothing else is kept: no address, no time of day, no browser, no ticket.
    assert {f.name for f in SuggestionVisit._meta.get_fields()} == {
        "id",
        "form_id",
        "day",
        "language",
        "submitted",
        "opens",
    }
    assert {f.name for f in SuggestionOpen._meta.get_fields()} == {
        "id",
        "visit",
        "article_slug",
        "article_language",
    }


def test_the_beacon_needs_no_csrf_cookie_but_a_signed_page_token():
    strict = Client(enforce_csrf_checks=True)
    assert opened(strict, served_token()).status_code == 204
    response = strict.post(OPENED, {"form_token": "forged", "slug": "x", "language": "ar"})
    assert response.status_code == 400
    assert SuggestionOpen.objects.count() == 1


@pytest.mark.parametrize(
    ("slug", "language"),
    [("", "ar"), ("a b", "ar"), ("<script>", "ar"), ("ok", "xx"), ("x" * 201, "nl")],
)
def test_a_malformed_event_is_refused(client, slug, language):
    assert opened(client, served_token(), slug=slug, language=language).status_code == 400
    assert SuggestionOpen.objects.count() == 0


def test_one_visit_records_a_bounded_number_of_articles(client):
    token = served_token()
    for n in range(MAX_OPENS_PER_VISIT + 5):
        opened(client, token, slug=f"article-{n}")
    assert SuggestionOpen.objects.count() == MAX_OPENS_PER_VISIT


def test_sending_the_question_marks_the_visit_and_earlier_visits_of_the_tab(client, answers):
    earlier, this, stranger = served_token(), served_token(), served_token()
    for token in (earlier, this, stranger):
        opened(client, token)
    data = answers(form_token=this.encode())
    data["earlier_visits"] = [earlier.encode(), "forged-token"]
    assert client.post("/nl/ask/", data).status_code == 302
    submitted = set(
        SuggestionVisit.objects.filter(submitted=True).values_list("form_id", flat=True)
    )
    assert submitted == {earlier.form_id, this.form_id}


def test_an_article_opened_after_sending_counts_as_sent(client, answers):
    token = served_token()
    opened(client, token, slug="first")
    client.post("/nl/ask/", answers(form_token=token.encode()))
    opened(client, token, slug="second")
    assert SuggestionOpen.objects.count() == 2
    assert not SuggestionVisit.objects.filter(submitted=False).exists()


def record(day, language, form_id=None, submitted=False, slug="dublin"):
    visit, _created = SuggestionVisit.objects.get_or_create(
        form_id=form_id or uuid.uuid4(),
        defaults={"day": day, "language": language, "submitted": submitted},
    )
    visit.opens.create(article_slug=slug, article_language=language)
    return visit


def test_kb_deflections_count_visits_that_opened_an_article_and_sent_nothing():
    monday, tuesday = date(2026, 3, 2), date(2026, 3, 3)
    visit = uuid.uuid4()
    record(monday, "ar", visit, slug="dublin")
    record(monday, "ar", visit, slug="appeal")  # one visit, two articles: one answered person
    record(monday, "ar")
    record(monday, "ar", submitted=True)  # asked anyway
    record(monday, "nl")
    record(tuesday, "fa")
    with travel_to(timezone.make_aware(datetime(2026, 3, 10, 12))):
        rows = list(kb_deflections(start=monday, end=tuesday))
    assert rows == [
        {"day": monday, "language": "ar", "answered_by_kb": 2},
        {"day": monday, "language": "nl", "answered_by_kb": 1},
        {"day": tuesday, "language": "fa", "answered_by_kb": 1},
    ]


def test_kb_deflections_leave_out_days_whose_visits_can_still_send(settings):
    settings.WEBFORM_FORM_MAX_AGE_HOURS = 24
    now = timezone.make_aware(datetime(2026, 3, 10, 12))
    today = now.date()
    for days_ago in (0, 1, 2):
        record(today - timedelta(days=days_ago), "ar")
    with travel_to(now):
        days = [row["day"] for row in kb_deflections(start=today - timedelta(days=7), end=today)]
    assert days == [today - timedelta(days=2)]
