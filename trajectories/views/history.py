"""One history page for every tracked object of a trajectory: when, who and what changed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from ..access import get_trajectory_for_user
from ..history.changes import history_entries
from ..history.registry import REGISTRY

PAGE_SIZE = 20


@login_required
@require_http_methods(["GET"])
def object_history(request, pk: int, kind: str, obj_pk: int):
    trajectory = get_trajectory_for_user(request.user, pk)
    tracked = REGISTRY.get(kind)
    if tracked is None:
        raise Http404
    scope = tracked.scope(trajectory)
    rows = list(
        tracked.model.history_records.filter(scope, id=obj_pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    current = tracked.model.objects.filter(scope, pk=obj_pk).first()
    if current is None and not rows:
        raise Http404
    subject = str(current) if current is not None else str(rows[-1].instance)
    page = Paginator(history_entries(tracked.model, rows), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "trajectories/history.html",
        {
            "trajectory": trajectory,
            "subject": subject,
            "model_name": tracked.model._meta.verbose_name,
            "current": current,
            "page": page,
        },
    )
