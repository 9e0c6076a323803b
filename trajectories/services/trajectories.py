"""Writes that touch several models. Each runs in one transaction and records who did it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Field
from django.utils import timezone

from fii.model import PHASE_ORDER, PHASES, Phase, Subphase
from organisations.models import Organisation

from .. import review_schedule
from ..history import bulk_create_tracked
from ..models import Assignment, PhaseState, PhaseTransition, Progress, SubphaseState, Trajectory
from ..selectors_phases import format_open_points, phase_open_points
from .checklists import checklist_copy_from_template
from .sharing import persons_detach_unshared
from .subphases import subphases_follow_work
from .versioning import StaleEdit, differing, save_versioned

__all__ = [
    "TransitionError",
    "assignment_update",
    "subphase_update",
    "trajectory_create",
    "trajectory_move",
    "trajectory_update",
]


class TransitionError(ValueError):
    pass


@transaction.atomic
def trajectory_create(
    *,
    owner: Organisation,
    by,
    title: str,
    has_commissioner: bool,
    receiving_identified: bool,
    start_phase: str,
    override_reason: str = "",
    intervention_name: str = "",
    commissioner: str = "",
    receiving_organisation: Organisation | None = None,
    participants: Iterable[Organisation] = (),
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    at: dt.datetime | None = None,
) -> Trajectory:
    """Create a trajectory at its start point (figure 2): earlier phases are marked skipped.

    The start phase gets its stoplight checklist from the owner's template.

    ``at`` backdates the start (demo data and imports); it defaults to now.
    """
    now = at or timezone.now()
    trajectory = Trajectory.objects.create(
        owner=owner,
        title=title,
        intervention_name=intervention_name,
        commissioner=commissioner,
        receiving_organisation=receiving_organisation,
        start_date=start_date or timezone.localdate(),
        end_date=end_date,
        has_commissioner=has_commissioner,
        receiving_identified=receiving_identified,
        start_phase=start_phase,
        start_override_reason=override_reason,
        current_phase=start_phase,
        created_by=by,
    )
    trajectory.participants.set(participants)

    start_number = PHASE_ORDER[start_phase]
    phase_states: list[PhaseState] = []
    subphase_states: list[SubphaseState] = []
    for spec in PHASES:
        if spec.number < start_number:
            status = Progress.OVERGESLAGEN
        elif spec.number == start_number:
            status = Progress.BEZIG
        else:
            status = Progress.NIET_GESTART
        phase_states.append(
            PhaseState(
                trajectory=trajectory,
                phase=spec.code,
                status=status,
                started_at=now if status == Progress.BEZIG else None,
            )
        )
        sub_status = Progress.OVERGESLAGEN if status == Progress.OVERGESLAGEN else Progress.NIET_GESTART
        subphase_states.extend(
            SubphaseState(trajectory=trajectory, subphase=sub.code, status=sub_status) for sub in spec.subphases
        )
    bulk_create_tracked(PhaseState, phase_states)
    bulk_create_tracked(SubphaseState, subphase_states)
    Assignment.objects.create(trajectory=trajectory, updated_by=by)
    checklist_copy_from_template(trajectory=trajectory, phase=start_phase, by=by)
    PhaseTransition.objects.create(
        trajectory=trajectory,
        from_phase="",
        to_phase=start_phase,
        to_status_before=Progress.NIET_GESTART,
        reason=override_reason,
        created_by=by,
        created_at=now,
    )
    subphases_follow_work(trajectory=trajectory, by=by, phase=Phase.SIGNALEREN)  # a commissioner is 1a's work
    review_schedule.sync([trajectory.pk])  # the first review counts from the start phase's start
    return trajectory


@transaction.atomic
def trajectory_move(
    *,
    trajectory: Trajectory,
    by,
    reason: str,
    to_phase: str | None,
    complete_current: bool = False,
    completion_note: str = "",
    open_points_confirmed: bool = False,
    at: dt.datetime | None = None,
) -> PhaseTransition:
    """Move the trajectory to another phase (forward or back), optionally completing the current one.

    With ``to_phase`` empty and ``complete_current`` set, the current phase is completed and the
    trajectory stays where it is (the last phase, or a pause before deciding what comes next).

    Completing a phase whose checklist still has red, orange or unassessed items needs the team's explicit
    ``open_points_confirmed``; those items are then recorded in the transition (``open_points``).
    """
    if not reason.strip():
        raise TransitionError("A reason is required.")
    from_phase = trajectory.current_phase
    target = to_phase or from_phase
    if target not in Phase.values:
        raise TransitionError(f"Unknown phase {target!r}.")
    if target == from_phase and not complete_current:
        raise TransitionError("Choose another phase or complete the current one.")

    states = {s.phase: s for s in PhaseState.objects.select_for_update().filter(trajectory=trajectory)}
    now = at or timezone.now()
    leaving = states[from_phase]
    open_points = phase_open_points(trajectory, from_phase) if complete_current else []
    if open_points and not open_points_confirmed:
        raise TransitionError("The checklist of this phase has open points; confirm them to complete it.")
    if complete_current:
        leaving.status = Progress.AFGEROND
        leaving.completion_note = completion_note
        leaving.completed_at = now
        leaving.save(update_fields=["status", "completion_note", "completed_at"])

    entering = states[target]
    to_status_before = entering.status
    if target != from_phase:
        entering.status = Progress.BEZIG
        entering.started_at = entering.started_at or now
        entering.completed_at = None
        entering.save(update_fields=["status", "started_at", "completed_at"])
        trajectory.current_phase = target
        trajectory.save_changes("current_phase")
        review_schedule.sync([trajectory.pk])  # before the first review, it counts from the phase's start
        checklist_copy_from_template(trajectory=trajectory, phase=target, by=by)

    return PhaseTransition.objects.create(
        trajectory=trajectory,
        from_phase=from_phase,
        from_status=leaving.status,
        to_phase=target,
        to_status_before=to_status_before,
        open_points=format_open_points(open_points),
        reason=reason.strip(),
        created_by=by,
        created_at=now,
    )


def subphase_update(
    *,
    trajectory: Trajectory,
    subphase: str,
    by,
    status: str,
    notes: str,
    at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> SubphaseState:
    """Save a subphase's status and notes; with ``expected_version`` (the edit form) only if nobody saved it
    since the form was opened, else :class:`StaleEdit`."""
    if subphase not in Subphase.values:
        raise ValueError(f"Unknown subphase {subphase!r}.")
    state = SubphaseState.objects.get(trajectory=trajectory, subphase=subphase)
    save_versioned(
        SubphaseState,
        state,
        expected_version,
        status=status,
        notes=notes,
        updated_by=by,
        updated_at=at or timezone.now(),
    )
    return state


@transaction.atomic
@transaction.atomic
def assignment_update(
    *,
    trajectory: Trajectory,
    by,
    commissioner: str,
    fields: dict,
    expected_version: int | None = None,
    trajectory_version: int | None = None,
) -> Assignment:
    """Save phase 1: the commissioner lives on the trajectory, the rest on its assignment. With
    ``expected_version`` (the edit form) only if nobody saved the assignment since, else :class:`StaleEdit`;
    with ``trajectory_version`` the commissioner is written only if nobody saved the trajectory since either
    (a commissioner that stays as it is needs no check, so a phase move in between refuses nothing)."""
    current = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    writes_commissioner = current.commissioner != commissioner
    if writes_commissioner and trajectory_version is not None and current.version != trajectory_version:
        raise StaleEdit(current, ["commissioner"])
    assignment = Assignment.objects.get(trajectory=trajectory)
    changes = differing(assignment, fields)
    save_versioned(Assignment, assignment, expected_version, updated_by=by, updated_at=timezone.now(), **changes)
    if writes_commissioner:
        trajectory.commissioner = commissioner
        trajectory.save_changes("commissioner")
    subphases_follow_work(trajectory=trajectory, by=by, phase="signaleren")
    return assignment


def _differs(current: Trajectory, name: str, value) -> bool:
    field = Trajectory._meta.get_field(name)
    if isinstance(field, Field) and field.is_relation:  # compare ids: no query for the related row
        return getattr(current, field.attname) != getattr(value, "pk", value)
    return getattr(current, name) != value


@transaction.atomic
def trajectory_update(
    *,
    trajectory: Trajectory,
    by,
    expected_version: int,
    fields: dict,
    participants: Iterable[Organisation] | None = None,
) -> Trajectory:
    """Save the edit form, unless someone changed the trajectory since the form was opened.

    Raises :class:`StaleEdit` with the current row; the caller shows it next to the user's input.
    """
    current = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    if current.version != expected_version:
        raise StaleEdit(current, fields)
    # Only the fields that differ are written, so the audit log names what really changed.
    changed = [name for name in fields if _differs(current, name, fields[name])]
    for name in changed:
        setattr(trajectory, name, fields[name])
    if trajectory.is_closed != (trajectory.closed_at is not None):
        # The retention period of closed trajectories counts from this moment; re-opening clears it.
        trajectory.closed_at = timezone.now() if trajectory.is_closed else None
        changed.append("closed_at")
    trajectory.save_changes(*changed)
    if {"start_date", "review_interval", "current_phase"} & set(changed):
        review_schedule.sync([trajectory.pk])
    if participants is not None:  # only the giving organisation's beheerders decide (views: trajectory_organisations)
        trajectory.participants.set(participants)
    if "receiving_organisation" in changed or participants is not None:
        persons_detach_unshared()
    if "commissioner" in changed:
        subphases_follow_work(trajectory=trajectory, by=by, phase=Phase.SIGNALEREN)
    return trajectory
