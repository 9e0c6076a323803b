"""What the reports show, gathered in a fixed number of queries. Views render it as HTML or PDF."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone

from fii.model import PHASE_SPECS

from . import selectors, selectors_borgen, selectors_implementeren, selectors_outcomes
from . import selectors_innoveren as phase_selectors
from .charts import light_counts, trend_chart
from .models import Action, Assignment, ChecklistItem, ReportRecord, Review, ReviewItem, Trajectory
from .models.reviews import LIGHT_SEVERITY, overall_light
from .selectors_people import attendees_of

DEFAULT_PERIOD_MONTHS = 3


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def default_period(trajectory: Trajectory, today: dt.date | None = None) -> Period:
    """Since the previous issued progress report; the last three months when there was none."""
    today = today or timezone.localdate()
    previous = trajectory.report_records.filter(period_end__lt=today).order_by("-period_end", "-pk").first()
    if previous is not None:
        return Period(min(previous.period_end + dt.timedelta(days=1), today), today)
    return Period(today - relativedelta(months=DEFAULT_PERIOD_MONTHS), today)


def record_issued(trajectory: Trajectory, period: Period, *, by) -> ReportRecord:
    return ReportRecord.objects.create(
        trajectory=trajectory, period_start=period.start, period_end=period.end, created_by=by
    )


@dataclass(frozen=True)
class LikeForLikeTrend:
    """The trend over a period, item by item: each checklist item against its own light in the earlier review.

    An item belongs to one phase's checklist, so only items both reviews assessed are compared, and a change of
    phase in between (another checklist) is never read as better or worse (issue 19).
    """

    direction: str  # "better", "worse", "same", or "" when nothing could be compared
    better: int = 0
    worse: int = 0
    same: int = 0
    phase_changed: bool = False

    @property
    def compared(self) -> int:
        return self.better + self.worse + self.same


def like_for_like_trend(latest: Review | None, before: Review | None) -> LikeForLikeTrend:
    if latest is None or before is None:
        return LikeForLikeTrend("")
    phase_changed = sorted(latest.phases) != sorted(before.phases)
    colours: dict[int, dict[int, str]] = {latest.pk: {}, before.pk: {}}
    rows = ReviewItem.objects.filter(review__in=[latest, before]).exclude(colour="")
    for review_id, item_id, colour in rows.values_list("review_id", "item_id", "colour"):
        colours[review_id][item_id] = colour
    now, then = colours[latest.pk], colours[before.pk]
    shared = sorted(set(now) & set(then))
    if not shared:
        return LikeForLikeTrend("", phase_changed=phase_changed)
    steps = [LIGHT_SEVERITY[now[item]] - LIGHT_SEVERITY[then[item]] for item in shared]
    overall_now = overall_light(now[item] for item in shared)
    overall_then = overall_light(then[item] for item in shared)
    delta = LIGHT_SEVERITY[overall_now] - LIGHT_SEVERITY[overall_then]
    return LikeForLikeTrend(
        "worse" if delta > 0 else "better" if delta < 0 else "same",
        better=sum(step < 0 for step in steps),
        worse=sum(step > 0 for step in steps),
        same=sum(step == 0 for step in steps),
        phase_changed=phase_changed,
    )


def progress_report(trajectory: Trajectory, period: Period) -> dict:
    """A highlight report: status, this period, what comes next, actions, trend, risks and team."""
    reviews = list(
        trajectory.reviews.filter(held_on__lte=period.end).select_related("finalised_by").order_by("-held_on", "-pk")
    )
    in_period = [r for r in reviews if period.contains(r.held_on)]
    finalised = [r for r in reviews if r.is_final]
    latest = finalised[0] if finalised else None
    # The trend compares the last light with the light at the start of the period; without a review
    # in the period there is nothing to compare.
    before = next((r for r in finalised if r.held_on < period.start), None)
    if latest is not None and latest.held_on < period.start:
        before = None
    charted = in_period[:26]
    actions = list(
        Action.objects.filter(trajectory=trajectory)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__date__gte=period.start, closed_at__date__lte=period.end))
        .select_related("assignee", "owner_person__person", "item")
    )
    risks = []
    if latest is not None:
        risks = list(latest.items.filter(colour="rood").select_related("item").order_by("position"))
    attendees = attendees_of(latest) if latest else []
    # The team section is the implementation team (subphase 5a) as it was during the period.
    team = list(
        trajectory.team_members.filter(joined_on__lte=period.end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=period.start))
        .select_related("stakeholder__person")
    )
    return {
        "trajectory": trajectory,
        "summary": selectors.trajectory_summary(trajectory),
        "period": period,
        "latest": latest,
        # Like for like: each checklist item against its own earlier light, never across a change of phase.
        "trend": like_for_like_trend(latest, before),
        "before": before,
        "reviews_in_period": in_period,
        "transitions": [
            t
            for t in trajectory.transitions.select_related("created_by")
            if period.contains(timezone.localdate(t.created_at))
        ],
        "open_actions": [a for a in actions if a.is_open],
        "closed_actions": [a for a in actions if not a.is_open],
        "chart": trend_chart(charted, light_counts(charted)),
        "risks": risks,
        "attendees": attendees,
        "team": team,
        "current_spec": PHASE_SPECS[trajectory.current_phase],
        "previous_reports": list(trajectory.report_records.select_related("created_by")[:3]),
        **_outcomes(trajectory),
        "fidelity": selectors_outcomes.fidelity_trend(trajectory),
    }


def _outcomes(trajectory: Trajectory) -> dict:
    """Outcomes and reach (issue 22), as the progress report and the phase reports of 5 and 6 show them."""
    indicators = selectors_outcomes.indicators_with_measurements(trajectory)
    return {"indicators": indicators, "outcomes": selectors_outcomes.summary_of(indicators)}


def phase_report(trajectory: Trajectory, phase: str) -> dict:
    """One phase: goal, completion, subphases with the team's answers, checklist with latest lights."""
    row = next(r for r in selectors.phase_rows(trajectory) if r["state"].phase == phase)
    items = list(ChecklistItem.objects.filter(trajectory=trajectory, phase=phase, retired_at__isnull=True))
    latest_light: dict[int, ReviewItem] = {}
    assessed = (
        # Only finalised reviews count; an open one is still being filled in.
        ReviewItem.objects.filter(
            item__in=items, review__finalised_at__isnull=False, review__held_on__lte=timezone.localdate()
        )
        .select_related("review")
        .order_by("item_id", "-review__held_on", "-review_id")
    )
    for assessment in assessed:
        latest_light.setdefault(assessment.item_id, assessment)
    open_actions: dict[int, list[Action]] = {}
    open_on_items = Action.objects.filter(item__in=items, closed_at__isnull=True)
    for action in open_on_items.select_related("assignee", "owner_person__person"):
        open_actions.setdefault(action.item_id, []).append(action)
    checklist = [
        {"item": item, "last": latest_light.get(item.pk), "actions": open_actions.get(item.pk, [])} for item in items
    ]
    return {
        "trajectory": trajectory,
        "row": row,
        "spec": row["spec"],
        "checklist": checklist,
        "assignment": Assignment.objects.filter(trajectory=trajectory).first() if phase == "signaleren" else None,
        "verkennen": selectors.verkennen_overview(trajectory) if phase == "verkennen" else None,
        "innoveren": phase_selectors.innoveren_overview(trajectory) if phase == "innoveren" else None,
        "implementeren": selectors_implementeren.training_summary(trajectory) if phase == "implementeren" else None,
        "borgen": selectors_borgen.borgen_overview(trajectory) if phase == "borgen" else None,
        "section": phase_section(phase),
        **(_outcomes(trajectory) if phase in ("implementeren", "borgen") else {}),
        "fidelity": selectors_outcomes.fidelity_trend(trajectory) if phase == "borgen" else None,
        **(_versterken(trajectory) if phase == "versterken" else {}),
    }


def _versterken(trajectory: Trajectory) -> dict:
    """Phase 4 in its report: the map, the register and the coverage, as on the map page."""
    from . import key_figures
    from .models import Side, Stakeholder

    stakeholders = list(
        key_figures.with_last_contact(
            Stakeholder.objects.filter(trajectory=trajectory).select_related("person")
        ).order_by("-influence", "person__name", "pk")
    )
    for s in stakeholders:
        s.last_contact = key_figures.last_contact(s)
    return {
        "stakeholders": stakeholders,
        "map": key_figures.stakeholder_map(stakeholders),
        "coverage": key_figures.coverage(stakeholders),
        "sides": Side.choices,
        "report_backs": list(trajectory.report_backs.select_related("stakeholder__person")),
    }


def phase_section(phase: str) -> str | None:
    """The template of a phase's own report section (``reports/sections/phase_<code>.html``), if it has one."""
    name = f"reports/sections/phase_{phase}.html"
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return None
    return name


def portfolio_report(trajectories) -> dict:
    rows = list(
        selectors.with_review_summary(trajectories)
        .select_related("owner", "receiving_organisation")
        .order_by("current_phase", "title", "pk")
    )
    selectors.add_light_summaries(rows)
    return {
        "rows": rows,
        "overdue": sum(1 for t in rows if t.cadence.is_overdue),
        "red": sum(1 for t in rows if t.last_review_light == "rood"),
    }


def organisation_portfolio(user, organisation) -> dict:
    """The portfolio report of an organisation: its trajectories that ``user`` sees, decided now (a background
    job calls this when it runs, not when it was asked for)."""
    from .access import visible_trajectories
    from .visibility import visible_ids

    trajectories = visible_trajectories(user).filter(pk__in=visible_ids([organisation.pk]))
    return {"organisation": organisation, **portfolio_report(trajectories)}


def organisation_learning(organisation, data) -> dict:
    """The figures and charts of "Leren van trajecten" with the choices in ``data`` (the page's query string, or
    what a job stored of it); ``form`` and ``query`` for the page."""
    from urllib.parse import urlencode

    from django.conf import settings

    from . import learning
    from .charts import learning_charts
    from .forms import LearningFilterForm

    form = LearningFilterForm(data or None)
    archived, stalled_days, silence_days = form.choices(
        stalled_days=learning.DEFAULT_STALLED_DAYS, silence_days=settings.FII_RADIO_SILENCE_DAYS
    )
    figures = learning.learning_overview(
        learning.owned_trajectories(organisation, include_archived=archived),
        stalled_days=stalled_days,
        silence_days=silence_days,
        include_archived=archived,
    )
    query = urlencode({k: v for k, v in (data or {}).items() if k in form.fields})
    return {"organisation": organisation, "form": form, "learning": figures, "query": query, **learning_charts(figures)}
