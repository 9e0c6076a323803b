"""Change history of the domain models (django-simple-history), and what it does not cover.

Every model of the trajectories and organisations apps has ``history_records = HistoricalRecords()``, except:

- append-only rows that are history themselves: every ``AppendOnlyModel`` (``PhaseTransition``,
  ``SupportChange``, ``TeamChange``, ``CandidateStatusChange``, ``ProfessionalStateChange``,
  ``MethodVersion``, ``ReviewEvent``, ``ReportRecord``); they are written once and never changed;
- rows that are immutable parts of such a row or of a tracked parent, written once with it and never
  changed by any code path: ``ActiveComponent`` (of a ``MethodVersion``), ``FidelityItem`` (a copy of
  the components in a tracked ``FidelityChecklist``) and ``FidelityScore`` (the answers of a tracked
  ``FidelityObservation``);
- ``User`` (holds the password hash and session epoch; memberships are tracked) and ``CalendarToken``
  (a secret).

simple-history listens to ``post_save``/``post_delete`` and so does not see ``bulk_create`` or
``queryset.update()``. Code that writes that way records history itself through the helpers below (one
INSERT per changed row, or one bulk INSERT for a bulk write). ``seed_scale`` (benchmarks) bulk-inserts
history rows itself, in the proportions real use leaves them (its ``UPDATES_PER_ROW``).
Many-to-many fields (participants, review attendees) are not part of the history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

__all__ = ["bulk_create_tracked", "bulk_update_tracked", "is_tracked", "record_update"]


def is_tracked(model) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


def record_update(obj) -> None:
    """One "changed" history row for ``obj`` as it is now, after a ``queryset.update()``."""
    type(obj).history_records.bulk_history_create([obj], update=True)


def bulk_create_tracked(model, objs: Iterable) -> list:
    """``bulk_create`` plus one bulk INSERT of "created" history rows."""
    return bulk_create_with_history(list(objs), model)


def bulk_update_tracked(model, objs: Sequence, fields: list[str]) -> None:
    bulk_update_with_history(list(objs), model, fields)
