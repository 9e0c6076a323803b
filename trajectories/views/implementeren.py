"""Subphase 5c, selecting, training and coaching the professionals: the training log and the professionals.

Each form on the page posts to its own URL; when one is invalid the page comes back with the user's input
and the errors next to the fields (status 400).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from organisations.submissions import create_once

from .. import selectors_implementeren as selectors
from .. import services
from ..access import get_trajectory_for_user
from ..forms import (
    ProfessionalForm,
    ProfessionalStateForm,
    TrainingForm,
)
from ..models import Professional
from ..policy import Do, may, view_or_edit

# 5c Selection, training and coaching -------------------------------------------------------------


def _training_page(request, trajectory, *, training_form=None, professional_form=None, status=200):
    can_edit = may(request.user, Do.EDIT, trajectory)
    return render(
        request,
        "trajectories/implementeren/training.html",
        {
            "trajectory": trajectory,
            "summary": selectors.training_summary(trajectory),
            "training_form": training_form or (TrainingForm(prefix="training") if can_edit else None),
            "professional_form": professional_form or (ProfessionalForm(prefix="pro") if can_edit else None),
            "state_form": ProfessionalStateForm() if can_edit else None,
            "can_edit": can_edit,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@create_once
def training(request, pk: int):
    do = view_or_edit(request)
    trajectory = get_trajectory_for_user(request.user, pk, do=do)
    if request.method == "POST":
        form = TrainingForm(request.POST, prefix="training")
        if form.is_valid():
            services.training_record(trajectory=trajectory, by=request.user, **form.cleaned_data)
            messages.success(request, _("Activity recorded."))
            return redirect(reverse("trajectories:training", args=[trajectory.pk]) + "#log")
        return _training_page(request, trajectory, training_form=form, status=400)
    return _training_page(request, trajectory)


@login_required
@require_http_methods(["POST"])
@create_once
def professional_create(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    form = ProfessionalForm(request.POST, prefix="pro")
    if form.is_valid():
        services.professional_add(trajectory=trajectory, by=request.user, **form.cleaned_data)
        messages.success(request, _("Professional added."))
        return redirect(reverse("trajectories:training", args=[trajectory.pk]) + "#professionals")
    return _training_page(request, trajectory, professional_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def professional_state(request, pk: int, professional_pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    professional = get_object_or_404(Professional, trajectory=trajectory, pk=professional_pk)
    form = ProfessionalStateForm(request.POST or None, initial={"state": professional.state})
    if request.method == "POST" and form.is_valid():
        try:
            services.professional_set_state(professional=professional, by=request.user, **form.cleaned_data)
        except services.BorgenError as error:
            form.add_error("state", str(error))
        else:
            messages.success(request, _("State changed."))
            return redirect(reverse("trajectories:training", args=[trajectory.pk]) + "#professionals")
    return render(
        request,
        "trajectories/implementeren/professional_state.html",
        {
            "trajectory": trajectory,
            "professional": professional,
            "history": professional.state_changes.select_related("created_by"),
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )
