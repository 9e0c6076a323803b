"""Downloads of the portfolio and of actions as CSV or XLSX, with the same filters as their pages."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from organisations import audit

from .. import exports, selectors
from ..access import in_visible_trajectories
from ..models import Action, Measurement
from ..selectors_outcomes import with_outcome_counts
from .reviews import ACTION_STATES

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _check_format(fmt: str) -> None:
    if fmt not in CONTENT_TYPES:
        raise Http404


def _record_export(trajectory_owners: Iterable[int | None], *, what: str, fmt: str) -> None:
    """One audit event per organisation whose trajectories are in the file, so each one's beheerders see it."""
    for org_id in sorted(set(trajectory_owners), key=lambda pk: pk or 0) or [None]:
        audit.record(audit.Action.EXPORT, object_type=what, organisation=org_id, detail=fmt)


def _download(headers, rows, *, fmt: str, name: str, title: str) -> HttpResponse:
    content = exports.as_csv(headers, rows) if fmt == "csv" else exports.as_xlsx(headers, rows, title=title)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.{fmt}"'
    # The file lists the organisation's trajectories; keep it out of shared caches and the browser's.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def portfolio_export(request, fmt: str):
    _check_format(fmt)
    # The same filters as the portfolio page, so a link carries them as-is.
    _filters, trajectories = selectors.portfolio_for(request.user, request.GET)
    trajectories = with_outcome_counts(selectors.with_review_summary(trajectories)).order_by("title", "pk")
    trajectories = list(trajectories)
    headers, rows = exports.portfolio_table(trajectories)
    _record_export((t.owner_id for t in trajectories), what="trajectories.Trajectory", fmt=fmt)
    return _download(headers, rows, fmt=fmt, name="portefeuille", title=_("Portfolio"))


@login_required
@require_GET
def actions_export(request, fmt: str):
    _check_format(fmt)
    state = request.GET.get("status", "open")
    state = state if state in ACTION_STATES else "open"
    actions = Action.objects.filter(in_visible_trajectories(request.user)).select_related(
        "trajectory", "assignee", "owner_person__person", "item"
    )
    actions = selectors.actions_filtered(actions, state)
    if request.GET.get("mine"):
        actions = actions.filter(assignee=request.user)
    actions = list(actions)
    headers, rows = exports.actions_table(actions)
    _record_export((a.trajectory.owner_id for a in actions), what="trajectories.Action", fmt=fmt)
    return _download(headers, rows, fmt=fmt, name="acties", title=_("Actions"))


@login_required
@require_GET
def measurements_export(request, fmt: str):
    """The measurements of every indicator of the trajectories the user sees (issue 22)."""
    _check_format(fmt)
    measurements = list(
        Measurement.objects.filter(in_visible_trajectories(request.user, field="indicator__trajectory"))
        .select_related("indicator__trajectory", "created_by")
        .order_by("indicator__trajectory__title", "indicator__trajectory_id", "indicator_id", "measured_on", "pk")
    )
    headers, rows = exports.measurements_table(measurements)
    _record_export((m.indicator.trajectory.owner_id for m in measurements), what="trajectories.Measurement", fmt=fmt)
    return _download(headers, rows, fmt=fmt, name="metingen", title=_("Measurements"))
