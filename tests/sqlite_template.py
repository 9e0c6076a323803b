"""The migrated SQLite test database, built once per machine and copied into each pytest worker (issue 20).

Every xdist worker used to run all migrations into its own in-memory database (minutes of CPU on a loaded
2-core machine). Now the first worker to get the file lock migrates as before and backs its database up into a
file under the temporary directory, keyed by a hash of everything that decides its contents (migrations,
fixtures, models, Django's version); every other worker, and every later run with the same key, copies that
file into its in-memory database with SQLite's backup API. Same schema, same rows, same migrations: only who
runs them changes. PostgreSQL has its own template (tests/pg_template.py); ``--reuse-db`` runs are untouched.
FII_TEST_DB_TEMPLATE=0 switches both off.

On SQLite the template's tables are made from the models (``TEST["MIGRATE"] = False``, Django's syncdb), not by
running the migrations: replaying 100 migrations spends half a minute of CPU rebuilding the migration state, on
every code change, before any test runs. That is safe because no migration adds rows of its own (every
``RunPython`` converts existing rows; the one ``RunSQL``, the audit trigger, is PostgreSQL's), and
``makemigrations --check`` in ``make test`` proves the models and the migrations describe the same schema. The
migrations themselves run where they matter: the PostgreSQL pass of ``.ci/run`` builds its template by migrating,
and migrates seeded data back and forward (``tests/test_migrations.py``). ``FII_MIGRATION_TESTS=1`` (running those
tests on SQLite) migrates here too.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import pickle
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

import django
from django.conf import settings
from django.core.management import call_command
from django.db.backends.sqlite3.creation import DatabaseCreation

ROOT = Path(__file__).resolve().parent.parent
DIRECTORY = Path(tempfile.gettempdir()) / "fii-test-db"


def _key() -> str:
    digest = hashlib.sha256(django.get_version().encode())
    digest.update(repr(settings.INSTALLED_APPS).encode())
    digest.update(os.environ.get("CACHE_URL", "").encode())
    digest.update(repr(settings.DATABASES["default"].get("TEST", {}).get("MIGRATE", True)).encode())
    # All code of the apps, not only models and migrations: a data migration may call a helper module, and
    # post_migrate receivers write rows too. A change anywhere builds a new template once.
    files = [
        *(p for app in ("fii", "organisations", "trajectories") for p in (ROOT / app).rglob("*.py")),
        *(p for p in ROOT.glob("fixtures/**/*") if p.is_file()),
    ]
    for path in sorted(files):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_original_create_test_db = DatabaseCreation.create_test_db


def _create_test_db(self, verbosity=1, autoclobber=False, serialize=None, keepdb=False):
    test_name = self._get_test_db_name()
    if keepdb or not self.is_in_memory_db(test_name):
        return _original_create_test_db(self, verbosity, autoclobber, serialize, keepdb)
    DIRECTORY.mkdir(exist_ok=True)
    template = DIRECTORY / f"{self.connection.alias}-{_key()}.sqlite3"
    with open(DIRECTORY / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            name = _original_create_test_db(self, verbosity, autoclobber, serialize, keepdb)
            self.connection.ensure_connection()
            partial = template.with_suffix(f".{os.getpid()}.part")
            target = sqlite3.connect(partial)
            self.connection.connection.backup(target)
            target.close()
            os.replace(partial, template)
            return name
    # What create_test_db does after migrating, with the copy in place of the migrations.
    self.connection.close()
    settings.DATABASES[self.connection.alias]["NAME"] = test_name
    self.connection.settings_dict["NAME"] = test_name
    self.connection.ensure_connection()
    source = sqlite3.connect(template)
    source.backup(self.connection.connection)
    source.close()
    if serialize:
        self.connection._test_serialized_contents = self.serialize_db_to_string()
    call_command("createcachetable", database=self.connection.alias)
    return test_name


def shared_rows(take: Callable[[], list]) -> list:
    """The demo data's rows (tests/demo_snapshot.py), taken by the first worker and read from a file by the
    others: loading the demo replays months of reviews, the same rows for every worker of the same code on the
    same day (the demo's dates are relative to today, so the day is part of the key). Only where a template is
    in use (this one, or tests/pg_template.py on PostgreSQL: the same rows come out of the same template)."""
    if not _active():
        return take()
    DIRECTORY.mkdir(exist_ok=True)
    from django.db import connection

    path = DIRECTORY / f"demo-{connection.vendor}-{_key()}-{dt.date.today().isoformat()}.pickle"
    with open(DIRECTORY / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            return pickle.loads(path.read_bytes())
        rows = take()
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(pickle.dumps(rows))
        os.replace(partial, path)
        return rows


def _active() -> bool:
    from django.db import connection

    if connection.vendor == "postgresql":  # copied from the template of tests/pg_template.py
        return bool(connection.settings_dict["TEST"].get("FII_TEMPLATE"))
    return (
        DatabaseCreation.create_test_db is _create_test_db
        and connection.vendor == "sqlite"
        and connection.creation.is_in_memory_db(connection.settings_dict["NAME"])
    )


def tables_from_models() -> bool:
    """Whether the SQLite test database is made from the models instead of the migrations (see the docstring)."""
    return settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and not os.environ.get("FII_MIGRATION_TESTS")


def install() -> None:
    if tables_from_models():
        settings.DATABASES["default"].setdefault("TEST", {})["MIGRATE"] = False
    if os.environ.get("FII_TEST_DB_TEMPLATE", "1") != "0":
        DatabaseCreation.create_test_db = _create_test_db
