"""Which objects have a history page, and how each is scoped to its trajectory.

A URL names the object by a slug and its primary key; the slug maps to the model and to a filter that
ties its history rows to the trajectory in the URL. Both come from the declaration of the trajectory
(``trajectories/structure.py``: a part's or an outside model's ``history`` slug, and its path). Because the
filter runs on the history rows, the history of a deleted object stays visible, and an object of another
trajectory answers 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, Q

from .. import structure


@dataclass(frozen=True)
class Tracked:
    model: type[Model]
    scope: Callable[..., Q]  # the trajectory → its rows of ``model`` (current and history)


def _scope_of(model: type[Model]) -> Callable[..., Q]:
    return lambda trajectory: structure.scope(model, trajectory.pk)


REGISTRY: dict[str, Tracked] = {
    entry.history: Tracked(entry.model, _scope_of(entry.model))
    for entry in (*structure.parts(), *structure.OUTSIDE)
    if entry.history
}


SLUG_OF = {tracked.model: slug for slug, tracked in REGISTRY.items()}
