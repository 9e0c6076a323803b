"""Optimistic locking for rows that several people may edit at once.

A form carries the row's version number as the user loaded it. The save only lands when the row
still has that version; otherwise :class:`StaleEdit` holds the current row, so the page can show
what the colleague changed while keeping what this user typed.
"""

from __future__ import annotations

from django.db.models import F

from fii.lib.conflicts import StaleEdit, counter_name

from ..writes import update_recorded

__all__ = ["StaleEdit", "differing", "save_versioned"]


def differing(obj, values: dict) -> dict:
    """The entries of ``values`` that differ from ``obj``: what an edit form really changes, so the audit
    log names only those (the version is raised all the same). ``obj`` must be the row as saved, not a
    model form's instance (validating the form writes the input onto it)."""
    result = {}
    for name, value in values.items():
        field = obj._meta.get_field(name)
        if field.is_relation:
            if getattr(obj, field.attname) != getattr(value, "pk", value):
                result[name] = value
        elif getattr(obj, name) != value:
            result[name] = value
    return result


def save_versioned(model, obj, expected_version: int | None, **values) -> None:
    """Write ``values`` only if nobody saved the row since ``expected_version`` was read."""
    counter = counter_name(model)
    rows = model.objects.filter(pk=obj.pk)
    if expected_version is not None:
        rows = rows.filter(**{counter: expected_version})
    if not rows.update(**{counter: F(counter) + 1}, **values):
        raise StaleEdit(model.objects.get(pk=obj.pk), values)
    obj.refresh_from_db()
    update_recorded(obj, values)  # update() sends no signal: history, revision and audit log hear of it here
