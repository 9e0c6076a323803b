"""Export of trajectories as fii-trajectories JSON, and import of such a file (docs/export-format.md).

Only a beheerder of the giving organisation exports: the file holds everything about the trajectory,
including the people in its stakeholder register.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from organisations.access import get_organisation_for_user
from organisations.models import Role
from organisations.submissions import create_once

from .. import services
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
@require_http_methods(["GET"])
def organisation_export(request, org_pk: int):
    organisation, _role = get_organisation_for_user(request.user, org_pk, need=Role.BEHEERDER)
    name = f"trajecten-{slugify(organisation.name) or organisation.pk}"
    return _json_download(Trajectory.objects.filter(owner=organisation), name)


@login_required
@require_http_methods(["GET", "POST"])
@create_once
def organisation_import(request, org_pk: int):
    organisation, _role = get_organisation_for_user(request.user, org_pk, need=Role.BEHEERDER)
    form = TrajectoryImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.trajectories_import(
                data=form.cleaned_data["file"], as_copy=form.cleaned_data["as_copy"], owner=organisation
            )
        except services.TransferError as error:
            form.add_error("file", capfirst(str(error)))
        else:
            titles = ", ".join(t.title for t in result["trajectories"]) or "—"
            count = len(result["trajectories"])
            messages.success(
                request,
                ngettext(
                    "Imported %(count)d trajectory: %(titles)s.",
                    "Imported %(count)d trajectories: %(titles)s.",
                    count,
                )
                % {"count": count, "titles": titles}
                + " "
                + _(
                    "New: %(persons)d persons, kept by %(organisation)s, and %(organisations)d organisations named "
                    "on a shortlist or in an agreement. Authors who are not members of %(organisation)s are shown "
                    "as unknown (%(unknown_authors)d). Receiving and participating organisations are added on the "
                    "trajectory itself."
                )
                % {**result, "organisation": organisation.name},
            )
            return redirect("trajectories:organisation_import", org_pk=organisation.pk)
    return render(
        request,
        "trajectories/transfer/import.html",
        {"organisation": organisation, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )
