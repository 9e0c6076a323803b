"""Portfolio and action lists as spreadsheets: rows first, then CSV (for Dutch Excel) or XLSX.

The table functions return Dutch headers (gettext, under the active language) and rows of plain
values: ``str``, ``int``, ``datetime.date`` or ``None``. The writers turn those into files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from fii.model import PHASE_SPECS, Phase

from . import selectors
from .models import Action, Trajectory, TrajectoryStatus, light_label

Cell = str | int | dt.date | None

DATE_FORMAT = "dd-mm-yyyy"  # Excel number format
CSV_DATE_FORMAT = "%d-%m-%Y"
# A cell starting with one of these may be run as a formula (or DDE command) when a CSV is opened.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Control characters that XML 1.0, and therefore XLSX, cannot hold.
ILLEGAL_XML_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
INVALID_SHEET_TITLE_CHARACTERS = re.compile(r"[\\/*?:\[\]]")


def _trend_label(trend: str) -> str:
    return {"better": _("better"), "worse": _("worse"), "same": _("unchanged")}.get(trend, "")


def portfolio_table(trajectories: Iterable[Trajectory]) -> tuple[list[str], list[list[Cell]]]:
    """Needs trajectories annotated by :func:`selectors.with_review_summary`, owner and receiver selected."""
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
            ]
        )
    return headers, rows


def actions_table(actions: Iterable[Action]) -> tuple[list[str], list[list[Cell]]]:
    """Needs actions with trajectory, assignee and item selected."""
    headers = [
        _("Trajectory"),
        _("Action"),
        _("Checklist item"),
        _("Who"),
        _("Due date"),
        _("Status"),
        _("Closed on"),
        _("Closing note"),
    ]
    today = timezone.localdate()
    rows: list[list[Cell]] = []
    for action in actions:
        if action.closed_at is not None:
            state = _("Done")
        elif action.is_overdue(today):
            state = _("Overdue")
        else:
            state = _("Open")
        rows.append(
            [
                action.trajectory.title,
                action.description,
                action.item.text if action.item else "",
                action.assignee.get_full_name() if action.assignee else "",
                action.due_on,
                state,
                timezone.localdate(action.closed_at) if action.closed_at else None,
                action.closing_note,
            ]
        )
    return headers, rows


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime(CSV_DATE_FORMAT)
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    return str(value)


def as_csv(headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """Semicolon-separated UTF-8 with a byte order mark: what Excel with Dutch settings opens correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_cell(h) for h in headers])
    writer.writerows([_csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def _sheet_title(title: str) -> str:
    return INVALID_SHEET_TITLE_CHARACTERS.sub(" ", title).strip()[:31] or "Sheet"


def _width(value: Cell) -> int:
    if isinstance(value, dt.date):
        return len(DATE_FORMAT)
    return max((len(line) for line in str(value or "").splitlines()), default=0)


def as_xlsx(headers: Sequence[str], rows: Iterable[Sequence[Cell]], *, title: str) -> bytes:
    """One sheet: bold frozen header row with a filter, real dates in Dutch format, no formulas."""
    # Imported here, like WeasyPrint: only exports pay for loading openpyxl.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title)
    sheet.append([ILLEGAL_XML_CHARACTERS.sub("", h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in headers]
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            if isinstance(value, str):
                value = ILLEGAL_XML_CHARACTERS.sub("", value)
            cell = sheet.cell(row=row_number, column=column, value=value)
            if isinstance(value, str):
                # openpyxl turns a string starting with "=" into a formula; keep it text.
                cell.data_type = "s"
            elif isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            widths[column - 1] = max(widths[column - 1], _width(value))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
