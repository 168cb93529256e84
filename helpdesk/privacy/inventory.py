"""What is personal data, column by column, and what pseudonymisation keeps.

This is the one place that says it: the pseudonymisation service clears exactly the REMOVED
columns, the statistics test compares exactly the KEPT ones before and after, and a test fails
when a core model gains a column that is in neither set, or when any app adds a model pointing at
a ticket, message, attachment or contact without saying here how its data is erased. So nobody
can add personal data that the retention forgets. docs/privacy.md describes the same in prose.
"""

# Ticket: the coded fields and timestamps the statistics count are kept; who and what is removed.
TICKET_KEPT = frozenset(
    {
        "id",
        "reference",  # a code (IL-2026-000123), so the audit log and merged links still resolve
        "queue",
        "channel",
        "language",
        "topics",
        "requester_type",
        "status",
        "priority",
        "assignee",  # staff, not the requester
        "outcome",
        "referral",
        "policy_signal",
        "merged_into",
        "related_to",
        "created_at",
        "updated_at",
        "first_response_at",
        "answered_at",
        "closed_at",
        "reopened_at",
        "reopen_count",
        "pseudonymised_at",
        "first_response_open_seconds",
        "resolution_open_seconds",
    }
)
TICKET_REMOVED = frozenset({"subject", "contact", "participants", "access_token"})

# Messages stay as rows (how many answers, by which channel, when, delivered or not) without words.
MESSAGE_KEPT = frozenset(
    {"id", "ticket", "direction", "channel", "author", "status", "created_at", "sent_at"}
)
MESSAGE_REMOVED = frozenset(
    {
        "body",
        "body_folded_at",  # where the quoted history starts in the body: goes with the body
        "status_detail",
        "external_id",
        "sender",
        "source_type",
        "source_id",
        "source",
    }
)

# Attachments are deleted, rows and files.
ATTACHMENT_REMOVED = frozenset(
    {"id", "message", "file", "filename", "content_type", "size", "sha256", "created_at"}
)

# A contact with no ticket left keeps only codes and dates.
CONTACT_KEPT = frozenset(
    {"id", "requester_type", "preferred_language", "created_at", "updated_at", "pseudonymised_at"}
)
CONTACT_REMOVED = frozenset({"name", "email", "phone", "organisation"})

# Events keep what happened and when; their data keeps only these keys per kind (codes and ids).
EVENT_KEPT = frozenset({"id", "ticket", "actor", "kind", "created_at"})
EVENT_SCRUBBED = frozenset({"data"})
EVENT_DATA_KEPT = {
    "created": {"channel"},
    "status": {"old", "new"},
    "assigned": {"old", "new"},
    "queue": {"old", "new"},
    "classified": {"field", "old", "new"},
    "merged_into": {"reference"},
    "merged_from": {"reference"},
    "linked": {"reference"},
    "token_revoked": set(),
    "delivery": {"status", "old", "new", "message"},
}
# Classification changes of these fields carried free text: only the field name stays.
EVENT_FREE_TEXT_FIELDS = {"subject"}

# Models outside the core that point at a ticket, message, attachment or contact, and how their
# personal data goes: the name of the registry entry that erases it (helpdesk.privacy.registry),
# or None with a reason when they hold none.
OTHER_HOLDERS: dict[str, str | None] = {
    # The raw mail, its subject and sender; the address of every mail we sent.
    "email_channel.inboundemail": "email.messages",
    "email_channel.outboundemail": "email.messages",
    # Caller and called numbers, recordings and their transcriptions, SMS/WhatsApp payloads.
    "twilio_channel.call": "twilio.calls_and_messages",
    "twilio_channel.inboundmessage": "twilio.calls_and_messages",
    "twilio_channel.outboundmessage": "twilio.calls_and_messages",
    "twilio_channel.recording": "twilio.calls_and_messages",
    # Outgoing webhook deliveries hold the ticket's id, reference and status/channel codes, and
    # the first 500 characters of the receiver's answer: no personal data. They are deleted after
    # WEBHOOK_DELIVERY_RETENTION_DAYS (helpdesk.api.tasks.prune_webhook_deliveries).
    "api.webhookdelivery": None,
    # A random form-page id and when it was sent: no personal data; forgotten after a day and
    # deleted with its ticket.
    "webform.sentform": None,
}


def scrub_event_data(kind: str, data: dict) -> dict:
    """The event's data with only codes and ids left."""
    keep = EVENT_DATA_KEPT.get(kind, set())
    scrubbed = {key: value for key, value in (data or {}).items() if key in keep}
    if kind == "classified" and scrubbed.get("field") in EVENT_FREE_TEXT_FIELDS:
        scrubbed = {"field": scrubbed["field"]}
    return scrubbed
