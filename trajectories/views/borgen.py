"""Sustaining the intervention (6a, 6b); training the professionals (5c) is in implementeren.py.

Each form on a page posts to its own URL; when one is invalid the page comes back with the user's
input and the errors next to the fields (status 400).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fii.lib.conflicts import refused_stale
from organisations.submissions import create_once

from .. import selectors_borgen as selectors
from .. import selectors_outcomes, services
from ..access import get_trajectory_for_user
from ..forms import (
    EvaluationForm,
    FeedbackForm,
    FidelityChecklistForm,
    ImprovementForm,
    ObservationForm,
    QualityForm,
)
from ..models import Evaluation, FidelityChecklist, Improvement
from ..policy import Do, may

# 6a/6b Quality ----------------------------------------------------------------------------------


def _quality_page(request, trajectory, *, checklist_form=None, feedback_form=None, evaluation_form=None, status=200):
    can_edit = may(request.user, Do.EDIT, trajectory)
    return render(
        request,
        "trajectories/borgen/quality.html",
        {
            "trajectory": trajectory,
            "overview": selectors.borgen_overview(trajectory, light=True),
            "trend": selectors_outcomes.fidelity_trend(trajectory),
            "feedback": trajectory.feedback.select_related("created_by"),
            "evaluations": selectors.evaluations(trajectory),
            "checklist_form": checklist_form
            or (FidelityChecklistForm(trajectory=trajectory, prefix="checklist") if can_edit else None),
            "feedback_form": feedback_form or (FeedbackForm(prefix="feedback") if can_edit else None),
            "evaluation_form": evaluation_form or (EvaluationForm(prefix="evaluation") if can_edit else None),
            "improvement_form": ImprovementForm(prefix="improvement") if can_edit else None,
            "can_edit": can_edit,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def quality(request, pk: int):
    return _quality_page(request, get_trajectory_for_user(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def quality_edit(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    form = QualityForm(request.POST or None, instance=services.quality_for(trajectory))
    if request.method == "POST" and form.is_valid():
        try:
            services.quality_update(
                trajectory=trajectory,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                **form.edited_values(),
            )
        except services.StaleEdit as stale:
            return refused_stale(
                request,
                "trajectories/borgen/quality_edit.html",
                {"trajectory": trajectory},
                make_form=lambda data: QualityForm(data, instance=services.quality_for(trajectory)),
                theirs=[stale.current],
                versions={"version": stale.current.version},
            )
        messages.success(request, _("Quality monitoring saved."))
        return redirect("trajectories:quality", pk=trajectory.pk)
    return render(
        request,
        "trajectories/borgen/quality_edit.html",
        {"trajectory": trajectory, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["POST"])
@create_once
def fidelity_create(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    form = FidelityChecklistForm(request.POST, trajectory=trajectory, prefix="checklist")
    if form.is_valid():
        try:
            checklist = services.fidelity_checklist_create(
                trajectory=trajectory,
                by=request.user,
                version=form.cleaned_data["method_version"],
                title=form.cleaned_data["title"],
            )
        except services.BorgenError as error:
            form.add_error("method_version", str(error))
        else:
            messages.success(request, _("Fidelity checklist created from the active components."))
            return redirect(checklist)
    return _quality_page(request, trajectory, checklist_form=form, status=400)


def _checklist_page(request, trajectory, checklist, *, form=None, status=200):
    can_edit = may(request.user, Do.EDIT, trajectory)
    items = list(checklist.items.all())
    observations = list(checklist.observations.select_related("created_by", "professional").prefetch_related("scores"))
    for observation in observations:
        answers = {score.item_id: score for score in observation.scores.all()}
        observation.answer_list = [answers.get(item.pk) for item in items]
    return render(
        request,
        "trajectories/borgen/fidelity.html",
        {
            "trajectory": trajectory,
            "checklist": checklist,
            "items": items,
            "rates": selectors.fidelity_rates(checklist),
            "observations": observations,
            "form": form
            or (ObservationForm(items=items, professionals=trajectory.professionals.all()) if can_edit else None),
            "can_edit": can_edit,
        },
        status=status,
    )


def _checklist_for(trajectory, checklist_pk: int) -> FidelityChecklist:
    checklist = get_object_or_404(
        FidelityChecklist.objects.select_related("method_version"), trajectory=trajectory, pk=checklist_pk
    )
    checklist.trajectory = trajectory
    return checklist


@login_required
@require_http_methods(["GET"])
def fidelity(request, pk: int, checklist_pk: int):
    trajectory = get_trajectory_for_user(request.user, pk)
    return _checklist_page(request, trajectory, _checklist_for(trajectory, checklist_pk))


@login_required
@require_http_methods(["POST"])
def fidelity_observe(request, pk: int, checklist_pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    checklist = _checklist_for(trajectory, checklist_pk)
    form = ObservationForm(request.POST, items=checklist.items.all(), professionals=trajectory.professionals.all())
    if form.is_valid():
        services.fidelity_observe(
            checklist=checklist,
            by=request.user,
            observed_on=form.cleaned_data["observed_on"],
            observer=form.cleaned_data["observer"].strip(),
            note=form.cleaned_data["note"].strip(),
            answers=form.answers(),
            professional=form.chosen_professional(),
        )
        messages.success(request, _("Observation recorded."))
        return redirect(checklist)
    return _checklist_page(request, trajectory, checklist, form=form, status=400)


@login_required
@require_http_methods(["POST"])
@create_once
def feedback_create(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    form = FeedbackForm(request.POST, prefix="feedback")
    if form.is_valid():
        services.feedback_record(trajectory=trajectory, by=request.user, **form.cleaned_data)
        messages.success(request, _("Feedback recorded."))
        return redirect(reverse("trajectories:quality", args=[trajectory.pk]) + "#feedback")
    return _quality_page(request, trajectory, feedback_form=form, status=400)


@login_required
@require_http_methods(["POST"])
@create_once
def evaluation_create(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    form = EvaluationForm(request.POST, prefix="evaluation")
    if form.is_valid():
        services.evaluation_record(
            trajectory=trajectory,
            by=request.user,
            held_on=form.cleaned_data["held_on"],
            participants=form.cleaned_data["participants"],
            findings=form.cleaned_data["findings"],
            improvements=form.improvements(),
        )
        messages.success(request, _("Evaluation recorded."))
        return redirect(reverse("trajectories:quality", args=[trajectory.pk]) + "#evaluations")
    return _quality_page(request, trajectory, evaluation_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
@create_once
def improvement_create(request, pk: int, evaluation_pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    evaluation = get_object_or_404(Evaluation, trajectory=trajectory, pk=evaluation_pk)
    form = ImprovementForm(request.POST or None, prefix="improvement")
    if request.method == "POST" and form.is_valid():
        services.improvement_add(evaluation=evaluation, **form.cleaned_data)
        messages.success(request, _("Improvement added."))
        return redirect(reverse("trajectories:quality", args=[trajectory.pk]) + "#evaluations")
    return render(
        request,
        "trajectories/borgen/improvement_create.html",
        {"trajectory": trajectory, "evaluation": evaluation, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["POST"])
def improvement_done(request, pk: int, improvement_pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    improvement = get_object_or_404(Improvement, evaluation__trajectory=trajectory, pk=improvement_pk)
    try:
        services.improvement_done(improvement=improvement, by=request.user)
    except services.BorgenError as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, _("Improvement marked as done."))
    return redirect(reverse("trajectories:quality", args=[trajectory.pk]) + "#evaluations")
