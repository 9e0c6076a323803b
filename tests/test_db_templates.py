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


def _post_migrate_rows() -> tuple[set, set]:
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    return (
        set(ContentType.objects.values_list("app_label", "model")),
        set(Permission.objects.values_list("content_type__app_label", "content_type__model", "codename", "name")),
    )


@pytest.mark.django_db(transaction=True)
def test_a_flush_puts_back_the_rows_post_migrate_writes():
    """tests/flush_rows.py: after the first flush of a worker, the copied rows stand in for post_migrate's."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command

    from . import flush_rows

    call_command("flush", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)  # the second one copies, whatever the first did
    assert flush_rows._rows["default"], "the worker emits post_migrate on every flush"
    copied = _post_migrate_rows()
    assert ContentType.objects.get_for_model(ContentType).pk == ContentType.objects.get(model="contenttype").pk

    ContentType.objects.all().delete()  # and the permissions with them
    flush_rows._original_emit(0, False, "default")
    assert _post_migrate_rows() == copied
    assert len(copied[0]) > 40 and len(copied[1]) > 150, copied
