"""Triggers that mark the days whose counted tickets changed (helpdesk.stats.models.TicketChange).

Triggers rather than Django signals: they also see bulk_create, QuerySet.update() and changes made
outside Django, so the rollup can never silently go stale. Each mark is the UTC hour in which the
changed ticket was created; NULL marks every day (a topic's "is a question" flag changed).

The columns watched are those the rollup counts (helpdesk.stats.refresh.COUNTED_FIELDS): a change
of any other column (a reply's updated_at, the assignee, the subject) leaves no mark.
"""

from django.db import migrations

WATCHED = [
    "created_at",
    "queue_id",
    "channel",
    "requester_type_id",
    "language_id",
    "outcome_id",
    "referral_id",
    "first_response_at",
    "closed_at",
    "first_response_open_seconds",
    "resolution_open_seconds",
    "reopen_count",
    "policy_signal",
    "merged_into_id",
]

PG_HOUR = "date_trunc('hour', {} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"

POSTGRESQL = [
    f"""
    CREATE FUNCTION stats_ticket_rows_marked() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO stats_ticketchange (hour)
        SELECT DISTINCT {PG_HOUR.format("created_at")} FROM stats_rows;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION stats_ticket_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO stats_ticketchange (hour) VALUES ({PG_HOUR.format("OLD.created_at")});
        IF TG_OP = 'UPDATE' AND NEW.created_at IS DISTINCT FROM OLD.created_at THEN
            INSERT INTO stats_ticketchange (hour) VALUES ({PG_HOUR.format("NEW.created_at")});
        END IF;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION stats_topic_rows_marked() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO stats_ticketchange (hour)
        SELECT DISTINCT {PG_HOUR.format("t.created_at")}
        FROM stats_rows r JOIN helpdesk_ticket t ON t.id = r.ticket_id;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION stats_topic_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO stats_ticketchange (hour)
        SELECT {PG_HOUR.format("created_at")} FROM helpdesk_ticket
        WHERE id IN (OLD.ticket_id, NEW.ticket_id);
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION stats_question_flag_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO stats_ticketchange (hour) VALUES (NULL);
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER stats_ticket_inserted AFTER INSERT ON helpdesk_ticket
    REFERENCING NEW TABLE AS stats_rows FOR EACH STATEMENT
    EXECUTE FUNCTION stats_ticket_rows_marked()
    """,
    "CREATE TRIGGER stats_ticket_updated AFTER UPDATE ON helpdesk_ticket FOR EACH ROW WHEN ("
    + " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in WATCHED)
    + ") EXECUTE FUNCTION stats_ticket_row_changed()",
    """
    CREATE TRIGGER stats_ticket_deleted AFTER DELETE ON helpdesk_ticket
    FOR EACH ROW EXECUTE FUNCTION stats_ticket_row_changed()
    """,
    """
    CREATE TRIGGER stats_topics_inserted AFTER INSERT ON helpdesk_tickettopic
    REFERENCING NEW TABLE AS stats_rows FOR EACH STATEMENT
    EXECUTE FUNCTION stats_topic_rows_marked()
    """,
    """
    CREATE TRIGGER stats_topics_deleted AFTER DELETE ON helpdesk_tickettopic
    REFERENCING OLD TABLE AS stats_rows FOR EACH STATEMENT
    EXECUTE FUNCTION stats_topic_rows_marked()
    """,
    """
    CREATE TRIGGER stats_topics_updated AFTER UPDATE ON helpdesk_tickettopic
    FOR EACH ROW EXECUTE FUNCTION stats_topic_row_changed()
    """,
    """
    CREATE TRIGGER stats_question_flag_changed AFTER UPDATE ON helpdesk_topic FOR EACH ROW
    WHEN (OLD.is_question IS DISTINCT FROM NEW.is_question)
    EXECUTE FUNCTION stats_question_flag_changed()
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS stats_ticket_inserted ON helpdesk_ticket",
    "DROP TRIGGER IF EXISTS stats_ticket_updated ON helpdesk_ticket",
    "DROP TRIGGER IF EXISTS stats_ticket_deleted ON helpdesk_ticket",
    "DROP TRIGGER IF EXISTS stats_topics_inserted ON helpdesk_tickettopic",
    "DROP TRIGGER IF EXISTS stats_topics_deleted ON helpdesk_tickettopic",
    "DROP TRIGGER IF EXISTS stats_topics_updated ON helpdesk_tickettopic",
    "DROP TRIGGER IF EXISTS stats_question_flag_changed ON helpdesk_topic",
    "DROP FUNCTION IF EXISTS stats_ticket_rows_marked()",
    "DROP FUNCTION IF EXISTS stats_ticket_row_changed()",
    "DROP FUNCTION IF EXISTS stats_topic_rows_marked()",
    "DROP FUNCTION IF EXISTS stats_topic_row_changed()",
    "DROP FUNCTION IF EXISTS stats_question_flag_changed()",
]

# SQLite stores datetimes as UTC text "YYYY-MM-DD HH:MM:SS[.ffffff]"; it has only row triggers.
SQ_HOUR = "strftime('%Y-%m-%d %H:00:00', {})"
SQLITE = [
    f"""
    CREATE TRIGGER stats_ticket_inserted AFTER INSERT ON helpdesk_ticket BEGIN
        INSERT INTO stats_ticketchange (hour) VALUES ({SQ_HOUR.format("NEW.created_at")});
    END
    """,
    "CREATE TRIGGER stats_ticket_updated AFTER UPDATE ON helpdesk_ticket WHEN "
    + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in WATCHED)
    + f""" BEGIN
        INSERT INTO stats_ticketchange (hour) VALUES ({SQ_HOUR.format("OLD.created_at")});
        INSERT INTO stats_ticketchange (hour) VALUES ({SQ_HOUR.format("NEW.created_at")});
    END
    """,
    f"""
    CREATE TRIGGER stats_ticket_deleted AFTER DELETE ON helpdesk_ticket BEGIN
        INSERT INTO stats_ticketchange (hour) VALUES ({SQ_HOUR.format("OLD.created_at")});
    END
    """,
    f"""
    CREATE TRIGGER stats_topics_inserted AFTER INSERT ON helpdesk_tickettopic BEGIN
        INSERT INTO stats_ticketchange (hour)
        SELECT {SQ_HOUR.format("created_at")} FROM helpdesk_ticket WHERE id = NEW.ticket_id;
    END
    """,
    f"""
    CREATE TRIGGER stats_topics_deleted AFTER DELETE ON helpdesk_tickettopic BEGIN
        INSERT INTO stats_ticketchange (hour)
        SELECT {SQ_HOUR.format("created_at")} FROM helpdesk_ticket WHERE id = OLD.ticket_id;
    END
    """,
    f"""
    CREATE TRIGGER stats_topics_updated AFTER UPDATE ON helpdesk_tickettopic BEGIN
        INSERT INTO stats_ticketchange (hour)
        SELECT {SQ_HOUR.format("created_at")} FROM helpdesk_ticket
        WHERE id IN (OLD.ticket_id, NEW.ticket_id);
    END
    """,
    """
    CREATE TRIGGER stats_question_flag_changed AFTER UPDATE ON helpdesk_topic
    WHEN OLD.is_question IS NOT NEW.is_question BEGIN
        INSERT INTO stats_ticketchange (hour) VALUES (NULL);
    END
    """,
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "stats_ticket_inserted",
        "stats_ticket_updated",
        "stats_ticket_deleted",
        "stats_topics_inserted",
        "stats_topics_deleted",
        "stats_topics_updated",
        "stats_question_flag_changed",
    )
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError("The statistics triggers exist for PostgreSQL and SQLite only.")
        # No params: the SQL carries % signs (strftime) that must reach the database unchanged.
        with schema_editor.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    return run


def mark_everything(apps, schema_editor):
    """Tickets already stored are counted from the tickets until the first refresh rolls them up."""
    apps.get_model("stats", "TicketChange").objects.create(hour=None)


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0006_stats_indexes"),
        ("stats", "0002_day_counts"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP}),
        ),
        migrations.RunPython(mark_everything, migrations.RunPython.noop),
    ]
