"""Content types and permissions put back after a flush by copying rows, not by emitting post_migrate (issue 20).

A transactional test (every browser test: ``live_server``) ends with ``flush``, which empties every table and
then emits post_migrate; Django's receivers re-create the content types and permissions app by app, about 40
queries and 70 ms a test. Those receivers are the only ones in this project and they always write the same rows,
so the first flush of a worker emits the signal as before and keeps what it wrote; every later flush inserts
those rows again, ids included (so the content type cache stays right), with two bulk INSERTs. Should the signal
ever write other rows (a new receiver), the worker keeps emitting it. ``migrate`` is untouched.
FII_TEST_DB_TEMPLATE=0 switches this off with the database templates.
"""

from __future__ import annotations

import os

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.core.management.commands import flush
from django.db import connections
from django.db.models import Model

_original_emit = flush.emit_post_migrate_signal
# Per database alias: the rows post_migrate wrote after an empty database, or None when they are not only ours.
_rows: dict[str, list[Model] | None] = {}
COPIED = (ContentType, Permission)  # in this order: a permission points at its content type


def snapshot(db: str) -> list[Model] | None:
    """The rows post_migrate wrote into the just-flushed database, if they are all content types and permissions."""
    if any(model.objects.using(db).exists() for model in apps.get_models() if model not in COPIED):
        return None
    return [row for model in COPIED for row in model.objects.using(db).order_by("pk")]


def _emit_or_copy(verbosity: int, interactive: bool, db: str, **kwargs) -> None:
    rows = _rows.get(db)
    if rows is None:
        _original_emit(verbosity, interactive, db, **kwargs)
        if db not in _rows:
            _rows[db] = snapshot(db)
        return
    for model in COPIED:
        model.objects.using(db).bulk_create([row for row in rows if isinstance(row, model)])
    connection = connections[db]
    with connection.cursor() as cursor:  # PostgreSQL: the next new row must not take one of these ids
        for statement in connection.ops.sequence_reset_sql(no_style(), list(COPIED)):
            cursor.execute(statement)
    ContentType.objects.clear_cache()  # as create_contenttypes does


def install() -> None:
    if os.environ.get("FII_TEST_DB_TEMPLATE", "1") != "0":
        flush.emit_post_migrate_signal = _emit_or_copy  # type: ignore[assignment]
