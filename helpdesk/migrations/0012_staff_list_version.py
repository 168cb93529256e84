import uuid

from django.db import migrations

import helpdesk.models.user


def staff_token(apps, schema_editor):
    # The users already exist: give the assignee lists a version, so the ticket page can cache
    # them at once (otherwise only after the first user is saved).
    apps.get_model("helpdesk", "ListVersion").objects.update_or_create(
        name="staff", defaults={"token": uuid.uuid4().hex}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0011_inbox_order_indexes"),
    ]

    operations = [
        # Its queryset's bulk writes change that version too (models/user.py).
        migrations.AlterModelManagers(
            name="user",
            managers=[
                ("objects", helpdesk.models.user.StaffUserManager()),
            ],
        ),
        migrations.RunPython(staff_token, migrations.RunPython.noop),
    ]
