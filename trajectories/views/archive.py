"""Archiving and restoring trajectories, and the archive page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import services
from ..access import get_trajectory_for_user, visible_trajectories
from ..forms import ArchiveForm
from ..policy import Do

PAGE_SIZE = 25


@login_required
@require_http_methods(["GET", "POST"])
def trajectory_archive(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.ARCHIVE)
    form = ArchiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.trajectory_archive(trajectory=trajectory, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Trajectory archived. You find it under Archive, where it can be restored."))
        return redirect("trajectories:archive_list")
    status = 400 if form.is_bound else 200
    return render(
        request, "trajectories/trajectory_archive.html", {"trajectory": trajectory, "form": form}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def trajectory_restore(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.ARCHIVE, allow_archived=True)
    if not trajectory.is_archived:
        messages.info(request, _("This trajectory is not archived."))
        return redirect(trajectory)
    if request.method == "POST":
        services.trajectory_restore(trajectory=trajectory, by=request.user)
        messages.success(request, _("Trajectory restored."))
        return redirect(trajectory)
    return render(request, "trajectories/trajectory_restore.html", {"trajectory": trajectory})


@login_required
@require_http_methods(["GET"])
def archive_list(request):
    trajectories = (
        visible_trajectories(request.user, archived=True)
        .select_related("owner", "archived_by")
        .order_by("-archived_at", "pk")
    )
    page = Paginator(trajectories, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "trajectories/archive_list.html", {"page": page})
