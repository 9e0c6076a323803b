"""The migrated test database is built once per code state and copied for each worker (tests/sqlite_template.py,
tests/pg_template.py)."""

import pytest
from django.db import connection

from . import pg_template, sqlite_template


@pytest.mark.parametrize("test_name", ["test_fii_i20", "test_fii_i20_gw0", "test_fii_i20_gw13"])
def test_all_workers_share_one_template_name_within_postgres_limits(test_name):
    name = pg_template.template_name(test_name)
    assert name == f"test_fii_i20_tpl_{sqlite_template._key()}"
    assert len(name.encode()) <= 63


def test_template_name_of_a_long_database_name_fits_postgres():
    assert len(pg_template.template_name("test_" + "x" * 70 + "_gw1").encode()) <= 63


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only (.ci/run)")
def test_postgres_test_database_was_copied_from_the_template(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        (current,) = cursor.fetchone()
        template = pg_template.template_name(current)
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        assert cursor.fetchone() is not None, f"no template for {current}"
    assert connection.settings_dict["TEST"].get("FII_TEMPLATE") == template, "migrated, not copied"


@pytest.mark.skipif(not sqlite_template.tables_from_models(), reason="SQLite without FII_MIGRATION_TESTS only")
def test_sqlite_test_database_is_made_from_the_models_not_the_migrations(db):
    """Replaying the migrations cost half a minute of CPU per code change; the PostgreSQL pass runs them."""
    from django.db.migrations.recorder import MigrationRecorder

    assert connection.settings_dict["TEST"]["MIGRATE"] is False
    assert not MigrationRecorder(connection).applied_migrations(), "the SQLite test database was migrated"
