import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpdesk.models import Channel, Language, Priority, RequesterType, Status, Ticket, Topic
from helpdesk.services.contacts import contact_find_or_create
from helpdesk.services.tickets import ticket_assign, ticket_create
from tests.factories import ContactFactory, MessageFactory, TicketFactory

pytestmark = pytest.mark.django_db
INBOX = reverse("helpdesk:inbox")


def refs(response):
    return [t.reference for t in response.context["page"].object_list]


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_volunteers_and_coordinators_get_no_inbox(client, vera, cora):
    for person in (vera, cora):
        client.force_login(person)
        assert client.get(INBOX).status_code == 403


def test_staff_see_only_their_queues(client, ines, otto, ticket, education):
    school = ticket_create(queue=education, channel=Channel.EMAIL, body="OKAN question")
    client.force_login(ines)
    assert refs(client.get(INBOX)) == [ticket.reference]
    client.force_login(otto)
    assert refs(client.get(INBOX)) == [school.reference]


def test_it_shows_open_work_unless_asked_otherwise(client, ines, infolijn):
    open_ticket = TicketFactory(status=Status.OPEN)
    closed = TicketFactory(status=Status.CLOSED)
    client.force_login(ines)
    assert refs(client.get(INBOX)) == [open_ticket.reference]
    assert refs(client.get(INBOX, {"status": "closed"})) == [closed.reference]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"channel": "sms"}, ["sms"]),
        ({"language": "ar"}, ["arabic"]),
        ({"requester_type": "lawyer"}, ["lawyer"]),
        ({"topic": "dublin"}, ["dublin"]),
        ({"assignee": "me"}, ["mine"]),
        ({"assignee": "none"}, ["sms", "arabic", "lawyer", "dublin"]),
    ],
)
def test_it_filters_by_url_parameters(client, ines, infolijn, params, expected):
    lawyer = RequesterType.objects.get(code="lawyer")
    tickets = {
        "sms": ticket_create(queue=infolijn, channel=Channel.SMS, body="sms"),
        "arabic": ticket_create(
            queue=infolijn,
            channel=Channel.EMAIL,
            body="arabic",
            language=Language.objects.get(code="ar"),
        ),
        "lawyer": ticket_create(
            queue=infolijn, channel=Channel.EMAIL, body="lawyer", requester_type=lawyer
        ),
        "dublin": ticket_create(
            queue=infolijn,
            channel=Channel.EMAIL,
            body="dublin",
            topics=[Topic.objects.get(code="dublin")],
        ),
        "mine": ticket_create(queue=infolijn, channel=Channel.EMAIL, body="mine"),
    }
    ticket_assign(ticket=tickets["mine"], actor=ines, assignee=ines)
    client.force_login(ines)
    # Lists use ids in the URL; translate the codes of this table into them.
    query = dict(params)
    if "requester_type" in query:
        query["requester_type"] = lawyer.pk
    if "topic" in query:
        query["topic"] = Topic.objects.get(code="dublin").pk
    response = client.get(INBOX, query)
    assert sorted(refs(response)) == sorted(tickets[name].reference for name in expected)


@pytest.mark.parametrize("query", ["IL-2026-000123", "2026-000123", "000123"])
def test_it_finds_a_ticket_by_its_reference(client, ines, query):
    wanted = TicketFactory(reference="IL-2026-000123", status=Status.OPEN)
    TicketFactory(reference="IL-2026-000124", status=Status.OPEN)
    client.force_login(ines)
    assert refs(client.get(INBOX, {"q": query})) == [wanted.reference]


def test_it_searches_names_emails_phones_and_message_text(client, ines, infolijn):
    by_phone = ticket_create(
        queue=infolijn,
        channel=Channel.SMS,
        body="hello",
        contact=contact_find_or_create(phone="0470123456"),
    )
    by_email = ticket_create(
        queue=infolijn,
        channel=Channel.EMAIL,
        body="hello",
        contact=contact_find_or_create(email="farid@example.org", name="Farid"),
    )
    by_text = ticket_create(
        queue=infolijn, channel=Channel.EMAIL, body="My Dublin transfer to Croatia"
    )
    client.force_login(ines)
    assert refs(client.get(INBOX, {"q": "0470 12 34 56"})) == [by_phone.reference]
    assert refs(client.get(INBOX, {"q": "farid@"})) == [by_email.reference]
    assert refs(client.get(INBOX, {"q": "Farid"})) == [by_email.reference]
    assert refs(client.get(INBOX, {"q": "croatia"})) == [by_text.reference]


def test_search_looks_in_closed_tickets_too(client, ines):
    closed = TicketFactory(status=Status.CLOSED, subject="Old Dublin question")
    client.force_login(ines)
    assert refs(client.get(INBOX, {"q": "Dublin"})) == [closed.reference]


def test_it_sorts_and_pages(client, ines, settings):
    settings.INBOX_PAGE_SIZE = 2
    made = [TicketFactory(status=Status.OPEN) for _ in range(5)]
    client.force_login(ines)
    first = client.get(INBOX, {"sort": "created"})
    assert refs(first) == [t.reference for t in made[:2]]
    third = client.get(INBOX, {"sort": "created", "page": 3})
    assert refs(third) == [made[4].reference]
    assert "sort=created" in first.content.decode()


def test_htmx_requests_get_only_the_results(client, ines, ticket):
    client.force_login(ines)
    response = client.get(INBOX, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="results"' in body
    assert "<html" not in body


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_inbox_query_count_does_not_grow_with_the_tickets_shown(client, ines, infolijn):
    dublin = Topic.objects.get(code="dublin")
    farsi = Language.objects.get(code="fa")
    for i in range(3):
        ticket_create(
            queue=infolijn,
            channel=Channel.EMAIL,
            body=f"q{i}",
            contact=contact_find_or_create(email=f"p{i}@example.org"),
            topics=[dublin],
            language=farsi,
        )
    client.force_login(ines)
    client.get(INBOX)  # the first request of a lists version reads the lists themselves
    few = _count_queries(client, INBOX)
    for i in range(20):
        ticket = ticket_create(
            queue=infolijn,
            channel=Channel.EMAIL,
            body=f"more{i}",
            contact=contact_find_or_create(email=f"more{i}@example.org"),
            topics=[dublin],
            language=farsi,
        )
        ticket_assign(ticket=ticket, actor=ines, assignee=ines)
    many = _count_queries(client, INBOX)
    assert many == few
    # session, user, second factor, permissions, lists version, queue memberships, assignee
    # choices, count, ids, rows, topics
    assert many == 11


def test_a_search_stops_counting_at_its_cap_and_says_so(client, ines, settings, monkeypatch):
    monkeypatch.setattr("helpdesk.selectors.inbox.SEARCH_COUNT", 3)
    settings.INBOX_PAGE_SIZE = 2
    made = [TicketFactory(status=Status.CLOSED, subject=f"Dublin {i}") for i in range(5)]
    newest_first = [t.reference for t in reversed(made)]
    client.force_login(ines)
    first = client.get(INBOX, {"q": "dublin"})
    assert refs(first) == newest_first[:2]
    assert first.context["page"].more
    body = first.content.decode()
    assert '<span class="count">3+</span>' in body
    assert "Page 1</span>" in body
    assert "page=2" in body
    # Paging past the cap counts as far as that page needs, and exactly once all are read.
    third = client.get(INBOX, {"q": "dublin", "page": 3})
    assert refs(third) == newest_first[4:]
    assert not third.context["page"].more
    assert '<span class="count">5</span>' in third.content.decode()
    assert "Page 3 of 3" in third.content.decode()


def test_a_search_under_its_cap_counts_exactly(client, ines):
    TicketFactory(status=Status.OPEN, subject="Dublin")
    TicketFactory(status=Status.OPEN, subject="Housing")
    client.force_login(ines)
    response = client.get(INBOX, {"q": "dublin"})
    assert not response.context["page"].more
    assert '<span class="count">1</span>' in response.content.decode()


def test_a_search_merges_its_parts_in_the_inbox_order_and_once(client, ines, settings):
    settings.INBOX_PAGE_SIZE = 3
    # Made oldest first: by subject, by contact, by message, and one found by all three.
    by_subject = TicketFactory(status=Status.CLOSED, subject="Transfer to Gorizia")
    by_contact = TicketFactory(status=Status.OPEN, contact=ContactFactory(organisation="Gorizia"))
    by_message = MessageFactory(body="They sent me to gorizia", ticket__status=Status.OPEN).ticket
    everywhere = TicketFactory(subject="Gorizia", contact=ContactFactory(name="Gorizia"))
    MessageFactory(ticket=everywhere, body="GORIZIA again")
    TicketFactory(status=Status.OPEN, subject="Housing")
    client.force_login(ines)
    first = client.get(INBOX, {"q": "gorizia"})
    assert refs(first) == [t.reference for t in (everywhere, by_message, by_contact)]
    assert first.context["page"].paginator.count == 4
    oldest = client.get(INBOX, {"q": "gorizia", "sort": "created"})
    assert refs(oldest) == [t.reference for t in (by_subject, by_contact, by_message)]
    second = client.get(INBOX, {"q": "gorizia", "page": 2, "sort": "created"})
    assert refs(second) == [everywhere.reference]
    by_reference = client.get(INBOX, {"q": "gorizia", "sort": "reference"})
    found = (by_subject, by_contact, by_message, everywhere)
    assert refs(by_reference) == sorted(t.reference for t in found)[:3]
    Ticket.objects.filter(pk=by_contact.pk).update(priority=Priority.URGENT)
    urgent_first = client.get(INBOX, {"q": "gorizia", "sort": "-priority"})
    assert refs(urgent_first) == [t.reference for t in (by_contact, everywhere, by_message)]


def test_postgresql_answers_the_search_from_trigram_indexes():
    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes exist on PostgreSQL only (migration 0010)")
    from helpdesk.models import Message

    # The index must be on the very expression Django writes for icontains, or it is never used.
    sql, params = (
        Message.objects.filter(body__icontains="dublin").values("pk").query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "message_body_trgm_idx" in plan


def test_rows_take_queue_language_and_topics_from_the_lists_retired_or_added_since(ines, infolijn):
    from helpdesk.models import ListVersion
    from helpdesk.selectors.inbox import inbox_rows
    from helpdesk.selectors.lists import coded_lists

    dublin, housing = Topic.objects.filter(code__in=["dublin", "housing"]).order_by("position")
    arabic = Language.objects.get(code="ar")
    # A version of this test's own: the lists it keeps go with its rollback, rather than stay
    # in the process under the version every test starts from (with the topic added below).
    ListVersion.bump()
    lists = coded_lists()
    for model, pk in [(Topic, dublin.pk), (Language, arabic.pk), (type(infolijn), infolijn.pk)]:
        lists.instance(model, pk)  # this version's entries are now read and kept
    lists.entries(Topic)  # and the topics' order
    brand_new = Topic.objects.create(code="new-topic", name="Brand new", position=0)
    first = ticket_create(
        queue=infolijn,
        channel=Channel.EMAIL,
        body="one",
        language=arabic,
        topics=[housing, brand_new, dublin],
    )
    second = ticket_create(queue=infolijn, channel=Channel.SMS, body="two")
    housing.retire()

    with CaptureQueriesContext(connection) as queries:
        rows = inbox_rows([second.pk, first.pk], lists)
        shown = [
            (t.reference, str(t.queue), str(t.language or ""), [str(x) for x in t.listed_topics])
            for t in rows
        ]
    assert shown == [
        (second.reference, str(infolijn), "", []),
        (
            first.reference,
            str(infolijn),
            str(arabic),
            [str(x) for x in sorted([housing, brand_new, dublin], key=lambda t: t.position)],
        ),
    ]
    assert shown[1][3][0] == "Brand new"  # position 0, read in its own query: not in the lists
    # rows, topic pairs, the one topic the lists lack; queue and language from the lists
    assert len(queries) == 3
