"""Backup and restore drill on PostgreSQL: pg_dump -Fc, pg_restore into an empty database, same row counts."""

import io
import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from fii.management.commands.restore_database import conninfo_for, row_counts

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="backups use pg_dump: run with DATABASE_URL=postgresql://…"
)


@pytest.fixture
def empty_database():
    name = f"fii_restore_drill_{uuid.uuid4().hex[:8]}"
    admin = conninfo_for("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_backup_restores_with_identical_row_counts(tmp_path, settings, empty_database):
    settings.DEBUG = True  # the demo accounts too, so users and memberships are in the drill
    call_command("load_fii_data", stdout=io.StringIO())
    backup = tmp_path / "fii.dump"
    out = io.StringIO()
    call_command("backup_database", str(backup), stdout=out)
    assert backup.stat().st_size > 10_000
    out = io.StringIO()
    call_command("restore_database", str(backup), target=empty_database, compare=True, stdout=out)
    assert "row counts identical" in out.getvalue()
    counts = row_counts(conninfo_for(empty_database))
    assert counts["trajectories_trajectory"] == 7 and counts["trajectories_review"] > 40


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    call_command("backup_database", str(tmp_path / "fii.dump"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore_database", str(tmp_path / "fii.dump"), target=connection.settings_dict["NAME"])
