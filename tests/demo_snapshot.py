"""The demo data, loaded once per test session and copied into each test that asks for it.

``load_fii_data`` replays months of reviews through the real services (history, audit log, revision
counter included) and takes seconds; a dozen tests only read what it leaves behind. So the session loads it
once, inside a transaction, reads every row it wrote straight from the tables, and rolls back: the database
is empty again for the tests that expect an empty one. A test that asks for ``demo_data`` gets the same rows
back with a few bulk INSERTs in its own transaction, which rolls back with the test like any other data.

Tests that are about the loader itself (run twice, without DEBUG, with a broken file) still call it.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test.utils import override_settings


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]


def _row_counts(tables: list[str]) -> dict[str, int]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {quote(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


class _Rollback(Exception):
    pass


def _load_demo() -> None:
    call_command("load_fii_data", "--accounts", stdout=io.StringIO())


def take(build: Callable[[], object] = _load_demo) -> list[Table]:
    """Run ``build`` (by default: load the demo with its accounts) and return every row it wrote; the database is
    left as it was. Other fixed worlds that many tests share are taken the same way (tests/test_permissions.py)."""
    tables = sorted(connection.introspection.table_names())
    quote = connection.ops.quote_name
    snapshot: list[Table] = []
    try:
        with transaction.atomic():
            before = _row_counts(tables)
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                build()
            after = _row_counts(tables)
            for table in tables:
                if after[table] == before[table]:
                    continue
                if before[table]:
                    # Rows of migrations or reference data the loader added to: they cannot be told apart from
                    # the ones that were there, so the copy would be wrong. Fail loudly instead.
                    raise RuntimeError(f"the demo loader wrote to {table}, which was not empty before")
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT * FROM {quote(table)}")
                    columns = tuple(col[0] for col in cursor.description)
                    snapshot.append(Table(table, columns, tuple(cursor.fetchall())))
            raise _Rollback
    except _Rollback:
        pass
    return snapshot


def restore(snapshot: list[Table]) -> None:
    """Insert the rows of ``take()`` in the current transaction (foreign keys are checked at commit, which
    never comes: the test rolls back), then move the id sequences past them (PostgreSQL)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in snapshot:
            columns = ", ".join(quote(c) for c in table.columns)
            marks = ", ".join(["%s"] * len(table.columns))
            cursor.executemany(f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})", table.rows)
        names = {table.name for table in snapshot}
        from django.apps import apps

        models = [model for model in apps.get_models(include_auto_created=True) if model._meta.db_table in names]
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
