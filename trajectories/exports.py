"""Portfolio and action lists as spreadsheets: rows first, then CSV (for Dutch Excel) or XLSX.

The table functions return Dutch headers (gettext, under the active language) and rows of plain
values: ``str``, ``int``, ``datetime.date`` or ``None``. The writers turn those into files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from fii.lib.spreadsheets import Cell, as_csv, as_xlsx  # noqa: F401 (the writers, used as exports.as_csv)
from fii.model import PHASE_SPECS, Phase
from organisations import audit

from . import selectors
from .models import Action, Measurement, Trajectory, TrajectoryStatus, light_label
from .selectors_outcomes import outcomes_of


def record_export(trajectory_owners: Iterable[int | None], *, what: str, fmt: str) -> None:
    """One audit event per organisation whose trajectories are in the file, so each one's beheerders see it."""
    for org_id in sorted(set(trajectory_owners), key=lambda pk: pk or 0) or [None]:
        audit.record(audit.Action.EXPORT, object_type=what, organisation=org_id, detail=fmt)


def _trend_label(trend: str) -> str:
    return {"better": _("better"), "worse": _("worse"), "same": _("unchanged"), "new_phase": _("new phase")}.get(
        trend, ""
    )


def portfolio_table(trajectories: Iterable[Trajectory]) -> tuple[list[str], list[list[Cell]]]:
    """Needs trajectories annotated by :func:`selectors.with_review_summary` and
    :func:`selectors_outcomes.with_outcome_counts`, owner and receiver selected."""
    headers = [
        _("Trajectory"),
        _("Intervention"),
        _("Giving organisation"),
        _("Receiving organisation"),
        _("Current phase"),
        _("Status"),
        _("Last review"),
        _("Light"),
        _("Trend"),
        _("Next review"),
        _("Review overdue"),
        _("Open actions"),
        _("Indicators on target"),
    ]
    trajectories = list(trajectories)
    selectors.add_light_summaries(trajectories)  # the same cadence and trend as the portfolio page
    rows: list[list[Cell]] = []
    for trajectory in trajectories:
        cadence, trend = trajectory.cadence, trajectory.light_trend
        receiver = trajectory.receiving_organisation
        rows.append(
            [
                trajectory.title,
                trajectory.intervention_name,
                trajectory.owner.name,
                receiver.name if receiver else "",
                f"{PHASE_SPECS[trajectory.current_phase].number}. {Phase(trajectory.current_phase).label}",
                str(trajectory.get_status_display()),
                trajectory.last_review_on,
                # None: no finalised review yet; "" is a finalised review that is not assessed (grey).
                str(light_label(trajectory.last_review_light)) if trajectory.last_review_light is not None else "",
                _trend_label(trend),
                # Only active trajectories are expected to meet, as on the portfolio page.
                cadence.next_review_on if trajectory.status == TrajectoryStatus.ACTIEF else None,
                _("Yes") if cadence.is_overdue else _("No"),
                trajectory.open_action_count or 0,
                outcomes_of(trajectory).text,
            ]
        )
    return headers, rows


def actions_headers() -> list[str]:
    return [
        _("Trajectory"),
        _("Action"),
        _("Checklist item"),
        _("Who"),
        _("Due date"),
        _("Status"),
        _("Closed on"),
        _("Closing note"),
    ]


# Column widths of the streamed Excel file (characters), which cannot be measured from rows not yet read.
ACTIONS_WIDTHS = [30, 45, 30, 22, 10, 10, 10, 45]


def action_rows(actions: Iterable[Action]) -> Iterator[list[Cell]]:
    """One row per action, as they are read. Needs trajectory, assignee, owner_person__person and item selected."""
    today = timezone.localdate()
    for action in actions:
        if action.closed_at is not None:
            state = _("Done")
        elif action.is_overdue(today):
            state = _("Overdue")
        else:
            state = _("Open")
        yield [
            action.trajectory.title,
            action.description,
            action.item.text if action.item else "",
            action.owner_name,
            action.due_on,
            state,
            timezone.localdate(action.closed_at) if action.closed_at else None,
            action.closing_note,
        ]


def actions_table(actions: Iterable[Action]) -> tuple[list[str], list[list[Cell]]]:
    """Needs actions with trajectory, assignee, owner_person__person and item selected."""
    return actions_headers(), list(action_rows(actions))


def measurements_table(measurements: Iterable[Measurement]) -> tuple[list[str], list[list[Cell]]]:
    """Every measurement with its indicator (issue 22). Needs indicator__trajectory and created_by selected."""
    headers = [
        _("Trajectory"),
        _("Indicator"),
        _("What it measures"),
        _("Unit"),
        _("Target"),
        _("Date"),
        _("Value"),
        _("On target"),
        _("Note"),
        _("Recorded by"),
    ]
    rows: list[list[Cell]] = []
    for m in measurements:
        indicator = m.indicator
        rows.append(
            [
                indicator.trajectory.title,
                indicator.name,
                str(indicator.get_kind_display()),
                str(indicator.get_unit_display()),
                f"{indicator.get_direction_display()} {indicator.target.normalize():f}",
                m.measured_on,
                m.display_value,
                _("Yes") if indicator.on_target(m.value) else _("No"),
                m.note,
                m.created_by.get_full_name() or m.created_by.email if m.created_by else "",
            ]
        )
    return headers, rows
