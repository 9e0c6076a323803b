"""Migrations on seeded data: back to before phase 2 and forward again, with the data kept and refilled."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# Slow on SQLite, which rebuilds every altered table: .ci/run runs it once, in its PostgreSQL pass
# (`make test` runs it too; `-m "not migrations"` leaves it out).
pytestmark = pytest.mark.migrations

BEFORE_PHASE_2 = [("trajectories", "0003_report_records")]


def migrate_to(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest():
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] in ("trajectories", "organisations")]


@pytest.mark.django_db(transaction=True)
def test_backward_and_forward_on_demo_data(settings):
    settings.DEBUG = True
    call_command("load_fii_data", stdout=io.StringIO())

    def count(table):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")
            return cursor.fetchone()[0]

    kept = {table: count(table) for table in ("trajectories_trajectory", "trajectories_review", "trajectories_action")}
    assert count("trajectories_candidate") > 0
    migrate_to(BEFORE_PHASE_2)
    tables = connection.introspection.table_names()
    assert "trajectories_candidate" not in tables and "trajectories_stakeholder" not in tables
    assert {table: count(table) for table in kept} == kept  # the older data is untouched
    migrate_to(latest())
    assert {table: count(table) for table in kept} == kept
    # The data migration gave every assigned action its assignee's organisation again.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM trajectories_action WHERE assignee_id IS NOT NULL AND organisation_id IS NULL"
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT count(*) FROM trajectories_action WHERE organisation_id IS NOT NULL")
        assert cursor.fetchone()[0] > 0
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())
