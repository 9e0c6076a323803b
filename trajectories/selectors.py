"""Reads that pages share: review cadence and lights for one trajectory or a whole list.

Each helper answers in a fixed number of queries, however many trajectories, reviews or items there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import Count, Field, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from fii.model import FINANCING_QUESTIONS, SHORTLIST_ADVISED, SHORTLIST_CRITERIA

from .models import (
    Action,
    Candidate,
    CandidateStatus,
    Check,
    OrientationTalk,
    PhaseState,
    Plan,
    Review,
    Side,
    SubphaseState,
    Trajectory,
)
from .models.reviews import LIGHT_SEVERITY
from .selectors_outcomes import OutcomeCounts, outcomes_of, with_outcome_counts
from .visibility import visible_ids

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class ReviewSummary(TypedDict):
    """What :func:`with_review_summary` annotates (a subquery is None where there is no row)."""

    last_review_on: dt.date | None
    last_review_light: str | None
    previous_review_light: str | None
    last_review_phases: list[str] | None
    previous_review_phases: list[str] | None
    review_count: int | None
    phase_started_at: dt.datetime | None
    open_action_count: int | None


class TrajectorySummary(ReviewSummary, OutcomeCounts):
    """A trajectory read by :func:`trajectory_summary`: both sets of annotations."""


def with_review_summary(
    trajectories: QuerySet[Trajectory], *, today: dt.date | None = None
) -> QuerySet[WithAnnotations[Trajectory, ReviewSummary]]:
    """Annotate the last review's date, the last two finalised lights, and the current phase's start."""
    today = today or timezone.localdate()
    held = Review.objects.filter(trajectory=OuterRef("pk"), held_on__lte=today).order_by("-held_on", "-pk")
    # Lights come from finalised reviews: an open review is still being filled in.
    final = held.filter(finalised_at__isnull=False)
    phase_start = PhaseState.objects.filter(trajectory=OuterRef("pk"), phase=OuterRef("current_phase"))
    open_actions = Action.objects.filter(trajectory=OuterRef("pk"), closed_at__isnull=True)
    return trajectories.annotate(
        last_review_on=Subquery(held.values("held_on")[:1]),
        last_review_light=Subquery(final.values("overall_light")[:1]),
        previous_review_light=Subquery(final.values("overall_light")[1:2]),
        # The trend compares like with like: two reviews of the same phases.
        last_review_phases=Subquery(final.values("phases")[:1]),
        previous_review_phases=Subquery(final.values("phases")[1:2]),
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


def cadence(trajectory: WithAnnotations[Trajectory, ReviewSummary], *, today: dt.date | None = None) -> Cadence:
    """Needs a trajectory annotated by :func:`with_review_summary`."""
    today = today or timezone.localdate()
    started = trajectory.phase_started_at
    next_on = trajectory.next_review_on(
        last_review_on=trajectory.last_review_on,
        phase_started_on=timezone.localdate(started) if started else None,
    )
    overdue = trajectory.review_is_overdue(next_on, today=today)
    return Cadence(trajectory.last_review_on, next_on, overdue, (today - next_on).days if overdue else 0)


def light_trend(
    latest: str | None,
    previous: str | None,
    *,
    latest_phases: Iterable[str] | None = None,
    previous_phases: Iterable[str] | None = None,
) -> str:
    """ "better", "worse", "same" or "" (fewer than two reviews) between the last two overall lights;
    "new_phase" when the last review covered other phases than the one before (its checklist differs, so
    its light is no step up or down from the previous one)."""
    # Not assessed ("") is no position on the scale, so it is neither better nor worse.
    if not latest or not previous:
        return ""
    if sorted(latest_phases or ()) != sorted(previous_phases or ()):
        return "new_phase"
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
    row = with_outcome_counts(with_review_summary(Trajectory.objects.filter(pk=trajectory.pk))).get()
    # Both annotate() calls apply to this one query; the stubs cannot type a row annotated by two helpers.
    summary = cast("WithAnnotations[Trajectory, TrajectorySummary]", row)
    add_light_summaries([summary])
    summary.outcomes = outcomes_of(summary)  # issue 22: in the same query
    return summary


def add_light_summaries(
    trajectories: Iterable[WithAnnotations[Trajectory, ReviewSummary]], *, today: dt.date | None = None
) -> None:
    """Set ``cadence`` and ``light_trend`` on trajectories annotated by :func:`with_review_summary`."""
    for trajectory in trajectories:
        trajectory.cadence = cadence(trajectory, today=today)
        trajectory.light_trend = light_trend(
            trajectory.last_review_light,
            trajectory.previous_review_light,
            latest_phases=trajectory.last_review_phases,
            previous_phases=trajectory.previous_review_phases,
        )


def phase_rows(trajectory: Trajectory) -> list[dict]:
    """Each phase in order with its spec and its subphases' states (from a prefetch or not)."""
    states = trajectory.phase_states_in_order()
    # updated_by: the phase page names who last changed each subphase, and services now set it when work starts.
    subphases: dict[str, SubphaseState] = {
        s.subphase: s for s in trajectory.subphase_states.select_related("updated_by")
    }
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
        trajectories = trajectories.filter(pk__in=visible_ids([cleaned_data["organisation"].pk]))
    if cleaned_data.get("phase"):
        trajectories = trajectories.filter(current_phase=cleaned_data["phase"])
    if cleaned_data.get("status"):
        trajectories = trajectories.filter(status=cleaned_data["status"])
    return trajectories


def portfolio_for(user, params) -> tuple:
    """The portfolio filter form and the user's visible trajectories filtered by it (page and exports)."""
    from organisations.models import Organisation

    from .access import portfolio_organisations, visible_trajectories
    from .forms import PortfolioFilterForm

    visible = visible_trajectories(user)
    # Giving and receiving organisations of the visible trajectories: the choices to show come from the
    # cache (access.portfolio_organisations) when the form is rendered, the queryset only checks a chosen one.
    organisations = (
        Organisation.objects.filter(
            Q(pk__in=visible.values("owner_id")) | Q(pk__in=visible.values("receiving_organisation_id"))
        )
        if params.get("organisation")
        else Organisation.objects.none()
    )
    filters = PortfolioFilterForm(
        params or None, organisations=organisations, choices=lambda: portfolio_organisations(user)
    )
    trajectories = visible.select_related("owner", "receiving_organisation")
    if filters.is_valid():
        trajectories = filter_portfolio(trajectories, filters.cleaned_data)
    return filters, trajectories


# Phase 2 (Verkennen) ---------------------------------------------------------------------------


def shortlist(trajectory: Trajectory) -> list[Candidate]:
    """The candidates in the order they were added, each with ``rating_for`` (criterion → rating),
    ``talk_list`` (newest first) and ``latest_talk``; three queries however long the list is."""
    fetched = list(
        trajectory.candidates.select_related("organisation").prefetch_related(
            "ratings",
            Prefetch("talks", queryset=OrientationTalk.objects.order_by("-held_on", "-pk"), to_attr="talk_list"),
        )
    )
    for candidate in fetched:
        candidate.rating_for = {rating.criterion: rating for rating in candidate.ratings.all()}
        candidate.answered = sum(rating.answer != Check.ONBEKEND for rating in candidate.rating_for.values())
        candidate.latest_talk = candidate.talk_list[0] if candidate.talk_list else None
    # The plugin types ``fetched`` as candidates with a ``talk_list``; callers read them as plain candidates.
    candidates: list[Candidate] = list(fetched)
    return candidates


def criterion_fact(code: str, candidate: Candidate) -> str:
    """The figures the team recorded that belong with a criterion, as one short line."""
    if code == "caseload" and candidate.caseload is not None:
        return _("%(n)s clients per professional") % {"n": candidate.caseload}
    if code == "trajectduur" and (candidate.average_length_months or candidate.maximum_length_months) is not None:
        return _("average %(average)s, at most %(maximum)s months") % {
            "average": number_format(candidate.average_length_months) if candidate.average_length_months else "?",
            "maximum": number_format(candidate.maximum_length_months) if candidate.maximum_length_months else "?",
        }
    return ""


def financing_row(candidates: list[Candidate]) -> list[dict]:
    """Figure 3 per candidate, beside the criteria and not among them: the financing structure, the question
    it asks and what the answer says the process needs. No score: the structure excludes no one."""
    return [
        {
            "structure": candidate.get_financing_display(),
            "questions": FINANCING_QUESTIONS[candidate.financing],
            "need": candidate.financing_need,
            "need_label": candidate.get_financing_need_display(),
            "note": candidate.financing_note,
        }
        for candidate in candidates
    ]


TALK_QUESTIONS = ("sees_added_value", "fits_practice", "commits_resources", "joins_team")


def comparison_rows(candidates: list[Candidate]) -> list[dict]:
    """One row per criterion of 2a, one cell per candidate: its rating (None when not judged yet) and
    the figures that go with the criterion."""
    return [
        {
            "spec": spec,
            "cells": [
                {"rating": candidate.rating_for.get(spec.code), "fact": criterion_fact(spec.code, candidate)}
                for candidate in candidates
            ],
        }
        for spec in SHORTLIST_CRITERIA
    ]


def talk_rows(candidates: list[Candidate]) -> list[dict]:
    """Compatibility and readiness from each candidate's latest talk (None where no talk was held)."""
    rows = []
    for name in TALK_QUESTIONS:
        cells = []
        for candidate in candidates:
            value = getattr(candidate.latest_talk, name) if candidate.latest_talk else None
            cells.append({"value": value, "label": Check(value).label} if value else None)
        field = OrientationTalk._meta.get_field(name)
        assert isinstance(field, Field)  # TALK_QUESTIONS names the talk's own fields, not a reverse relation
        rows.append({"label": field.verbose_name, "cells": cells})
    return rows


def shortlist_size_warning(count: int) -> str:
    """ "few", "many" or "": the model advises two to four candidates; we warn outside that, never forbid."""
    low, high = SHORTLIST_ADVISED
    if count < low:
        return "few"
    if count > high:
        return "many"
    return ""


OWNERSHIP_MIN_TASKS = 3  # below this many owned open tasks a lean says little
OWNERSHIP_LEAN_SHARE = 0.75  # one side owning this share or more of the open tasks is a warning


@dataclass(frozen=True)
class OwnershipBalance:
    """Open tasks (actions) per side of the trajectory, for shared ownership (2c)."""

    giving: int
    receiving: int
    others: int
    unassigned: int

    @property
    def owned(self) -> int:
        return self.giving + self.receiving

    @property
    def giving_percent(self) -> int:
        return round(100 * self.giving / self.owned) if self.owned else 0

    @property
    def leans_to(self) -> str:
        """ "gevend" or "ontvangend" when one side owns too much of the work; "" when balanced or too few tasks."""
        if self.owned < OWNERSHIP_MIN_TASKS:
            return ""
        if self.giving >= OWNERSHIP_LEAN_SHARE * self.owned:
            return "gevend"
        if self.receiving >= OWNERSHIP_LEAN_SHARE * self.owned:
            return "ontvangend"
        return ""


def ownership_balance(trajectory: Trajectory) -> OwnershipBalance:
    """An account's task counts for its organisation; a task of a person without an account (issue 18) for the
    side that person stands on in the stakeholder register (giving, receiving, or third party: the others)."""
    rows = (
        trajectory.actions.filter(closed_at__isnull=True)
        .values_list("organisation_id", "owner_person__side")
        .annotate(n=Count("pk"))
        .order_by()
    )
    giving = receiving = others = unassigned = 0
    for organisation_id, side, n in rows:
        if organisation_id is None and side is None:
            unassigned += n
        elif organisation_id == trajectory.owner_id or side == Side.GEVEND:
            giving += n
        elif (organisation_id is not None and organisation_id == trajectory.receiving_organisation_id) or (
            side == Side.ONTVANGEND
        ):
            receiving += n
        else:
            others += n
    return OwnershipBalance(giving=giving, receiving=receiving, others=others, unassigned=unassigned)


def choice_of(trajectory: Trajectory, candidates: list[Candidate] | None = None) -> tuple[Candidate | None, object]:
    """The chosen candidate and the status change that recorded the decision (with its rationale)."""
    if candidates is None:
        chosen = trajectory.candidates.filter(status=CandidateStatus.GEKOZEN).select_related("organisation").first()
    else:
        chosen = next((c for c in candidates if c.status == CandidateStatus.GEKOZEN), None)
    if chosen is None:
        return None, None
    decision = chosen.status_changes.filter(to_status=CandidateStatus.GEKOZEN).select_related("created_by").first()
    return chosen, decision


def verkennen_overview(trajectory: Trajectory) -> dict:
    """Everything of phase 2 at a glance, for the phase page and the phase report."""
    candidates = shortlist(trajectory)
    chosen, decision = choice_of(trajectory, candidates)
    return {
        "candidates": candidates,
        "rows": comparison_rows(candidates),
        "financing": financing_row(candidates),
        "talks": talk_rows(candidates),
        "size_warning": shortlist_size_warning(len(candidates)),
        "chosen": chosen,
        "decision": decision,
        "agreements": list(trajectory.agreements.select_related("organisation")),
        "plan": Plan.objects.filter(trajectory=trajectory).select_related("updated_by").first(),
        "milestones": list(trajectory.milestones.all()),
        "balance": ownership_balance(trajectory),
        "open_changes": list(trajectory.people_changes.filter(revisited_on__isnull=True)),
    }


@dataclass
class FinaliseChecks:
    """What deserves a look before a review is finalised (issue 18): shown on the confirmation, never blocking."""

    needs_action: list  # review items that are red or orange while their checklist item has no open action
    unassessed: list  # review items without a light
    summary: str  # "" when fine, "empty" when there is none, "unchanged" when it repeats the previous review's
    previous: Review | None

    @property
    def anything(self) -> bool:
        return bool(self.needs_action or self.unassessed or self.summary)


def review_finalise_checks(review: Review) -> FinaliseChecks:
    """Three queries: the review's items, the items with an open action, and the previous finalised review."""
    items = list(review.items.select_related("item").order_by("position", "pk"))
    with_action = set(
        Action.objects.filter(
            trajectory_id=review.trajectory_id, closed_at__isnull=True, item_id__in=[ri.item_id for ri in items]
        ).values_list("item_id", flat=True)
    )
    previous = (
        Review.objects.filter(trajectory_id=review.trajectory_id, finalised_at__isnull=False)
        .filter(Q(held_on__lt=review.held_on) | Q(held_on=review.held_on, pk__lt=review.pk))
        .exclude(pk=review.pk)
        .order_by("-held_on", "-pk")
        .first()
    )
    summary = review.summary.strip()
    if not summary:
        summary_state = "empty"
    elif previous is not None and previous.summary.strip() == summary:
        summary_state = "unchanged"
    else:
        summary_state = ""
    return FinaliseChecks(
        needs_action=[ri for ri in items if ri.colour in ("rood", "oranje") and ri.item_id not in with_action],
        unassessed=[ri for ri in items if not ri.colour],
        summary=summary_state,
        previous=previous,
    )


def plan_of(trajectory):
    """The trajectory's plan of approach, or an unsaved empty one: showing a page (or refusing a form on it)
    never writes a row. The plan is stored by the first save (``services.plan_update``)."""
    return Plan.objects.filter(trajectory=trajectory).first() or Plan(trajectory=trajectory)
