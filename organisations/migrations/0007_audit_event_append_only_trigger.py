"""On PostgreSQL the database itself refuses UPDATE and DELETE of audit events (no-op on SQLite).

TRUNCATE is not refused: the test runner empties tables with it, and it needs the table owner's rights.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION organisations_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'organisations_auditevent is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER organisations_auditevent_append_only
    BEFORE UPDATE OR DELETE ON organisations_auditevent
    FOR EACH ROW EXECUTE FUNCTION organisations_auditevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS organisations_auditevent_append_only ON organisations_auditevent;
DROP FUNCTION IF EXISTS organisations_auditevent_append_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no placeholders: the % belongs to RAISE

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0006_audit_event"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False),
    ]
