# The page cache's own table of version numbers (fii/cache_versions.py, issue 20).

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="CacheVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("scope", models.CharField(max_length=40)),
                ("object_id", models.PositiveBigIntegerField()),
                ("number", models.PositiveBigIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("scope", "object_id"), name="cacheversion_unique_object")
                ],
            },
        ),
    ]
