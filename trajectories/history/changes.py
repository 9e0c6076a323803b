"""Turn history rows into what the history page shows: when, who, and field by field what changed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Bookkeeping that the row's "when" and "who" already say, or that only counts edits.
HIDDEN_FIELDS = {"id", "version", "updated_at", "updated_by", "created_by"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: dt.datetime
    who: str
    kind: str
    changes: list[FieldChange] = field(default_factory=list)


KIND_LABELS = {"+": gettext_lazy("Created"), "~": gettext_lazy("Changed"), "-": gettext_lazy("Deleted")}


def _fields(model) -> list[models.Field]:
    """The fields the history keeps (``excluded_fields`` of a model's HistoricalRecords are not in it)."""
    history = getattr(model, model._meta.simple_history_manager_attribute).model
    kept = {f.attname for f in history._meta.concrete_fields}
    return [f for f in model._meta.concrete_fields if f.name not in HIDDEN_FIELDS and f.attname in kept]


def _related_names(rows, fields) -> dict[tuple[type, object], str]:
    """One query per related model for every foreign key value on the page."""
    wanted = defaultdict(set)
    for f in fields:
        if f.is_relation:
            for row in rows:
                value = getattr(row, f.attname)
                if value is not None:
                    wanted[f.related_model].add(value)
    names = {}
    for model, ids in wanted.items():
        for pk, obj in model._default_manager.in_bulk(ids).items():
            names[(model, pk)] = str(obj)
    return names


def _display(f: models.Field, value, names) -> str:
    if value is None or value == "":
        return "—"
    if f.is_relation:
        return names.get((f.related_model, value), _("(removed)"))
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return formats.date_format(value.astimezone(), "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(formats.localize(value))


def history_entries(model, rows: list) -> list[Entry]:
    """``rows`` are one object's history rows, oldest first; the entries come back newest first."""
    fields = _fields(model)
    names = _related_names(rows, fields)
    entries = []
    previous = None
    for row in rows:
        who = row.history_user.get_full_name() if row.history_user else _("the system")
        entry = Entry(when=row.history_date, who=who, kind=str(KIND_LABELS.get(row.history_type, KIND_LABELS["~"])))
        if row.history_type != "-":
            for f in fields:
                new = getattr(row, f.attname)
                old = getattr(previous, f.attname) if previous is not None else None
                if previous is not None and old == new:
                    continue
                if previous is None and new in (None, ""):
                    continue
                entry.changes.append(
                    FieldChange(
                        label=capfirst(str(f.verbose_name)),
                        old=_display(f, old, names) if previous is not None else "",
                        new=_display(f, new, names),
                    )
                )
        entries.append(entry)
        previous = row
    entries.reverse()
    return entries
