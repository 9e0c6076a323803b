"""Learning across trajectories (issue 22): what an organisation's trajectories have in common.

One read over all trajectories a giving organisation owns (``owner``; trajectories where it only receives or
takes part belong to another organisation's record and are left out), archived ones optionally included.
Every figure is read with a fixed number of queries, whatever the number of trajectories: the database groups
and counts (``Count``, ``Max``, ``filter=``), and where a median or quartile is needed and SQLite has no
percentile function, Python takes it from one query's result (``statistics``). Never one query per trajectory;
``tests/trajectories/test_learning.py`` holds the count flat at two data sizes and ``bench/learning.py``
measures the page on ``seed_scale --size large``.

The figures:

- *Checklist items most often red or orange*: over the lights given in finalised stoplight reviews, grouped by
  the owner's template line a trajectory's line was copied from (``ChecklistItem.template_item``, set by
  ``services/checklists.py``; a team's rewording stays in the group). Lines without one (the product's default
  lines, lines a team wrote itself, imported lines) group by phase and wording, as the defaults are copied with
  the same wording into every trajectory.
- *Days per phase*: from the start to the completion of every completed phase (``PhaseState``), as median,
  quartiles and range; re-openings (a transition into a phase that was completed before) and skipped phases.
- *Red back to green*: an episode starts at the first finalised review where an item turns red and ends at the
  first later finalised review where it is green again (orange in between does not end it). ``carried_colour``
  (the item's light at its previous review) marks the reviews where the light changed, so only those rows are
  read.
- *Stalled*: active trajectories without a phase transition and without a review for ``stalled_days`` days.
- *Radio silence*: the share of key figures (influence 4 or 5) of active trajectories without contact for
  ``silence_days`` days, as ``key_figures.radio_silence`` flags them (subphase 4b).
- *Recurring CFIR barriers*: constructs rated −1 or −2 in at least two trajectories (per CFIR version, because
  a construct code means different constructs in the two versions). The negative ratings follow the CFIR rating
  rules of Damschroder, L.J. & Lowery, J.C. (2013), "Evaluation of a large-scale weight management program using
  the consolidated framework for implementation research (CFIR)", *Implementation Science* 8:51 (−1/−2: the
  construct, or its absence, hinders the implementation; reused as rating criteria tables in later studies, e.g.
  *BMC Public Health* 21 (2021), table 3). Their cross-case comparison of ratings between sites is what this
  figure does between trajectories, without its claim of distinguishing success from failure.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.urls import reverse
from django.utils import timezone

from fii.cfir import construct_label
from fii.model import PHASE_ORDER, PHASES, Phase

from .key_figures import radio_silence
from .models import (
    KEY_FIGURE_INFLUENCE,
    CfirRating,
    ChecklistItem,
    Light,
    PhaseState,
    PhaseTransition,
    Progress,
    Review,
    ReviewItem,
    Stakeholder,
    Trajectory,
    TrajectoryStatus,
)

DEFAULT_STALLED_DAYS = 60
TOP_ITEMS = 10
NOT_GREEN = (Light.ROOD, Light.ORANJE)


@dataclass(frozen=True)
class TrajectoryRef:
    pk: int
    title: str
    status: str
    archived: bool
    # Reversed once per trajectory: the page links the same trajectory from many figures (about 600 links for an
    # organisation of 50 trajectories, where ``{% url %}`` each time cost a fifth of the page).
    url: str = ""


@dataclass
class ItemFigure:
    phase: str
    text: str
    assessed: int
    red: int
    orange: int
    trajectories: list[TrajectoryRef] = field(default_factory=list)
    template_item_id: int | None = None  # the template line behind the group; None: grouped by wording

    @property
    def not_green(self) -> int:
        return self.red + self.orange

    @property
    def share(self) -> float:
        """Share of the assessments of this line that were red or orange, in per cent."""
        return 100 * self.not_green / self.assessed if self.assessed else 0.0

    @property
    def phase_label(self) -> str:
        return str(Phase(self.phase).label)


@dataclass
class Spread:
    """Median, quartiles and range of a list of whole days (``None`` without any value)."""

    count: int
    median: float | None = None
    q1: float | None = None
    q3: float | None = None
    low: int | None = None
    high: int | None = None

    @classmethod
    def of(cls, values: Iterable[int]) -> Spread:
        values = sorted(values)
        if not values:
            return cls(0)
        if len(values) == 1:
            q1 = q3 = float(values[0])
        else:
            # The "inclusive" method keeps the quartiles inside the observed range for small sets.
            q1, _q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
        return cls(len(values), float(statistics.median(values)), q1, q3, values[0], values[-1])


@dataclass
class PhaseFigure:
    phase: str
    spread: Spread
    durations: list[tuple[TrajectoryRef, int]]  # longest first
    reopened: list[TrajectoryRef]
    skipped: list[TrajectoryRef]

    @property
    def label(self) -> str:
        return str(Phase(self.phase).label)

    @property
    def number(self) -> int:
        return PHASE_ORDER[self.phase]

    @property
    def completed_refs(self) -> list[TrajectoryRef]:
        return sorted({ref for ref, _days in self.durations}, key=lambda r: (r.title, r.pk))

    @property
    def reopened_refs(self) -> list[TrajectoryRef]:
        return sorted(set(self.reopened), key=lambda r: (r.title, r.pk))


@dataclass
class RecoveryFigure:
    spread: Spread
    still_red: int  # episodes without a green light yet
    trajectories: list[tuple[TrajectoryRef, int, float]]  # trajectory, episodes recovered, its median in days


@dataclass
class StalledTrajectory:
    trajectory: TrajectoryRef
    last_activity: dt.date
    days: int


@dataclass
class SilenceFigure:
    key_figures: int
    silent: int
    trajectories: list[tuple[TrajectoryRef, int]]  # trajectory, silent key figures

    @property
    def share(self) -> float:
        return 100 * self.silent / self.key_figures if self.key_figures else 0.0


@dataclass
class BarrierFigure:
    version: str
    construct: str
    trajectories: list[TrajectoryRef]

    @property
    def label(self) -> str:
        return construct_label(self.version, self.construct)


@dataclass
class Learning:
    trajectories: int
    archived_included: bool
    stalled_days: int
    silence_days: int
    items: list[ItemFigure]
    assessments: int
    phases: list[PhaseFigure]
    recovery: RecoveryFigure
    stalled: list[StalledTrajectory]
    silence: SilenceFigure
    barriers: list[BarrierFigure]


def owned_trajectories(organisation, *, include_archived: bool = False) -> QuerySet[Trajectory]:
    trajectories = Trajectory.objects.filter(owner=organisation)
    if not include_archived:
        trajectories = trajectories.filter(archived_at__isnull=True)
    return trajectories


def learning_overview(
    trajectories: QuerySet[Trajectory],
    *,
    today: dt.date | None = None,
    stalled_days: int = DEFAULT_STALLED_DAYS,
    silence_days: int | None = None,
    include_archived: bool = False,
    top: int = TOP_ITEMS,
) -> Learning:
    """Every figure of the learning page for these trajectories, in at most eleven queries."""
    today = today or timezone.localdate()
    silence_days = settings.FII_RADIO_SILENCE_DAYS if silence_days is None else silence_days
    ids = trajectories.order_by().values("pk")
    refs, stalled = _trajectories_and_stalled(trajectories, today=today, stalled_days=stalled_days)
    items, assessments = _items(ids, refs, top=top)
    return Learning(
        trajectories=len(refs),
        archived_included=include_archived,
        stalled_days=stalled_days,
        silence_days=silence_days,
        items=items,
        assessments=assessments,
        phases=_phases(ids, refs),
        recovery=_recovery(ids, refs),
        stalled=stalled,
        silence=_silence(refs, today=today, days=silence_days),
        barriers=_barriers(ids, refs),
    )


def _trajectories_and_stalled(trajectories, *, today: dt.date, stalled_days: int):
    """One query: every trajectory with its last transition and last review (for the stalled list)."""
    last_transition = (
        PhaseTransition.objects.filter(trajectory=OuterRef("pk"))
        .order_by()
        .values("trajectory")
        .annotate(at=Max("created_at"))
        .values("at")[:1]
    )
    last_review = (
        Review.objects.filter(trajectory=OuterRef("pk"), held_on__lte=today)
        .order_by()
        .values("trajectory")
        .annotate(on=Max("held_on"))
        .values("on")[:1]
    )
    rows = (
        trajectories.order_by("title", "pk")
        .annotate(last_transition=Subquery(last_transition), last_review=Subquery(last_review))
        .values_list("pk", "title", "status", "archived_at", "start_date", "last_transition", "last_review")
    )
    refs: dict[int, TrajectoryRef] = {}
    stalled = []
    for pk, title, status, archived_at, start_date, transition_at, review_on in rows:
        ref = TrajectoryRef(pk, title, status, archived_at is not None, reverse("trajectories:detail", args=[pk]))
        refs[pk] = ref
        if status != TrajectoryStatus.ACTIEF or archived_at is not None:
            continue
        moments = [start_date]
        if transition_at:
            moments.append(timezone.localdate(transition_at))
        if review_on:
            moments.append(review_on)
        last = max(moments)
        days = (today - last).days
        if days >= stalled_days:
            stalled.append(StalledTrajectory(ref, last, days))
    stalled.sort(key=lambda s: (-s.days, s.trajectory.title))
    return refs, stalled


def _finalised_items(ids):
    return ReviewItem.objects.filter(review__trajectory__in=ids, review__finalised_at__isnull=False)


def _line_key(phase: str, template_item_id: int | None, text: str) -> tuple[str, int | None, str]:
    """A checklist line over all trajectories: its template line, or its wording when it has none."""
    return (phase, template_item_id, "" if template_item_id else text)


def _items(ids, refs: dict[int, TrajectoryRef], *, top: int) -> tuple[list[ItemFigure], int]:
    """The lines most often red or orange: one pass over the review items, one over the checklist lines.

    The review items are counted per checklist line of a trajectory (grouped on ``item_id`` alone, without
    joining the lines into the grouping); the lines, with their template line, are read separately and summed
    into their group here. Lines copied from the owner's template group by that template line (a team's
    rewording of its copy stays in the group, and the figure shows the template's wording); other lines group by
    phase and wording. The trajectories behind a line are those where one of its copies was red or orange.
    """
    counts = (
        _finalised_items(ids)
        .values("item_id")
        .annotate(
            # Counted on item (never null), not pk: the index reviewitem_lights holds all this query reads.
            assessed=Count("item", filter=~Q(colour="")),
            red=Count("item", filter=Q(colour=Light.ROOD)),
            orange=Count("item", filter=Q(colour=Light.ORANJE)),
        )
        .order_by()
        .values_list("item_id", "assessed", "red", "orange")
    )
    per_item = {item_id: (assessed, red, orange) for item_id, assessed, red, orange in counts}
    lines = (
        ChecklistItem.objects.filter(trajectory__in=ids)
        .values_list("pk", "trajectory_id", "phase", "template_item_id", "text", "template_item__text")
        .order_by()
    )
    groups: dict[tuple[str, int | None, str], ItemFigure] = {}
    behind: dict[tuple[str, int | None, str], set[int]] = defaultdict(set)
    for pk, trajectory_id, phase, template_item_id, text, template_text in lines:
        if pk not in per_item:  # never assessed in a finalised review
            continue
        key = _line_key(phase, template_item_id, text)
        figure = groups.get(key)
        if figure is None:
            figure = groups[key] = ItemFigure(phase, template_text or text, 0, 0, 0, template_item_id=template_item_id)
        assessed, red, orange = per_item[pk]
        figure.assessed += assessed
        figure.red += red
        figure.orange += orange
        if red or orange:
            behind[key].add(trajectory_id)
    figures = list(groups.values())
    assessments = sum(f.assessed for f in figures)
    figures = [f for f in figures if f.not_green]
    figures.sort(key=lambda f: (-f.not_green, -f.share, PHASE_ORDER[f.phase], f.text, f.template_item_id or 0))
    figures = figures[:top]
    for f in figures:
        f.trajectories = _refs(behind[_line_key(f.phase, f.template_item_id, f.text)], refs)
    return figures, assessments


def _refs(ids: Iterable[int], refs: dict[int, TrajectoryRef]) -> list[TrajectoryRef]:
    return sorted((refs[i] for i in set(ids) if i in refs), key=lambda r: (r.title, r.pk))


def _phases(ids, refs: dict[int, TrajectoryRef]) -> list[PhaseFigure]:
    """Days per completed phase, re-openings and skipped phases: two queries."""
    days = ExpressionWrapper(F("completed_at") - F("started_at"), output_field=DurationField())
    states = (
        PhaseState.objects.filter(trajectory__in=ids, status__in=[Progress.AFGEROND, Progress.OVERGESLAGEN])
        .annotate(duration=days)
        .values_list("trajectory_id", "phase", "status", "duration")
        .order_by()
    )
    durations: dict[str, list[tuple[TrajectoryRef, int]]] = defaultdict(list)
    skipped: dict[str, set[int]] = defaultdict(set)
    for trajectory_id, phase, status, duration in states:
        if status == Progress.OVERGESLAGEN:
            skipped[phase].add(trajectory_id)
        elif duration is not None and duration >= dt.timedelta(0):
            durations[phase].append((refs[trajectory_id], duration.days))
    reopenings = (
        PhaseTransition.objects.filter(trajectory__in=ids, to_status_before=Progress.AFGEROND)
        .exclude(from_phase=F("to_phase"))
        .values_list("trajectory_id", "to_phase")
        .order_by()
    )
    reopened: dict[str, list[int]] = defaultdict(list)
    for trajectory_id, phase in reopenings:
        reopened[phase].append(trajectory_id)
    figures = []
    for spec in PHASES:
        rows = sorted(durations[spec.code], key=lambda r: (-r[1], r[0].title))
        figures.append(
            PhaseFigure(
                spec.code,
                Spread.of(d for _ref, d in rows),
                rows,
                # A trajectory re-opened twice is listed twice: every re-opening counts.
                sorted((refs[i] for i in reopened[spec.code]), key=lambda r: (r.title, r.pk)),
                _refs(skipped[spec.code], refs),
            )
        )
    return figures


def _recovery(ids, refs: dict[int, TrajectoryRef]) -> RecoveryFigure:
    """Red back to green over the finalised reviews: one query over the rows where a light changed."""
    changes = (
        _finalised_items(ids)
        .exclude(colour=F("carried_colour"))
        .filter(colour__in=[Light.ROOD, Light.GROEN])
        .values_list("item_id", "review__trajectory_id", "review__held_on", "colour")
        .order_by("item_id", "review__held_on", "review_id")
    )
    red_since: dict[int, dt.date] = {}
    episodes: list[int] = []
    per_trajectory: dict[int, list[int]] = defaultdict(list)
    for item_id, trajectory_id, held_on, colour in changes:
        if colour == Light.ROOD:
            red_since.setdefault(item_id, held_on)
        elif item_id in red_since:
            days = (held_on - red_since.pop(item_id)).days
            episodes.append(days)
            per_trajectory[trajectory_id].append(days)
    behind = sorted(
        ((refs[t], len(d), statistics.median(d)) for t, d in per_trajectory.items() if t in refs),
        key=lambda row: (-row[2], row[0].title),
    )
    return RecoveryFigure(Spread.of(episodes), len(red_since), behind)


def _silence(refs: dict[int, TrajectoryRef], *, today: dt.date, days: int) -> SilenceFigure:
    """Key figures of the active trajectories and those gone radio-silent: two queries."""
    active = [r.pk for r in refs.values() if r.status == TrajectoryStatus.ACTIEF and not r.archived]
    if not active:
        return SilenceFigure(0, 0, [])
    total = Stakeholder.objects.filter(trajectory_id__in=active, influence__gte=KEY_FIGURE_INFLUENCE).count()
    flags = radio_silence(active, today=today, days=days)
    silent = {t: sum(1 for f in fs if f.stale) for t, fs in flags.items()}
    behind = sorted(((refs[t], n) for t, n in silent.items() if n), key=lambda row: (-row[1], row[0].title, row[0].pk))
    return SilenceFigure(total, sum(silent.values()), behind)


def _barriers(ids, refs: dict[int, TrajectoryRef]) -> list[BarrierFigure]:
    """Constructs rated −1 or −2 in at least two trajectories: one query."""
    rows = (
        CfirRating.objects.filter(assessment__trajectory__in=ids, rating__in=["-1", "-2"])
        .values_list("assessment__version", "construct", "assessment__trajectory_id")
        .distinct()
        .order_by()
    )
    found: dict[tuple[str, str], set[int]] = defaultdict(set)
    for version, construct, trajectory_id in rows:
        found[version, construct].add(trajectory_id)
    barriers = [BarrierFigure(v, c, _refs(t, refs)) for (v, c), t in found.items() if len(t) >= 2]
    barriers.sort(key=lambda b: (-len(b.trajectories), b.version, b.construct))
    return barriers
