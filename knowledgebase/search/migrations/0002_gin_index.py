from django.db import migrations


def create_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS kbsearch_searchdocument_vector_gin "
            "ON kbsearch_searchdocument USING gin (vector)"
        )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS kbsearch_searchdocument_vector_gin")


class Migration(migrations.Migration):
    dependencies = [("kbsearch", "0001_initial")]

    operations = [migrations.RunPython(create_gin_index, drop_gin_index)]
