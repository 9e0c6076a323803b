"""Reads for subphase 5c: the training log, the professionals and their turnover per quarter."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils import timezone

from .models import (
    ProfessionalState,
    ProfessionalStateChange,
    TrainingKind,
    Trajectory,
)

__all__ = ["training_summary", "turnover"]


def turnover(trajectory: Trajectory, today: dt.date | None = None) -> list[dict]:
    """Professionals who left, counted per quarter, from the quarter of the first recorded state up to now.

    Quarters without departures are listed with 0, so the table reads as a time series. Empty when
    nobody has left yet.
    """
    changes = list(
        ProfessionalStateChange.objects.filter(professional__trajectory=trajectory).values_list(
            "changed_on", "to_state"
        )
    )
    left = Counter(_quarter(day) for day, state in changes if state == ProfessionalState.VERTROKKEN)
    if not left:
        return []
    first, last = min(_quarter(day) for day, _state in changes), _quarter(today or timezone.localdate())
    last = max(last, max(left))
    quarters, (year, quarter) = [], first
    while (year, quarter) <= last:
        quarters.append({"year": year, "quarter": quarter, "count": left[(year, quarter)]})
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return quarters


def _quarter(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def training_summary(trajectory: Trajectory) -> dict:
    activities = list(trajectory.training_activities.select_related("created_by"))
    professionals = list(trajectory.professionals.all())
    by_kind = Counter(a.kind for a in activities)
    by_state = Counter(p.state for p in professionals)
    return {
        "activities": activities,
        "professionals": professionals,
        "by_kind": [(label, by_kind[value]) for value, label in TrainingKind.choices],
        "by_state": [(value, label, by_state[value]) for value, label in ProfessionalState.choices],
        "active_count": sum(1 for p in professionals if p.state != ProfessionalState.VERTROKKEN),
        "turnover": turnover(trajectory),
    }
