"""Phase 3 (Innoveren): implementability (3a), the versioned method description (3b), CFIR assessments.

Readers see everything; editors change it. Invalid input comes back with the errors next to the fields.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fii import eric
from fii.cfir import RATING_RULES, CfirVersion, framework
from fii.lib.conflicts import refused_stale
from fii.model import EFFECTIVENESS_HELP, EffectivenessLevel
from organisations.submissions import create_once

from .. import selectors_innoveren as selectors
from .. import services
from ..access import get_trajectory_for_user
from ..forms import (
    CfirAssessmentForm,
    CfirCompareForm,
    CfirRateForm,
    ImplementabilityForm,
    MethodForm,
    StrategyTakeUpForm,
)
from ..forms.innoveren import field_key
from ..models import CfirAssessment, CfirRating, MethodVersion, StrategyUptake
from ..policy import Do, may, view_or_edit

# 3a Innovation versus implementability ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@create_once
def implementability(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=view_or_edit(request))
    can_edit = may(request.user, Do.EDIT, trajectory)
    form = ImplementabilityForm(request.POST or None) if can_edit else None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.implementability_record(trajectory=trajectory, by=request.user, **form.cleaned_data)
            messages.success(request, _("Assessment saved."))
            return redirect("trajectories:implementability", pk=trajectory.pk)
        status = 400
    return render(
        request,
        "trajectories/innoveren/implementability.html",
        {
            "trajectory": trajectory,
            "assessments": trajectory.implementability.select_related("created_by"),
            "form": form,
            "can_edit": can_edit,
        },
        status=status,
    )


# 3b Method description -------------------------------------------------------------------------


def _ladder(current: str | None):
    return [(value, label, EFFECTIVENESS_HELP[value], value == current) for value, label in EffectivenessLevel.choices]


@login_required
@require_http_methods(["GET"])
def method(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk)
    current = selectors.method_current(trajectory)
    return render(
        request,
        "trajectories/innoveren/method.html",
        {
            "trajectory": trajectory,
            "version": current,
            "is_current": True,
            "ladder": _ladder(current.effectiveness if current else None),
            "versions": trajectory.method_versions.select_related("created_by"),
            "can_edit": may(request.user, Do.EDIT, trajectory),
        },
    )


@login_required
@require_http_methods(["GET"])
def method_version(request, pk: int, number: int):
    trajectory = get_trajectory_for_user(request.user, pk)
    version = get_object_or_404(
        MethodVersion.objects.select_related("created_by").prefetch_related("components"),
        trajectory=trajectory,
        number=number,
    )
    versions = trajectory.method_versions.select_related("created_by")
    latest = versions.first()
    return render(
        request,
        "trajectories/innoveren/method.html",
        {
            "trajectory": trajectory,
            "version": version,
            "is_current": latest.number == version.number,
            "ladder": _ladder(version.effectiveness),
            "versions": versions,
            "can_edit": False,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def method_edit(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    current = selectors.method_current(trajectory)
    form = MethodForm(request.POST or None, current=current)
    context = {"trajectory": trajectory, "form": form, "current": current}
    if request.method == "POST":
        if form.is_valid():
            try:
                version = services.method_save(
                    trajectory=trajectory,
                    by=request.user,
                    based_on=form.cleaned_data["based_on"],
                    components=form.component_list(),
                    reason=form.cleaned_data["reason"].strip(),
                    **form.fields_to_save(),
                )
            except services.StaleEdit as stale:
                theirs = stale.current
                data = request.POST.copy()
                data["based_on"] = theirs.number if theirs else ""
                form = MethodForm(data, current=theirs)
                form.is_valid()
                form.add_error(
                    None,
                    _(
                        "%(who)s saved a new version of the method description while you were editing. Their "
                        "version is shown below your form; your changes are still in the form. Save again to "
                        "keep yours as the next version."
                    )
                    % {"who": theirs.created_by.get_full_name() if theirs and theirs.created_by else _("A colleague")},
                )
                context.update(form=form, theirs=theirs)
                return render(request, "trajectories/innoveren/method_edit.html", context, status=409)
            if current is not None and version.pk == current.pk:
                messages.info(request, _("Nothing was changed, so no new version was made."))
            else:
                messages.success(
                    request, _("Version %(number)s of the method description saved.") % {"number": version.number}
                )
            return redirect("trajectories:method", pk=trajectory.pk)
        return render(request, "trajectories/innoveren/method_edit.html", context, status=400)
    return render(request, "trajectories/innoveren/method_edit.html", context)


# CFIR --------------------------------------------------------------------------------------------


def _assessment_for(trajectory, assessment_pk: int) -> CfirAssessment:
    assessment = get_object_or_404(CfirAssessment, trajectory=trajectory, pk=assessment_pk)
    assessment.trajectory = trajectory
    return assessment


@login_required
@require_http_methods(["GET", "POST"])
@create_once
def cfir_list(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=view_or_edit(request))
    can_edit = may(request.user, Do.EDIT, trajectory)
    form = CfirAssessmentForm(request.POST or None, trajectory=trajectory) if can_edit else None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            assessment = services.cfir_assessment_create(trajectory=trajectory, by=request.user, **form.cleaned_data)
            messages.success(request, _("CFIR assessment created. Rate the constructs that apply."))
            return redirect("trajectories:cfir_rate", pk=trajectory.pk, assessment_pk=assessment.pk)
        status = 400
    return render(
        request,
        "trajectories/innoveren/cfir_list.html",
        {
            "trajectory": trajectory,
            "assessments": selectors.cfir_assessments(trajectory),
            "form": form,
            "can_edit": can_edit,
            "frameworks": [framework(v) for v in CfirVersion],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def cfir_detail(request, pk: int, assessment_pk: int):
    trajectory = get_trajectory_for_user(request.user, pk)
    assessment = _assessment_for(trajectory, assessment_pk)
    return render(
        request,
        "trajectories/innoveren/cfir_detail.html",
        {
            "trajectory": trajectory,
            "cfir": selectors.cfir_overview(assessment),
            "can_edit": may(request.user, Do.EDIT, trajectory),
            "uptake_due": services.uptake_due_default(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cfir_rate(request, pk: int, assessment_pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    assessment = _assessment_for(trajectory, assessment_pk)
    form = CfirRateForm(request.POST or None, assessment=assessment)
    context = {"trajectory": trajectory, "assessment": assessment, "form": form, "rating_rules": RATING_RULES}
    if request.method == "POST" and form.is_valid():
        try:
            services.cfir_rate(
                assessment=assessment,
                by=request.user,
                ratings=form.ratings(),
                reviewed=form.reviewed(),
                expected_version=form.cleaned_data["edit_version"],
            )
        except services.StaleEdit as stale:
            theirs = stale.current
            return refused_stale(
                request,
                "trajectories/innoveren/cfir_rate.html",
                context,
                make_form=lambda data: CfirRateForm(data, assessment=_assessment_for(trajectory, theirs.pk)),
                theirs=[_latest_rating(theirs) or theirs, _cfir_rating_values(theirs)],
                versions={"edit_version": theirs.edit_version},
            )
        messages.success(request, _("CFIR ratings saved."))
        return redirect(assessment)
    return render(request, "trajectories/innoveren/cfir_rate.html", context, status=400 if form.is_bound else 200)


def _latest_rating(assessment: CfirAssessment):
    """The last saved rating, for who saved and when (the assessment itself records neither)."""
    return assessment.ratings.select_related("updated_by").order_by("-updated_at").first()


def _cfir_rating_values(assessment: CfirAssessment) -> dict[str, str]:
    """The assessment's ratings and rationales, as the rating form names them (rated constructs only)."""
    values = {}
    for rating in assessment.ratings.all():
        values[f"rating_{field_key(rating.construct)}"] = rating.get_rating_display()
        values[f"rationale_{field_key(rating.construct)}"] = rating.rationale
    return values


@login_required
@require_http_methods(["GET"])
def cfir_compare(request, pk: int):
    """Assessments of this trajectory side by side, with the changes from one to the next marked."""
    trajectory = get_trajectory_for_user(request.user, pk)
    form = CfirCompareForm(request.GET or None, trajectory=trajectory)
    chosen = list(form.cleaned_data["assessments"]) if form.is_bound and form.is_valid() else []
    if not chosen:
        chosen = list(form.fields["assessments"].queryset)
    chosen = list(
        CfirAssessment.objects.filter(pk__in=[a.pk for a in chosen], trajectory=trajectory)
        .select_related("candidate__organisation")
        .prefetch_related("ratings")
    )
    return render(
        request,
        "trajectories/innoveren/cfir_compare.html",
        {"trajectory": trajectory, "form": form, "comparison": selectors.cfir_comparison(chosen)},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
@require_http_methods(["POST"])
@create_once
def cfir_strategy_take_up(request, pk: int, assessment_pk: int, rating_pk: int):
    """One click on a suggested strategy for a barrier: it becomes an open stoplight action or a milestone on the
    plan, due on the date in the form (issue 22). A date in the past comes back on a page of its own."""
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    assessment = _assessment_for(trajectory, assessment_pk)
    rating = get_object_or_404(CfirRating, assessment=assessment, pk=rating_pk)
    rating.assessment = assessment
    form = StrategyTakeUpForm(request.POST)
    strategy = request.POST.get("strategy", "")
    if strategy not in {m.strategy.code for m in eric.suggestions(assessment.version, rating.construct)}:
        raise Http404
    taken = StrategyUptake.objects.filter(rating=rating, strategy=strategy).exists()
    if not form.is_valid() and not taken:
        return render(
            request,
            "trajectories/innoveren/strategy_take_up.html",
            {
                "trajectory": trajectory,
                "assessment": assessment,
                "rating": rating,
                "construct": assessment.framework.constructs[rating.construct],
                "strategy": eric.BY_CODE[strategy],
                "form": form,
            },
            status=400,
        )
    try:  # taken up already: the uptake that exists, whatever this (perhaps old, replayed) form asks
        uptake, created = services.strategy_take_up(
            rating=rating,
            strategy=strategy,
            by=request.user,
            target=form.cleaned_data.get("target") or "action",
            due_on=form.cleaned_data.get("due_on"),
        )
    except services.NotSuggested:
        raise Http404 from None
    chosen = eric.BY_CODE[uptake.strategy]
    name = chosen.nl_name if (get_language() or "nl").startswith("nl") else chosen.name
    if not created:
        messages.info(request, _("“%(name)s” was already taken up for this barrier.") % {"name": name})
    elif uptake.milestone_id:
        messages.success(request, _("“%(name)s” is now a milestone on the plan.") % {"name": name})
    else:
        messages.success(
            request, _("“%(name)s” is now an open action; it comes up at the next review.") % {"name": name}
        )
    return redirect(f"{assessment.get_absolute_url()}#barrier-{rating.pk}")


@login_required
@require_http_methods(["GET"])
def strategy_list(request):
    """The 73 ERIC strategies with their cluster, searchable in the page (reference data, no trajectory)."""
    query = request.GET.get("q", "").strip()[:100]
    cluster = request.GET.get("cluster", "")
    rows = [
        s
        for s in eric.STRATEGIES
        if (not cluster or s.cluster == cluster)
        and (not query or query.lower() in f"{s.name} {s.nl_name} {s.nl_description}".lower())
    ]
    return render(
        request,
        "trajectories/innoveren/strategies.html",
        {
            "strategies": rows,
            "query": query,
            "cluster": cluster,
            "clusters": eric.Cluster.choices,
            "total": len(eric.STRATEGIES),
        },
    )
