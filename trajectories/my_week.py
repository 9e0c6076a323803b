"""“Mijn week”: what needs a person this week, most urgent first. The weekly digest mails the same.

The facts come from the computations the other pages use (review cadence from :mod:`trajectories.selectors`,
radio silence from :mod:`trajectories.key_figures`, open changes of key people); this module only picks
what concerns one person and sorts it. The scheduler (:mod:`trajectories.scheduler`) reads the same
:func:`trajectory_signals`, so a notification and the page never disagree about what is due.

A fixed number of queries, however many trajectories, actions or key figures there are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    DateField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone

from organisations.access import memberships_of
from organisations.models import Role

from . import key_figures, selectors
from .access import in_visible_trajectories
from .models import (
    CLOSED_STATUSES,
    Action,
    PeopleChange,
    PhaseState,
    Review,
    ReviewInterval,
    Trajectory,
    TrajectoryStatus,
)
from .visibility import visible_ids

WEEK_DAYS = 7
# The bound a person needs: nobody works through more in a week. Beyond it the page links to the full lists
# (my actions, paginated; the portfolio), so the page costs the same for 30 trajectories as for 20,000.
MAX_ACTIONS = 25
MAX_TRAJECTORIES = 40


def worked_on(user) -> QuerySet[Trajectory]:
    """The trajectories the user works on: not archived, and taken part in by an organisation in which the user
    is bewerker or beheerder. Readers follow a trajectory; the week's work is asked of those who edit it."""
    org_ids = [org for org, role in memberships_of(user).items() if Role(role).allows(Role.BEWERKER)]
    if not org_ids:
        return Trajectory.objects.none()
    return trajectories_of_organisations(org_ids)


def trajectories_of_organisations(org_ids) -> QuerySet[Trajectory]:
    return Trajectory.objects.filter(pk__in=visible_ids(org_ids), archived_at__isnull=True)


def _review_base(today: dt.date) -> Coalesce:
    """The day the next review counts from, as :meth:`Trajectory.next_review_on` takes it: the last review held,
    else the start of the current phase, else the start of the trajectory. Only for the few trajectories whose
    stored next review may be stale (:func:`_stale`); the others read ``review_due_on``."""
    last_review = Review.objects.filter(trajectory=OuterRef("pk"), held_on__lte=today).order_by("-held_on", "-pk")
    phase_start = PhaseState.objects.filter(trajectory=OuterRef("pk"), phase=OuterRef("current_phase"))
    return Coalesce(
        Subquery(last_review.values("held_on")[:1]),
        TruncDate(Subquery(phase_start.values("started_at")[:1])),
        F("start_date"),
        output_field=DateField(),
    )


def _stale(today: dt.date) -> Q:
    """The trajectories whose stored next review may be wrong today: a review dated after the day it was stored
    counts by now (the rule is in :mod:`trajectories.review_schedule`), or it was never stored (a row written
    past the services, as ``Trajectory.objects.create``). Their reviews are read instead."""
    return Q(review_due_stale_on__lte=today) | Q(review_due_on__isnull=True)


def _stale_due(active: QuerySet[Trajectory], today: dt.date) -> list[tuple[dt.date, int]]:
    """(next review, id) of the active trajectories whose stored date may be stale (:func:`_stale`), computed from
    their reviews as :meth:`Trajectory.next_review_on` does; one query, over the few rows it concerns."""
    return [
        (ReviewInterval(interval).after(base), pk)
        for pk, interval, base in active.filter(_stale(today))
        .annotate(base=_review_base(today))
        .values_list("pk", "review_interval", "base")
    ]


def most_urgent(trajectories: QuerySet[Trajectory], *, today: dt.date, limit: int) -> list[int]:
    """The ``limit`` active trajectories whose next stoplight review comes first (the longest overdue first, then
    by id), so that the signals are computed for at most ``limit`` trajectories.

    The stored ``review_due_on`` comes in order from the index ``trajectory_review_due_active``: the cost follows
    ``limit``, not the number of trajectories. The rare trajectories whose stored date may be stale are computed
    from their reviews in a second query and merged in."""
    active = trajectories.filter(status=TrajectoryStatus.ACTIEF)
    fresh = [
        (due, pk)
        for due, pk in active.exclude(_stale(today))
        .order_by("review_due_on", "pk")
        .values_list("review_due_on", "pk")[:limit]
        if due is not None  # always: a row without a stored date is stale (_stale)
    ]
    stale = _stale_due(active, today)
    if not stale:
        return [pk for _due, pk in fresh]
    return [pk for _due, pk in sorted(fresh + stale)[:limit]]


def review_counts(trajectories: QuerySet[Trajectory], *, today: dt.date, until: dt.date) -> tuple[int, int]:
    """(overdue, due by ``until``): how many of the active ``trajectories`` have their next stoplight review late
    or coming, exactly as :func:`trajectories.selectors.cadence` decides it for each one. Two queries for any
    number of trajectories; the page uses it only when the bound left trajectories out.

    The stored dates are counted in the database; the few that may be stale are computed in their own query and
    counted here. (One query with the review base in a ``CASE`` for the stale rows evaluated no subquery, but its
    cost estimate counted them for every row, so PostgreSQL compiled it with JIT: about 60 ms at 2,000.)"""
    active = trajectories.filter(status=TrajectoryStatus.ACTIEF)
    counts = active.exclude(_stale(today)).aggregate(
        overdue=Count("pk", filter=Q(review_due_on__lt=today)),
        due=Count("pk", filter=Q(review_due_on__gte=today, review_due_on__lte=until)),
    )
    stale = [due for due, _pk in _stale_due(active, today)]
    overdue = counts["overdue"] + sum(1 for due in stale if due < today)
    return overdue, counts["due"] + sum(1 for due in stale if today <= due <= until)


@dataclass
class TrajectorySignals:
    """One active trajectory with its review cadence (``trajectory.cadence``), its radio-silence flags and its
    changes of key people that still await the talk about shared ownership (subphase 2c)."""

    trajectory: Trajectory
    silence: list = field(default_factory=list)
    changes: list = field(default_factory=list)


def trajectory_signals(trajectories: QuerySet[Trajectory], *, today: dt.date) -> list[TrajectorySignals]:
    """Three queries for any number of trajectories (two when none is active). Only active trajectories are
    watched: a paused or closed trajectory is expected to hold no reviews, as on the trajectory page."""
    active = list(
        selectors.with_review_summary(
            trajectories.filter(status=TrajectoryStatus.ACTIEF).select_related("owner").order_by("title", "pk"),
            today=today,
        )
    )
    if not active:
        return []
    selectors.add_light_summaries(active, today=today)
    ids = [t.pk for t in active]
    flags = key_figures.radio_silence(ids, today=today)
    changes: dict[int, list[PeopleChange]] = {}
    for change in PeopleChange.objects.filter(trajectory_id__in=ids, revisited_on__isnull=True).order_by(
        "occurred_on", "pk"
    ):
        changes.setdefault(change.trajectory_id, []).append(change)
    return [TrajectorySignals(t, flags.get(t.pk, []), changes.get(t.pk, [])) for t in active]


@dataclass(frozen=True)
class WeekItem:
    kind: str  # "action", "review", "radio_silence" or "ownership_talk"
    trajectory: Trajectory
    url: str
    on: dt.date  # due date, or since when the signal stands
    days: int  # days late, days until due, or days silent
    action: Action | None = None
    flag: object = None  # key_figures.SilenceFlag
    change: PeopleChange | None = None


@dataclass
class MyWeek:
    today: dt.date
    until: dt.date
    has_access: bool
    overdue: list[WeekItem] = field(default_factory=list)
    due: list[WeekItem] = field(default_factory=list)
    signals: list[WeekItem] = field(default_factory=list)
    more_actions: bool = False  # more open actions are due than the page shows (MAX_ACTIONS)
    more_trajectories: bool = False  # the user works on more trajectories than the page watches
    # How many items each section would hold without the bounds; counted only when a bound cut something.
    overdue_total: int = 0
    due_total: int = 0
    signals_total: int = 0
    # The signals of the trajectories the bound left out are not counted (radio silence over every key figure of
    # every trajectory: 88 ms for 300 trajectories, growing with them), so that section says "3+" instead.
    signals_uncounted: bool = False

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.due) + len(self.signals)

    @property
    def total(self) -> int:
        return self.overdue_total + self.due_total + self.signals_total

    # How many of each section the bounds left out ("and 3 more" in the weekly digest).
    @property
    def overdue_cut(self) -> int:
        return self.overdue_total - len(self.overdue)

    @property
    def due_cut(self) -> int:
        return self.due_total - len(self.due)


def my_week(user, *, today: dt.date | None = None) -> MyWeek:
    today = today or timezone.localdate()
    until = today + dt.timedelta(days=WEEK_DAYS)
    week = MyWeek(today=today, until=until, has_access=bool(memberships_of(user)))
    if not week.has_access:
        return week

    my_due_actions = Action.objects.filter(
        in_visible_trajectories(user),
        assignee=user,
        closed_at__isnull=True,
        due_on__lte=until,
    ).exclude(trajectory__status__in=CLOSED_STATUSES)
    due_actions = list(my_due_actions.select_related("trajectory__owner").order_by("due_on", "pk")[: MAX_ACTIONS + 1])
    week.more_actions = len(due_actions) > MAX_ACTIONS
    for action in due_actions[:MAX_ACTIONS]:
        if action.due_on is None:  # excluded by due_on__lte above; the guard tells the type checker
            continue
        url = reverse("trajectories:action", args=[action.trajectory_id, action.pk])
        late = (today - action.due_on).days
        item = WeekItem("action", action.trajectory, url, action.due_on, abs(late), action=action)
        (week.overdue if late > 0 else week.due).append(item)

    watched = most_urgent(worked_on(user), today=today, limit=MAX_TRAJECTORIES + 1)
    week.more_trajectories = len(watched) > MAX_TRAJECTORIES
    candidates = Trajectory.objects.filter(pk__in=watched[:MAX_TRAJECTORIES])
    for signals in trajectory_signals(candidates, today=today):
        trajectory = signals.trajectory
        cadence = trajectory.cadence
        if cadence.next_review_on <= until:
            url = reverse("trajectories:reviews", args=[trajectory.pk])
            late = (today - cadence.next_review_on).days
            item = WeekItem("review", trajectory, url, cadence.next_review_on, abs(late))
            (week.overdue if cadence.is_overdue else week.due).append(item)
        for flag in signals.silence:
            url = reverse("trajectories:stakeholder", args=[trajectory.pk, flag.stakeholder.pk])
            since = flag.last_contact or timezone.localdate(flag.stakeholder.created_at)
            week.signals.append(WeekItem("radio_silence", trajectory, url, since, flag.days_silent, flag=flag))
        for change in signals.changes:
            url = reverse("trajectories:people_change_revisit", args=[trajectory.pk, change.pk])
            days = (today - change.occurred_on).days
            week.signals.append(WeekItem("ownership_talk", trajectory, url, change.occurred_on, days, change=change))

    _count_what_the_bounds_cut(week, user, my_due_actions)

    # Most urgent first: the longest overdue, the soonest due, the longest standing signal.
    week.overdue.sort(key=lambda i: (i.on, i.kind != "review", i.trajectory.title, i.url))
    week.due.sort(key=lambda i: (i.on, i.kind != "review", i.trajectory.title, i.url))
    week.signals.sort(key=lambda i: (-i.days, i.trajectory.title, i.url))
    return week


def _count_what_the_bounds_cut(week: MyWeek, user, my_due_actions: QuerySet[Action]) -> None:
    """Set the sections' totals: what is shown, plus what a bound left out (counted in the database, one query
    per bound that cut; none while everything fits), so a badge can say "2 of 3" and an empty section does not
    claim that nothing is due. The signals of left-out trajectories are not counted (see ``signals_uncounted``)."""
    today, until = week.today, week.until

    def shown(items: list[WeekItem], *kinds: str) -> int:
        return sum(1 for i in items if i.kind in kinds)

    if week.more_actions:
        actions = my_due_actions.aggregate(
            late=Count("pk", filter=Q(due_on__lt=today)), coming=Count("pk", filter=Q(due_on__gte=today))
        )
        late_actions, coming_actions = actions["late"], actions["coming"]
    else:
        late_actions, coming_actions = shown(week.overdue, "action"), shown(week.due, "action")
    if week.more_trajectories:
        mine = worked_on(user)
        late_reviews, coming_reviews = review_counts(mine, today=today, until=until)
        week.signals_uncounted = True
    else:
        late_reviews, coming_reviews = shown(week.overdue, "review"), shown(week.due, "review")
    week.overdue_total = late_actions + late_reviews
    week.due_total = coming_actions + coming_reviews
    week.signals_total = len(week.signals)
