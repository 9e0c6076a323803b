"""Reads that pages share: review cadence and lights for one trajectory or a whole list.

Each helper answers in a fixed number of queries, however many trajectories, reviews or items there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from .models import Action, PhaseState, Review, SubphaseState, Trajectory
from .models.reviews import LIGHT_SEVERITY


def with_review_summary(trajectories: QuerySet[Trajectory]) -> QuerySet[Trajectory]:
    """Annotate the last review's date, the last two finalised lights, and the current phase's start."""
    today = timezone.localdate()
    held = Review.objects.filter(trajectory=OuterRef("pk"), held_on__lte=today).order_by("-held_on", "-pk")
    # Lights come from finalised reviews: an open review is still being filled in.
    final = held.filter(finalised_at__isnull=False)
    phase_start = PhaseState.objects.filter(trajectory=OuterRef("pk"), phase=OuterRef("current_phase"))
    open_actions = Action.objects.filter(trajectory=OuterRef("pk"), closed_at__isnull=True)
    return trajectories.annotate(
        last_review_on=Subquery(held.values("held_on")[:1]),
        last_review_light=Subquery(final.values("overall_light")[:1]),
        previous_review_light=Subquery(final.values("overall_light")[1:2]),
        review_count=Subquery(
            Review.objects.filter(trajectory=OuterRef("pk"))
            .order_by()
            .values("trajectory")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        phase_started_at=Subquery(phase_start.values("started_at")[:1]),
        open_action_count=Subquery(
            open_actions.order_by().values("trajectory").annotate(n=Count("pk")).values("n")[:1]
        ),
    )


@dataclass(frozen=True)
class Cadence:
    last_review_on: dt.date | None
    next_review_on: dt.date
    is_overdue: bool
    days_overdue: int


def cadence(trajectory: Trajectory, *, today: dt.date | None = None) -> Cadence:
    """Needs a trajectory annotated by :func:`with_review_summary`."""
    today = today or timezone.localdate()
    started = trajectory.phase_started_at
    next_on = trajectory.next_review_on(
        last_review_on=trajectory.last_review_on,
        phase_started_on=timezone.localdate(started) if started else None,
    )
    overdue = trajectory.review_is_overdue(next_on, today=today)
    return Cadence(trajectory.last_review_on, next_on, overdue, (today - next_on).days if overdue else 0)


def light_trend(latest: str | None, previous: str | None) -> str:
    """ "better", "worse", "same" or "" (fewer than two reviews) between the last two overall lights."""
    # Not assessed ("") is no position on the scale, so it is neither better nor worse.
    if not latest or not previous:
        return ""
    delta = LIGHT_SEVERITY[latest] - LIGHT_SEVERITY[previous]
    return "worse" if delta > 0 else "better" if delta < 0 else "same"


def actions_filtered(actions: QuerySet[Action], state: str, *, today: dt.date | None = None) -> QuerySet[Action]:
    """state: "open", "overdue" or "done"."""
    today = today or timezone.localdate()
    if state == "done":
        return actions.filter(closed_at__isnull=False).order_by("-closed_at", "-pk")
    actions = actions.filter(closed_at__isnull=True)
    if state == "overdue":
        actions = actions.filter(Q(due_on__lt=today))
    return actions


def trajectory_summary(trajectory: Trajectory) -> Trajectory:
    """One trajectory annotated by :func:`with_review_summary`, with ``cadence`` and ``light_trend`` set."""
    summary = with_review_summary(Trajectory.objects.filter(pk=trajectory.pk)).get()
    add_light_summaries([summary])
    return summary


def add_light_summaries(trajectories: Iterable[Trajectory], *, today: dt.date | None = None) -> None:
    """Set ``cadence`` and ``light_trend`` on trajectories annotated by :func:`with_review_summary`."""
    for trajectory in trajectories:
        trajectory.cadence = cadence(trajectory, today=today)
        trajectory.light_trend = light_trend(trajectory.last_review_light, trajectory.previous_review_light)


def phase_rows(trajectory: Trajectory) -> list[dict]:
    """Each phase in order with its spec and its subphases' states (from a prefetch or not)."""
    states = trajectory.phase_states_in_order()
    subphases: dict[str, SubphaseState] = {s.subphase: s for s in trajectory.subphase_states.all()}
    return [
        {
            "state": state,
            "spec": state.spec,
            "subphases": [(sub, subphases[sub.code]) for sub in state.spec.subphases],
        }
        for state in states
    ]


def filter_portfolio(trajectories: QuerySet[Trajectory], cleaned_data: dict) -> QuerySet[Trajectory]:
    """Apply the portfolio filters (``PortfolioFilterForm.cleaned_data``): the page and its exports share them."""
    if cleaned_data.get("q"):
        trajectories = trajectories.filter(
            Q(title__icontains=cleaned_data["q"]) | Q(intervention_name__icontains=cleaned_data["q"])
        )
    if cleaned_data.get("organisation"):
        org = cleaned_data["organisation"]
        trajectories = trajectories.filter(
            Q(owner=org) | Q(receiving_organisation=org) | Q(participants=org)
        ).distinct()
    if cleaned_data.get("phase"):
        trajectories = trajectories.filter(current_phase=cleaned_data["phase"])
    if cleaned_data.get("status"):
        trajectories = trajectories.filter(status=cleaned_data["status"])
    return trajectories


def portfolio_for(user, params) -> tuple:
    """The portfolio filter form and the user's visible trajectories filtered by it (page and exports)."""
    from organisations.access import visible_trajectories
    from organisations.models import Organisation

    from .forms import PortfolioFilterForm

    visible = visible_trajectories(user)
    org_ids = {
        org_id
        for pair in visible.values_list("owner_id", "receiving_organisation_id")
        for org_id in pair
        if org_id is not None
    }
    filters = PortfolioFilterForm(params or None, organisations=Organisation.objects.filter(pk__in=org_ids))
    trajectories = visible.select_related("owner", "receiving_organisation")
    if filters.is_valid():
        trajectories = filter_portfolio(trajectories, filters.cleaned_data)
    return filters, trajectories
