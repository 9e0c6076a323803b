"""Give trajectories that were already completed or stopped a closing date.

Before this migration nobody recorded when the status changed. The best date there is, is ``updated_at``:
the status is one of the trajectory's own fields, so the last save is at or after the moment it was
closed. That makes the retention period start at the latest possible moment, never too early.
"""

from django.db import migrations
from django.db.models import F


def fill_closed_at(apps, schema_editor):
    Trajectory = apps.get_model("trajectories", "Trajectory")
    Trajectory.objects.filter(status__in=["afgerond", "gestopt"], closed_at__isnull=True).update(
        closed_at=F("updated_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("trajectories", "0009_history_archive_retention"),
    ]

    operations = [
        migrations.RunPython(fill_closed_at, migrations.RunPython.noop),
    ]
