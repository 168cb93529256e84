"""Trigram indexes for the inbox search on PostgreSQL (nothing on SQLite).

The search is `icontains`, which Django writes on PostgreSQL as
`UPPER("column"::text) LIKE UPPER('%word%')`: no b-tree can answer that, so at a million tickets
every search read all four million messages (about 3 s a query). pg_trgm's GIN indexes on that
very expression let PostgreSQL find the candidate rows from the word's trigrams; the indexed
expression must be the one Django writes, or the planner will not use it. They are not model
indexes because SQLite has neither the extension nor GIN (and SQLite's LIKE is not slow enough
on an embedded desk's data to matter). Built CONCURRENTLY so a deploy on a live desk does not
block incoming messages while four million bodies are indexed.
"""

from django.db import migrations

INDEXES = [
    ("message_body_trgm_idx", "helpdesk_message", "body"),
    ("ticket_subject_trgm_idx", "helpdesk_ticket", "subject"),
    ("ticket_reference_trgm_idx", "helpdesk_ticket", "reference"),
    ("contact_name_trgm_idx", "helpdesk_contact", "name"),
    ("contact_email_trgm_idx", "helpdesk_contact", "email"),
    ("contact_organisation_trgm_idx", "helpdesk_contact", "organisation"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )
    # ANALYZE gathers statistics on the indexed expressions, so that the planner can tell a
    # common word (walk the tickets in the inbox's order) from a rare one (use these indexes)
    # at once rather than after autovacuum next analyzes four million messages.
    for table in sorted({table for _name, table, _column in INDEXES}):
        schema_editor.execute(f'ANALYZE "{table}"')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"')


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("helpdesk", "0009_list_version"),
    ]

    operations = [
        migrations.RunPython(create, drop, atomic=False),
    ]
