"""Subphase statuses follow the work (issue 19).

A subphase that is "niet gestart" becomes "bezig" as soon as something is recorded in its tools; the services that
record that work call :func:`subphases_follow_work` for their phase. The status is stored, not only computed on
read, because every page, report, export and portfolio that shows a subphase reads the stored state, and
computing the work of six phases on every read would cost some twenty queries per page.

"afgerond" is never set here: the phase page suggests it when the tools hold what the completion asks, and the
team confirms (``subphase_update``). A skipped subphase stays skipped: skipping is the team's decision too.
"""

from __future__ import annotations

from django.utils import timezone

from ..models import Progress, SubphaseState, Trajectory
from ..selectors_phases import subphase_work

__all__ = ["subphases_follow_work"]


def subphases_follow_work(*, trajectory: Trajectory, by, phase: str) -> list[str]:
    """Mark the subphases of ``phase`` with recorded work "bezig" where they are still "niet gestart".

    Returns the codes it changed. Each change is a saved row, so the history says who started it and when.
    """
    waiting = {
        state.subphase: state
        for state in SubphaseState.objects.filter(trajectory=trajectory, status=Progress.NIET_GESTART)
    }
    work = subphase_work(trajectory, phase)
    changed = []
    now = timezone.now()
    for code, found in work.items():
        state = waiting.get(code)
        if state is None or not found["recorded"]:
            continue
        state.status, state.updated_by, state.updated_at = Progress.BEZIG, by, now
        state.save(update_fields=["status", "updated_by", "updated_at"])
        changed.append(code)
    return changed
