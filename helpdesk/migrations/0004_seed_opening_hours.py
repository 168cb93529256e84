"""Opening hours for the seed queues; coordinators change them in Settings."""

from datetime import time

from django.db import migrations

HOURS = {
    # The info line: split shifts, Monday to Friday.
    "infolijn": [(day, time(9, 30), time(12, 30)) for day in range(5)]
    + [(day, time(13, 30), time(16, 30)) for day in range(5)],
    # The legal helpdesk: mornings Monday to Thursday.
    "legal-helpdesk": [(day, time(10, 0), time(12, 30)) for day in range(4)],
    "education": [(day, time(9, 0), time(17, 0)) for day in range(5)],
}


def seed(apps, schema_editor):
    Queue = apps.get_model("helpdesk", "Queue")
    OpeningHours = apps.get_model("helpdesk", "OpeningHours")
    for slug, rows in HOURS.items():
        queue = Queue.objects.filter(slug=slug).first()
        if queue is None or OpeningHours.objects.filter(queue=queue).exists():
            continue
        OpeningHours.objects.bulk_create(
            OpeningHours(queue=queue, weekday=day, opens=opens, closes=closes)
            for day, opens, closes in rows
        )


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0003_opening_hours")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
