"""django-simple-history as the models use it: ``HistoricalRecords`` whose history manager class is built once.

simple-history's ``HistoryDescriptor`` answers every ``instance.history_records`` (and so every save of a tracked
model, which reads it to find the history model) with ``HistoryManager.from_queryset(HistoricalQuerySet)``: a new
class each time, whose creation walks the queryset class's members with ``inspect`` (about 0.3 ms of the light
change, ``bench/light_change.py``). The class it builds depends on nothing but its two arguments, so here it is
built once per pair and reused; the manager instance is still new on every access, bound to that instance.
"""

from __future__ import annotations

import functools

from simple_history import manager, models


class HistoryManager(manager.HistoryManager):
    """simple-history's manager; :meth:`from_queryset` returns the same class for the same arguments."""

    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class, class_name=None):
        return super().from_queryset(queryset_class, class_name)


class HistoricalRecords(models.HistoricalRecords):
    """``simple_history.models.HistoricalRecords`` with :class:`HistoryManager` as its default manager."""

    def __init__(self, *args, history_manager=HistoryManager, **kwargs):
        super().__init__(*args, history_manager=history_manager, **kwargs)
