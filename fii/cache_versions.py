"""The version numbers the caches key their entries on, kept in a table of the cache's own.

A cached entry's key holds the version of what it shows: the page parts of a trajectory hold the trajectory's
*revision* (``trajectories/revisions.py`` raises it on every write to the trajectory or anything on its pages),
a user's memberships and portfolio filter hold the user's *access version* (``organisations/access.py``). A write
raises the number; the next request reads the new one and so asks for a new key. Nothing is ever invalidated.

Why a table of its own instead of a column on ``Trajectory`` and ``User`` (issue 20): a counter on the model
made the model serve the cache. Its ``save()`` had to write ``SET revision = revision`` instead of its own
value (an instance loaded before a raise would otherwise put the older number back and bring back what was
cached under it), export, audit and history had to leave it out, and every reader of the model wondered what
it meant. Here the models know nothing of it.

Why one table for both counters rather than one per counter: the rules are the same (raise in the writer's
transaction, read with the page's rows, a missing row is version 0), so one upsert and one read are all the
code there is; a ``scope`` column tells them apart, and the unique index on ``(scope, object_id)`` serves both
the upsert and the read. Per-counter tables would have allowed a foreign key with ``ON DELETE CASCADE``; here
the row of a deleted trajectory or user stays behind, harmless (ids are never used again: PostgreSQL sequences,
SQLite ``AUTOINCREMENT``), and small.

Correctness:

- **The raise** is one ``INSERT … SELECT … ON CONFLICT (scope, object_id) DO UPDATE SET number = number + 1``
  (PostgreSQL and SQLite ≥ 3.24) over the ids of the objects that still exist, in the writer's transaction:
  the new number becomes visible with the data it stands for, never before.
- **A missing row** reads as 0 (``Coalesce``), and the first raise inserts 1. A row is never deleted while its
  object exists, so an object's number only ever goes up: 0 (no row), 1, 2, … A key made with an older
  number is never asked for again. (The data migrations that moved the counters here copied every number.)
- **A read costs no statement of its own**: :func:`number` is a subquery for ``annotate()`` on the query the
  page runs anyway (``tests/test_cache_versions.py`` checks the statement counts). :func:`current` is the
  one-statement read for the rare caller that has no such query.
"""

from __future__ import annotations

from django.db import connections, router
from django.db.models import BigIntegerField, F, Model, OuterRef, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from .models import CacheVersion


def number(scope: str, object_id: str = "pk") -> Coalesce:
    """The version of the object whose id is in ``object_id`` of the outer query, 0 when it has no row:
    ``Trajectory.objects.annotate(revision=number(REVISION))``."""
    found = CacheVersion.objects.filter(scope=scope, object_id=OuterRef(object_id)).values("number")[:1]
    return Coalesce(Subquery(found), Value(0), output_field=BigIntegerField())


def number_of_row(scope: str, model: type[Model]) -> RawSQL:
    """:func:`number` for a query of ``model``'s own table, of the row it reads: the same value, as raw SQL
    naming the outer table (so the query must not join that table a second time). For the access version read
    with the session's user on every request, where building and compiling the subquery's queryset cost about
    0.5 ms of CPU per request (``bench/light_change.py``; see :func:`total`)."""
    connection = connections[router.db_for_read(CacheVersion)]
    quote = connection.ops.quote_name
    outer = f"{quote(model._meta.db_table)}.{quote(model._meta.pk.column)}"
    sql = (
        f"COALESCE((SELECT {quote('number')} FROM {quote(CacheVersion._meta.db_table)} "
        f"WHERE {quote('scope')} = %s AND {quote('object_id')} = {outer}), 0)"
    )
    return RawSQL(sql, (scope,), output_field=BigIntegerField())


def total(scope: str, ids_sql: str, ids_params: tuple = ()) -> RawSQL:
    """The sum of the versions of the objects whose ids the SQL ``ids_sql`` selects (one column; it may refer to
    the outer query's table by name), 0 when none has a row; for ``annotate()``, like :func:`number`.

    Why a sum keys an entry made of several objects: every number only goes up, so any raise raises the sum.
    Two different sets of objects may have equal sums, so the key must name the set as well.

    Raw SQL, not a ``Subquery`` of querysets: it is read with the session's user on every request
    (``organisations/notices.py``), and building and compiling the nested querysets cost about 1 ms of CPU per
    request (``bench/page_profile.py``: the baseline's 1.9 → 2.8 ms), this string next to nothing."""
    table, quote = CacheVersion._meta.db_table, connections[router.db_for_read(CacheVersion)].ops.quote_name
    sql = (
        f"COALESCE((SELECT SUM({quote('number')}) FROM {quote(table)} WHERE {quote('scope')} = %s "
        f"AND {quote('object_id')} IN ({ids_sql})), 0)"
    )
    return RawSQL(sql, (scope, *ids_params), output_field=BigIntegerField())


def current(scope: str, object_id: int) -> int:
    """One object's version, in one statement (0 when it has no row)."""
    found = CacheVersion.objects.filter(scope=scope, object_id=object_id).values_list("number", flat=True).first()
    return found or 0


def raise_for(scope: str, objects: QuerySet) -> None:
    """Raise the version of every object in ``objects`` (a queryset of the owning model; only its ids are
    read, in the same statement), inserting 1 for an object without a row. One statement; nothing when
    ``objects`` is empty."""
    ids = objects.order_by().values(cache_object_id=F("pk")).distinct()
    inner, params = ids.query.sql_with_params()
    table = CacheVersion._meta.db_table
    connection = connections[router.db_for_write(CacheVersion)]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(table)} ({quote('scope')}, {quote('object_id')}, {quote('number')}) "
        f"SELECT %s, ids.cache_object_id, 1 FROM ({inner}) AS ids WHERE 1 = 1 "  # WHERE: SQLite's upsert needs one
        f"ON CONFLICT ({quote('scope')}, {quote('object_id')}) "
        f"DO UPDATE SET {quote('number')} = {quote(table)}.{quote('number')} + 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (scope, *params))


def raise_ids(scope: str, model: type[Model], ids: list[int]) -> None:
    """:func:`raise_for` for objects known by id: the same statement (only the ids of ``model`` rows that still
    exist are raised), its text made from the table's name instead of compiling a queryset. A write on the
    meeting's hot path raises its trajectory's revision this way (issue 21, ``bench/light_change.py``)."""
    if not ids:
        return
    table, pk = model._meta.db_table, model._meta.pk.column
    connection = connections[router.db_for_write(CacheVersion)]
    quote = connection.ops.quote_name
    version_table = CacheVersion._meta.db_table
    placeholders = ", ".join(["%s"] * len(ids))
    sql = (
        f"INSERT INTO {quote(version_table)} ({quote('scope')}, {quote('object_id')}, {quote('number')}) "
        f"SELECT %s, {quote(pk)}, 1 FROM {quote(table)} WHERE {quote(pk)} IN ({placeholders}) "
        f"ON CONFLICT ({quote('scope')}, {quote('object_id')}) "
        f"DO UPDATE SET {quote('number')} = {quote(version_table)}.{quote('number')} + 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (scope, *ids))
