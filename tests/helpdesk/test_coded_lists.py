"""The ticket page keeps its translated lists in memory per version: never an outdated list."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import conditional_escape

from helpdesk.forms import ClassifyForm
from helpdesk.models import (
    CannedResponse,
    Channel,
    ListVersion,
    Outcome,
    Queue,
    ReferralOrganisation,
    Topic,
)
from helpdesk.selectors.lists import coded_lists

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def page(client, ticket) -> str:
    return client.get(reverse("helpdesk:ticket", args=[ticket.reference])).content.decode()


def option(value, label, selected=False) -> str:
    return f'<option value="{value}"{" selected" if selected else ""}>{label}</option>'


def test_a_renamed_topic_shows_its_new_name_at_once(client, ines, ticket):
    client.force_login(ines)
    dublin = Topic.objects.get(code="dublin")
    assert option(dublin.pk, dublin.name) in page(client, ticket)
    dublin.name_en = "Dublin transfers"
    dublin.save()
    assert option(dublin.pk, "Dublin transfers") in page(client, ticket)


def test_bulk_writes_change_the_lists_too(client, ines, ticket):
    client.force_login(ines)
    page(client, ticket)
    Topic.objects.filter(code="dublin").update(name_en="Dublin (bulk)")
    Outcome.objects.bulk_create([Outcome(code="new-outcome", name_en="A new outcome")])
    Queue.objects.filter(slug="education").update(name_en="Schools")
    body = page(client, ticket)
    assert "Dublin (bulk)" in body
    assert "A new outcome" in body
    assert "Schools" in body


def test_a_retired_entry_leaves_the_lists_but_stays_where_it_is_set(client, ines, ticket, topic):
    client.force_login(ines)
    dublin = Topic.objects.get(code="dublin")
    page(client, ticket)
    dublin.retire()
    topic.retire()  # the ticket's own topic
    body = page(client, ticket)
    assert option(dublin.pk, dublin.name) not in body
    assert option(topic.pk, topic.name, selected=True) in body


def test_a_deleted_entry_leaves_the_lists(client, ines, ticket):
    client.force_login(ines)
    unused = ReferralOrganisation.objects.create(code="gone", name_en="Gone soon")
    assert "Gone soon" in page(client, ticket)
    unused.delete()
    assert "Gone soon" not in page(client, ticket)


def test_the_labels_follow_the_readers_language(ines, ticket):
    lists = coded_lists()
    dublin = Topic.objects.get(code="dublin")
    labels = {}
    for language in ("en", "fr", "ar"):
        with translation.override(language):
            labels[language] = dict(
                ClassifyForm(ticket=ticket, lists=lists).fields["topics"].widget.choices
            )
            assert labels[language][str(dublin.pk)] == str(Topic.objects.get(pk=dublin.pk))
    assert labels["ar"] != labels["en"]


@translation.override("en")
def test_a_change_rolled_back_never_lends_its_lists_to_a_later_version(ines, ticket):
    dublin = Topic.objects.get(code="dublin")
    before = coded_lists().token
    seen = []

    def change_then_fail():
        with transaction.atomic():
            Topic.objects.filter(pk=dublin.pk).update(name_en="Never committed")
            # This caches the lists of the version that is about to be rolled back.
            seen.append(str(ClassifyForm(ticket=ticket)["topics"]))
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert "Never committed" in seen[0]
    assert coded_lists().token == before
    dublin.refresh_from_db()
    dublin.name_en = "Dublin, committed"
    dublin.save()
    rendered = str(ClassifyForm(ticket=ticket)["topics"])
    assert "Dublin, committed" in rendered
    assert "Never committed" not in rendered


def test_the_shown_options_are_what_the_querysets_would_show(ines, ticket, topic):
    """The cached choices give the same options, in the same order, as ModelChoiceIterator."""
    topic.retire()
    Topic.objects.get(code="dublin").retire()
    form = ClassifyForm(ticket=ticket)
    posted = ClassifyForm({}, ticket=ticket)  # a posted form has the validating querysets
    for name in ("queue", "topics", "requester_type", "language", "outcome", "referral"):
        field = posted.fields[name]
        expected = [(str(value), conditional_escape(label)) for value, label in field.choices]
        assert [(str(v), str(label)) for v, label in form.fields[name].widget.choices] == expected


def test_a_shown_page_reads_only_the_lists_version(client, ines, ticket):
    client.force_login(ines)
    page(client, ticket)
    with CaptureQueriesContext(connection) as queries:
        page(client, ticket)
    tables = " ".join(q["sql"] for q in queries)
    assert "helpdesk_listversion" in tables
    for table in ("helpdesk_topic", "helpdesk_outcome", "helpdesk_referralorganisation"):
        assert f'FROM "{table}"' not in tables


def test_without_a_version_row_the_lists_are_read_each_time(client, ines, ticket):
    ListVersion.objects.all().delete()
    client.force_login(ines)
    dublin = Topic.objects.get(code="dublin")
    page(client, ticket)
    Topic.objects.filter(pk=dublin.pk).update(name_en="Renamed")  # recreates the row
    assert "Renamed" in page(client, ticket)


def test_the_tickets_own_queue_and_language_come_from_the_lists_and_follow_a_rename(
    client, ines, ticket, infolijn
):
    client.force_login(ines)
    assert f"<bdi>{infolijn.name_en}</bdi>" in page(client, ticket)
    infolijn.name_en = "Info line (renamed)"
    infolijn.save()
    assert "<bdi>Info line (renamed)</bdi>" in page(client, ticket)


def test_each_request_gets_its_own_copy_of_a_cached_entry(ines, ticket, infolijn):
    lists = coded_lists()
    first = lists.instance(Queue, infolijn.pk)
    first.name_en = "changed by one request"
    second = lists.instance(Queue, infolijn.pk)
    assert second is not first
    assert second.name_en == infolijn.name_en


def test_canned_responses_are_offered_as_they_are_now(client, ines, ticket, infolijn, education):
    client.force_login(ines)
    here = CannedResponse.objects.create(
        queue=infolijn, shortcut="thanks", name_en="Thank you", body_en="Thanks."
    )
    CannedResponse.objects.create(queue=education, shortcut="school", name_en="School", body_en=".")
    everywhere = CannedResponse.objects.create(shortcut="hours", name_en="Hours", body_en=".")
    body = page(client, ticket)
    assert '<option value="thanks" label="Thank you">' in body
    assert '<option value="hours" label="Hours">' in body
    assert 'value="school"' not in body  # another queue's
    here.name_en = "Thanks a lot"
    here.save()
    CannedResponse.objects.filter(pk=everywhere.pk).update(is_active=False)
    body = page(client, ticket)
    assert '<option value="thanks" label="Thanks a lot">' in body
    assert 'value="hours"' not in body


def test_the_assignee_choices_come_from_the_cache_and_follow_every_change(
    ines, youssef, otto, infolijn
):
    from helpdesk.forms import AssignForm
    from helpdesk.models import User
    from helpdesk.services.tickets import ticket_create

    ticket = ticket_create(queue=infolijn, channel=Channel.PHONE, body="Dublin?")

    def shown(lists):
        return str(AssignForm(ticket=ticket, lists=lists)["assignee"])

    def from_database():
        return str(AssignForm(ticket=ticket)["assignee"])

    assert shown(coded_lists()) == from_database()
    with CaptureQueriesContext(connection) as queries:
        assert shown(coded_lists()) == from_database()
    assert len(queries) == 2  # the versions, and the form's own queryset for comparison

    changes = [
        lambda: setattr(youssef, "first_name", "Yusuf") or youssef.save(),
        lambda: User.objects.filter(pk=youssef.pk).update(first_name="Joe"),  # no signal
        lambda: User.objects.bulk_update([User(pk=youssef.pk, first_name="Jo")], ["first_name"]),
        lambda: infolijn.members.add(otto),
        lambda: otto.queues.remove(infolijn),
        lambda: User.objects.filter(pk=youssef.pk).update(is_active=False),
        lambda: User.objects.filter(pk=youssef.pk).update(is_active=True),
        lambda: setattr(youssef, "is_active", False) or youssef.save(),
        lambda: setattr(youssef, "is_active", True) or youssef.save(),
        lambda: youssef.delete(),
    ]
    for change in changes:
        before = shown(coded_lists())
        change()
        assert shown(coded_lists()) == from_database() != before


def test_the_staff_version_exists_from_the_migration_on(db):
    from helpdesk.models import ListVersion

    assert ListVersion.objects.filter(name=ListVersion.STAFF).exists()


def test_a_login_leaves_the_assignee_choices_cached(client, ines):
    from helpdesk.models import ListVersion

    before = ListVersion.objects.get(name=ListVersion.STAFF).token
    ines.set_password("a new long passphrase")
    ines.save(update_fields=["password"])
    client.force_login(ines)  # saves last_login
    assert ListVersion.objects.get(name=ListVersion.STAFF).token == before


def test_without_a_staff_version_the_timeline_names_only_its_own_people(ines, youssef):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from helpdesk.models import ListVersion

    ListVersion.objects.filter(name=ListVersion.STAFF).delete()
    lists = coded_lists()
    assert lists.staff_token is None
    with CaptureQueriesContext(connection) as queries:
        names = lists.people([ines.pk, None])
    assert names == {ines.pk: str(ines)}
    assert len(queries) == 1
    assert " WHERE " in queries[0]["sql"]  # those asked for, not every user
    assert lists.people([]) == {}
