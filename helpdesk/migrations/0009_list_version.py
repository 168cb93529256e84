import uuid

from django.db import migrations, models


def first_token(apps, schema_editor):
    # The lists already exist: give them a version, so the ticket page can cache them at once.
    apps.get_model("helpdesk", "ListVersion").objects.create(
        name="coded-lists", token=uuid.uuid4().hex
    )


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0008_public_names"),
    ]

    operations = [
        migrations.CreateModel(
            name="ListVersion",
            fields=[
                ("name", models.CharField(max_length=50, primary_key=True, serialize=False)),
                ("token", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(first_token, migrations.RunPython.noop),
    ]
