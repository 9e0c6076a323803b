import uuid

from django.db import migrations, models


def give_every_trajectory_a_key(apps, schema_editor):
    Trajectory = apps.get_model("trajectories", "Trajectory")
    for pk in Trajectory.objects.values_list("pk", flat=True):
        Trajectory.objects.filter(pk=pk).update(export_key=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("trajectories", "0010_trajectory_closed_at_from_updated_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="trajectory",
            name="export_key",
            field=models.UUIDField(editable=False, null=True, verbose_name="export key"),
        ),
        migrations.RunPython(give_every_trajectory_a_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="trajectory",
            name="export_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="export key"),
        ),
    ]
