"""What the statistics can read, captured so it can be compared before and after pseudonymisation.

Each snapshot is a function returning plain data; test_statistics_unchanged compares every one.
When the statistics selectors exist (helpdesk.stats), add a snapshot calling their summary for
the years the generated tickets span, e.g. `lambda: stats_summary(year=...)`: one line in
SNAPSHOTS, and the proof extends to the real annual report.
"""

from django.db.models import Avg, Count, Max, Min, Sum
from django.db.models.functions import ExtractYear

from helpdesk.models import Message, Ticket, TicketEvent, TicketTopic
from helpdesk.privacy.inventory import MESSAGE_KEPT, TICKET_KEPT, scrub_event_data

# Kept fields that pseudonymisation itself sets.
CHANGED_ON_PURPOSE = {"pseudonymised_at"}


def _concrete(model, names):
    fields = []
    for name in sorted(names - CHANGED_ON_PURPOSE):
        field = model._meta.get_field(name)
        if field.concrete and not field.many_to_many:
            fields.append(field.attname)
    return fields


def coded_fields():
    """Every kept column of every ticket, and its topics."""
    columns = _concrete(Ticket, TICKET_KEPT)
    rows = {row["id"]: row for row in Ticket.objects.values(*columns)}
    for ticket_id, topic_id in TicketTopic.objects.values_list("ticket_id", "topic_id"):
        rows[ticket_id].setdefault("topics", []).append(topic_id)
    for row in rows.values():
        row["topics"] = sorted(row.get("topics", []))
    return rows


def messages_without_words():
    """Every message's kept columns: how many answers, by which channel, when, delivered."""
    columns = _concrete(Message, MESSAGE_KEPT)
    return list(Message.objects.order_by("pk").values_list(*columns))


def event_trail():
    """Every event, with the data that is codes (what scrubbing keeps)."""
    return [
        (pk, ticket_id, actor_id, kind, created_at, scrub_event_data(kind, data))
        for pk, ticket_id, actor_id, kind, created_at, data in TicketEvent.objects.order_by(
            "pk"
        ).values_list("pk", "ticket_id", "actor_id", "kind", "created_at", "data")
    ]


def report_figures():
    """The kind of figures the annual report counts, aggregated in the database."""
    base = Ticket.objects.filter(merged_into__isnull=True).annotate(year=ExtractYear("created_at"))
    dimensions = [
        "channel",
        "queue_id",
        "language_id",
        "requester_type_id",
        "outcome_id",
        "referral_id",
        "policy_signal",
        "status",
    ]
    figures = {
        dimension: sorted(
            base.values("year", dimension)
            .annotate(n=Count("pk"))
            .values_list("year", dimension, "n"),
            key=repr,
        )
        for dimension in dimensions
    }
    figures["topics"] = sorted(
        TicketTopic.objects.values("topic_id").annotate(n=Count("pk")).values_list("topic_id", "n")
    )
    figures["times"] = base.aggregate(
        first=Avg("first_response_open_seconds"),
        resolution=Avg("resolution_open_seconds"),
        reopened=Sum("reopen_count"),
        earliest=Min("created_at"),
        latest=Max("closed_at"),
    )
    figures["messages"] = sorted(
        Message.objects.values("direction", "channel", "status")
        .annotate(n=Count("pk"))
        .values_list("direction", "channel", "status", "n")
    )
    return figures


SNAPSHOTS = [coded_fields, messages_without_words, event_trail, report_figures]
