# Issue 20: the trajectory's revision leaves the model for the page cache's own table (fii/cache_versions.py,
# scope "trajectory-revision"), with every number as it was, so no cached part comes back.

from django.db import migrations

# Plain SQL that PostgreSQL and SQLite both run, one statement per direction, so a large installation moves
# its numbers without loading a row into Python. (Kept in the migration, so a later change elsewhere cannot
# change what it does; organisations 0021 / trajectories 0029 hold the same function.)
def move(*, table: str, column: str, scope: str) -> migrations.RunPython:
    """Forward: copy every row's ``column`` into fii_cacheversion under ``scope`` (before the column is
    removed). Backward: write the numbers back into the column (just added again, 0 everywhere) and remove
    the scope's rows, so a later forward run starts from the column again."""

    def forward(apps, schema_editor):
        schema_editor.execute(
            f"INSERT INTO fii_cacheversion (scope, object_id, number) SELECT %s, id, {column} FROM {table}",
            [scope],
        )

    def backward(apps, schema_editor):
        schema_editor.execute(
            f"UPDATE {table} SET {column} = COALESCE((SELECT c.number FROM fii_cacheversion c "
            f"WHERE c.scope = %s AND c.object_id = {table}.id), 0)",
            [scope],
        )
        schema_editor.execute("DELETE FROM fii_cacheversion WHERE scope = %s", [scope])

    return migrations.RunPython(forward, backward, elidable=False)


class Migration(migrations.Migration):
    dependencies = [
        ("fii", "0001_initial"),
        ("trajectories", "0028_i22_finish_reviewitem_lights"),
    ]

    operations = [
        # Backward, the column is added again first (RemoveField reversed, default 0), then filled.
        move(table="trajectories_trajectory", column="revision", scope="trajectory-revision"),
        migrations.RemoveField(model_name="trajectory", name="revision"),
    ]

