"""The migrated PostgreSQL test database, built once per code state and cloned for each pytest worker (issue 20).

On PostgreSQL every xdist worker used to migrate its own test database (``test_<name>_gw0``, ``_gw1``, …). Now
the first worker to get the file lock migrates a template database, ``test_<name>_tpl_<key>``, keyed like the
SQLite template (tests/sqlite_template.py: a hash of all code of the apps, the fixtures and Django's version),
and every worker, and every later run with the same key, gets its database with ``CREATE DATABASE … TEMPLATE``:
a file copy inside the server instead of running the migrations. Same schema, same rows, same migrations: only
who runs them changes. A template of an older key with the same name is dropped when a new one is built; the
workers' databases are dropped by pytest-django as before. ``--reuse-db`` runs and FII_TEST_DB_TEMPLATE=0 are
untouched.
"""

from __future__ import annotations

import fcntl
import os

from django.conf import settings
from django.core.management import call_command
from django.db.backends.postgresql.creation import DatabaseCreation

from .sqlite_template import DIRECTORY, _key

_original_create_test_db = DatabaseCreation.create_test_db


def template_name(test_name: str) -> str:
    """The template's name: the test database's name without the xdist suffix, plus the key (63 bytes at most)."""
    base = test_name.rsplit("_gw", 1)[0] if "_gw" in test_name else test_name
    return f"{base[:40]}_tpl_{_key()}"


def _exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def _build(creation: DatabaseCreation, name: str, verbosity: int) -> None:
    """Migrate a database under the template's name (as create_test_db does for a test database), then let go of
    it: a database with open connections cannot be copied."""
    settings_dict = creation.connection.settings_dict
    test_settings = settings_dict["TEST"]
    real_name, real_test_name = settings_dict["NAME"], test_settings.get("NAME")
    test_settings["NAME"] = name
    try:
        _original_create_test_db(creation, verbosity, autoclobber=True, keepdb=False)
    finally:
        creation.connection.close()
        settings_dict["NAME"] = real_name
        settings.DATABASES[creation.connection.alias]["NAME"] = real_name
        test_settings["NAME"] = real_test_name


def _create_test_db(self, verbosity=1, autoclobber=False, serialize=None, keepdb=False):
    test_name = self._get_test_db_name()
    if keepdb or not self.connection.settings_dict["TEST"].get("MIGRATE", True):
        return _original_create_test_db(self, verbosity, autoclobber, serialize, keepdb)
    template = template_name(test_name)
    quote = self.connection.ops.quote_name
    DIRECTORY.mkdir(exist_ok=True)
    with open(DIRECTORY / "pg-lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with self._nodb_cursor() as cursor:
            built = _exists(cursor, template)
        if not built:
            _build(self, template, verbosity)
            with self._nodb_cursor() as cursor:
                cursor.execute(
                    "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
                    [template.rsplit("_tpl_", 1)[0].replace("_", r"\_") + r"\_tpl\_%", template],
                )
                for (older,) in cursor.fetchall():
                    cursor.execute(f"DROP DATABASE IF EXISTS {quote(older)}")
        with self._nodb_cursor() as cursor:
            # What create_test_db does with autoclobber: an earlier run's database of this name goes first.
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(test_name)}")
            cursor.execute(f"CREATE DATABASE {quote(test_name)} TEMPLATE {quote(template)}")
    if verbosity >= 1:
        self.log(f"Created test database {test_name!r} from the template {template!r}.")
    self.connection.settings_dict["TEST"]["FII_TEMPLATE"] = template  # tests/test_db_templates.py reads it
    # What create_test_db does after migrating, with the copy in place of the migrations.
    self.connection.close()
    settings.DATABASES[self.connection.alias]["NAME"] = test_name
    self.connection.settings_dict["NAME"] = test_name
    if serialize:
        self.connection._test_serialized_contents = self.serialize_db_to_string()
    call_command("createcachetable", database=self.connection.alias)
    self.connection.ensure_connection()
    return test_name


def install() -> None:
    if os.environ.get("FII_TEST_DB_TEMPLATE", "1") != "0":
        DatabaseCreation.create_test_db = _create_test_db
