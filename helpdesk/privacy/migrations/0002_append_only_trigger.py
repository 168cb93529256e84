"""On PostgreSQL, refuse UPDATE and DELETE of audit entries and rights requests at the database,
except a DELETE inside the retention job's transaction, which sets infolijn.audit_prune locally
(helpdesk/privacy/models/append_only.py). Defence in depth: the application never updates or
deletes these rows otherwise, and now a bug or a stray shell command cannot either.

Not on SQLite: the test suite's flush between transactional tests deletes row by row there.
"""

from django.db import migrations

TABLES = ["privacy_auditentry", "privacy_privacyrequest"]

FUNCTION = """
CREATE OR REPLACE FUNCTION privacy_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('infolijn.audit_prune', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)  # its % are RAISE placeholders, not ours
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION privacy_append_only()"
        )


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS privacy_append_only()")


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_audit_retention_requests")]

    operations = [migrations.RunPython(install, uninstall)]
