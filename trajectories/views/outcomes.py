"""Outcomes and reach (issue 22): the indicators page, adding and editing indicators, measurements, and the
booster action that a fidelity dip suggests on the Borgen page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fii.lib.conflicts import refused_stale
from organisations.submissions import create_once

from .. import selectors_outcomes as selectors
from .. import services
from ..access import get_trajectory_for_user
from ..forms import IndicatorForm, MeasurementForm
from ..models import Indicator
from ..policy import Do, may


def _outcomes_url(trajectory, indicator=None) -> str:
    url = reverse("trajectories:outcomes", args=[trajectory.pk])
    return f"{url}#indicator-{indicator.pk}" if indicator is not None else url


def _measurement_form(data, indicator) -> MeasurementForm:
    # The same field names for every indicator; the ids differ, as each indicator has its form on the page.
    return MeasurementForm(data, indicator=indicator, prefix="measurement", auto_id=f"id_m{indicator.pk}_%s")


def _outcomes_page(request, trajectory, *, indicator_form=None, measurement_forms=None, status=200):
    can_edit = may(request.user, Do.EDIT, trajectory)
    indicators = selectors.indicators_with_measurements(trajectory)
    measurement_forms = measurement_forms or {}
    for indicator in indicators:
        indicator.form = measurement_forms.get(indicator.pk) or _measurement_form(None, indicator) if can_edit else None
    taken = [i.name for i in indicators]
    return render(
        request,
        "trajectories/outcomes.html",
        {
            "trajectory": trajectory,
            "indicators": indicators,
            "summary": selectors.summary_of(indicators),
            "suggestions": selectors.suggestions_for(trajectory.current_phase, taken=taken),
            "indicator_form": indicator_form or (IndicatorForm(prefix="indicator") if can_edit else None),
            "can_edit": can_edit,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def outcomes(request, pk: int):
    return _outcomes_page(request, get_trajectory_for_user(request.user, pk))


@login_required
@require_http_methods(["POST"])
@create_once
def indicator_create(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    form = IndicatorForm(request.POST, prefix="indicator")
    if form.is_valid():
        indicator = services.indicator_create(trajectory=trajectory, by=request.user, **form.values())
        messages.success(request, _("Indicator added."))
        return redirect(_outcomes_url(trajectory, indicator))
    return _outcomes_page(request, trajectory, indicator_form=form, status=400)


@login_required
@require_http_methods(["POST"])
@create_once
def indicator_suggest(request, pk: int):
    """Add a suggested indicator as a starting point, then open it for editing."""
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    suggestion = selectors.SUGGESTIONS_BY_KEY.get(request.POST.get("suggestion", ""))
    if suggestion is None:
        raise Http404
    indicator = services.indicator_create(trajectory=trajectory, by=request.user, **suggestion.fields())
    messages.success(request, _("Suggested indicator added; adjust it to your trajectory."))
    return redirect("trajectories:indicator_edit", pk=trajectory.pk, indicator_pk=indicator.pk)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk: int, indicator_pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    indicator = get_object_or_404(Indicator, trajectory=trajectory, pk=indicator_pk)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(
                indicator=indicator, expected_version=form.cleaned_data["version"], **form.values()
            )
        except services.StaleEdit as stale:
            theirs = stale.current
            return refused_stale(
                request,
                "trajectories/indicator_edit.html",
                {"trajectory": trajectory, "indicator": theirs},
                make_form=lambda data: IndicatorForm(data, instance=Indicator.objects.get(pk=theirs.pk)),
                theirs=[theirs],
                versions={"version": theirs.version},
            )
        messages.success(request, _("Indicator saved."))
        return redirect(_outcomes_url(trajectory, indicator))
    return render(
        request,
        "trajectories/indicator_edit.html",
        {"trajectory": trajectory, "indicator": indicator, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["POST"])
@create_once
def measurement_create(request, pk: int, indicator_pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    indicator = get_object_or_404(Indicator, trajectory=trajectory, pk=indicator_pk)
    form = _measurement_form(request.POST, indicator)
    if form.is_valid():
        services.measurement_record(indicator=indicator, by=request.user, **form.cleaned_data)
        messages.success(request, _("Measurement recorded."))
        return redirect(_outcomes_url(trajectory, indicator))
    return _outcomes_page(request, trajectory, measurement_forms={indicator.pk: form}, status=400)


@login_required
@require_http_methods(["POST"])
@create_once
def booster_action(request, pk: int):
    """Turn the suggested booster into a stoplight action. The text comes from the trend, never from the POST."""
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    trend = selectors.fidelity_trend(trajectory)
    if not trend.below:
        messages.info(request, _("Fidelity is not below the threshold; no booster is needed."))
        return redirect(reverse("trajectories:quality", args=[trajectory.pk]) + "#fidelity-trend")
    action = services.booster_action_create(trajectory=trajectory, by=request.user, description=trend.booster_text)
    messages.success(request, _("Booster added as an action."))
    return redirect("trajectories:action", pk=trajectory.pk, action_pk=action.pk)
