"""Export of trajectories as fii-trajectories JSON, and import of such a file (docs/export-format.md).

One trajectory is exported at once (about 0.3 s for a large one, BENCHMARKS.md); an organisation's export
and every import run in the background (trajectories/jobs.py) and end up under the user's Downloads.

Only a beheerder of the giving organisation exports: the file holds everything about the trajectory,
including the people in its stakeholder register.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from organisations.access import get_organisation_for_user
from organisations.submissions import create_once

from .. import jobs, services
from ..access import get_trajectory_for_user
from ..forms import TrajectoryImportForm
from ..models import Trajectory
from ..policy import Do, may


def _json_download(trajectories, name: str) -> HttpResponse:
    response = HttpResponse(
        services.trajectories_export_json(trajectories=trajectories), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET"])
def trajectory_export(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk)
    if not may(request.user, Do.EXPORT, trajectory):
        raise PermissionDenied
    name = f"traject-{slugify(trajectory.title) or trajectory.pk}"
    return _json_download(Trajectory.objects.filter(pk=trajectory.pk), name)


@login_required
@require_POST
def organisation_export(request, org_pk: int):
    """Queue the export of all the organisation's trajectories; its page shows the progress (bench/export.py)."""
    organisation, _role = get_organisation_for_user(request.user, org_pk, manage=True)
    job = jobs.organisation_export_start(user=request.user, organisation=organisation)
    return redirect("account:job", pk=job.pk)


@login_required
@require_http_methods(["GET", "POST"])
@create_once
def organisation_import(request, org_pk: int):
    """Check the file's JSON here, then import it in the background: the job's page shows the progress and,
    when the file breaks a rule of the format, the reason."""
    organisation, _role = get_organisation_for_user(request.user, org_pk, manage=True)
    form = TrajectoryImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = request.FILES["file"]
        upload.seek(0)
        job = jobs.organisation_import_start(
            user=request.user, organisation=organisation, content=upload.read(), as_copy=form.cleaned_data["as_copy"]
        )
        return redirect("account:job", pk=job.pk)
    return render(
        request,
        "trajectories/transfer/import.html",
        {"organisation": organisation, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )
