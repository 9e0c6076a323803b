"""Writes that bypass model signals, and the one call that does what the signal receivers would have done.

``queryset.update()``, ``bulk_create()`` and ``bulk_update()`` send no ``post_save``, so neither the change
history (django-simple-history), nor the page cache's revision counter (``revisions.py``), nor the audit log
(``organisations/audit.py``) hears of them. A service that writes that way calls one function here instead of
those three. Which trajectory a row belongs to comes from ``structure.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Model

from organisations import audit

from . import revisions, structure
from .history import bulk_create_tracked, bulk_update_tracked, is_tracked, record_update

__all__ = ["bulk_create_recorded", "bulk_update_recorded", "update_recorded"]


def update_recorded(obj: Model, fields: Iterable[str], *, action: str = audit.Action.UPDATE, history: bool = True):
    """After a ``queryset.update()`` of ``obj``'s row (``obj`` as it is now): a history row (unless the service
    rewrites the history itself, as erasure does), the trajectory's revision and the audit event."""
    if history and is_tracked(type(obj)):
        record_update(obj)
    _after_write([obj], audited=[obj], fields=fields, action=action)


def bulk_create_recorded(model: type[Model], objs: Iterable[Model]) -> list[Model]:
    """``bulk_create`` with "created" history rows and the trajectory's revision. No audit event: bulk-created
    rows are derived from a recorded parent (a copied checklist, a review's items)."""
    created = bulk_create_tracked(model, objs)
    _after_write(created, audited=())
    return created


def bulk_update_recorded(
    model: type[Model], objs: Sequence[Model], fields: list[str], *, audited: Iterable[Model] = ()
) -> None:
    """``bulk_update`` with "changed" history rows, the trajectory's revision and an audit event for each of
    ``audited`` (the row the user acted on; its neighbours only moved along)."""
    bulk_update_tracked(model, objs, fields)
    _after_write(objs, audited=audited, fields=fields)


def _after_write(objs, *, audited: Iterable[Model], fields: Iterable[str] = (), action: str = audit.Action.UPDATE):
    objs = list(objs)
    if not objs:
        return
    model: type[Model] = type(objs[0])
    fks = structure.path(model) if structure.part_of(model) is not None else None
    if fks is not None and len(fks) == 1:  # one UPDATE for rows that point at their trajectory
        revisions.bump(*{getattr(obj, fks[0].attname) for obj in objs})
    else:
        for obj in objs:
            revisions.bump_for(obj)
    for obj in audited:
        audit.record(action, obj=obj, changed_fields=fields)
