"""Reads for phase 4 and subphase 5a: radio silence, coverage, the influence × support map, the team.

Each function answers in a fixed number of queries, however many stakeholders, contacts or reviews there are.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    COMPETENCY_FIELDS,
    KEY_FIGURE_INFLUENCE,
    SUPPORT_RANK,
    TEAM_SIZE_MAX,
    TEAM_SIZE_MIN,
    Competency,
    Contact,
    Level,
    Review,
    Side,
    Stakeholder,
    Support,
    SupportChange,
    TeamMember,
    TrajectoryStatus,
)

# Radio silence (subphase 4b) ------------------------------------------------------------------


def with_last_contact(stakeholders, *, today: dt.date | None = None):
    """Annotate ``last_contact_on`` (a recorded contact) and ``last_present_on`` (a stoplight review attended)."""
    today = today or timezone.localdate()
    contacts = Contact.objects.filter(stakeholder=OuterRef("pk"), date__lte=today).order_by().values("stakeholder")
    reviews = (
        Review.stakeholders_present.through.objects.filter(stakeholder=OuterRef("pk"), review__held_on__lte=today)
        .order_by()
        .values("stakeholder")
    )
    return stakeholders.annotate(
        last_contact_on=Subquery(contacts.annotate(d=Max("date")).values("d")[:1]),
        last_present_on=Subquery(reviews.annotate(d=Max("review__held_on")).values("d")[:1]),
    )


def last_contact(stakeholder) -> dt.date | None:
    """The later of the last recorded contact and the last review attended (needs :func:`with_last_contact`)."""
    days = [d for d in (stakeholder.last_contact_on, stakeholder.last_present_on) if d]
    return max(days, default=None)


def with_attendance(stakeholders, *, today: dt.date, window: int):
    """Annotate presence at the trajectory's last ``window`` finalised reviews and at the ``window`` before.

    Also ``finalised_reviews``, the trajectory's number of finalised reviews up to ``today``. All in the
    same query as the stakeholders, so the portfolio stays within its query budget.
    """
    present = Review.stakeholders_present.through.objects
    finalised = Review.objects.filter(finalised_at__isnull=False, held_on__lte=today)
    latest = finalised.filter(trajectory_id=OuterRef(OuterRef("trajectory_id"))).order_by("-held_on", "-pk")

    def attended(reviews):
        rows = present.filter(stakeholder=OuterRef("pk"), review_id__in=reviews.values("pk")).order_by()
        return Coalesce(Subquery(rows.values("stakeholder").annotate(n=Count("pk")).values("n")[:1]), 0)

    count = finalised.filter(trajectory_id=OuterRef("trajectory_id")).order_by().values("trajectory")
    return stakeholders.annotate(
        attended_recent=attended(latest[:window]),
        attended_before=attended(latest[window : 2 * window]),
        finalised_reviews=Subquery(count.annotate(n=Count("pk")).values("n")[:1]),
    )


@dataclass(frozen=True)
class SilenceFlag:
    stakeholder: Stakeholder
    last_contact: dt.date | None
    days_silent: int
    stale: bool
    attendance_dropped: bool
    attended_recent: int = 0
    attended_before: int = 0


def radio_silence(
    trajectory_ids: Iterable[int],
    *,
    today: dt.date | None = None,
    days: int | None = None,
    window: int | None = None,
) -> dict[int, list[SilenceFlag]]:
    """trajectory id → its key figures (influence ≥ 4) showing signs of waning support, in one query.

    A key figure is flagged when

    - the last contact (a recorded contact, or presence at a stoplight review) is more than ``days`` days
      ago; without any contact the day the key figure was registered counts; or
    - attendance dropped: of the trajectory's last ``window`` finalised reviews the key figure attended fewer
      than of the ``window`` finalised reviews before those (needs at least 2 × ``window`` finalised reviews).

    Only active trajectories are watched, like overdue reviews.
    """
    today = today or timezone.localdate()
    days = settings.FII_RADIO_SILENCE_DAYS if days is None else days
    window = settings.FII_ATTENDANCE_WINDOW if window is None else window
    ids = list(trajectory_ids)
    if not ids:
        return {}
    stakeholders = list(
        with_attendance(
            with_last_contact(
                Stakeholder.objects.filter(
                    trajectory_id__in=ids,
                    trajectory__status=TrajectoryStatus.ACTIEF,
                    influence__gte=KEY_FIGURE_INFLUENCE,
                ).select_related("person"),
                today=today,
            ),
            today=today,
            window=max(window, 1),
        ).order_by("-influence", "person__name", "pk")
    )
    if not stakeholders:
        return {}
    flags: dict[int, list[SilenceFlag]] = defaultdict(list)
    for flag in evaluate_silence(stakeholders, today=today, days=days, window=window):
        flags[flag.stakeholder.trajectory_id].append(flag)
    return dict(flags)


def evaluate_silence(stakeholders, *, today: dt.date, days: int, window: int) -> list[SilenceFlag]:
    """The flags for stakeholders annotated by :func:`with_last_contact` and :func:`with_attendance`."""
    flags = []
    for s in stakeholders:
        if s.influence < KEY_FIGURE_INFLUENCE:
            continue
        last = last_contact(s)
        since = last or timezone.localdate(s.created_at)
        silent = (today - since).days
        dropped, now_count, before_count = False, 0, 0
        if window > 0 and (s.finalised_reviews or 0) >= 2 * window:
            now_count, before_count = s.attended_recent, s.attended_before
            dropped = now_count < before_count
        stale = silent > days
        if stale or dropped:
            flags.append(SilenceFlag(s, last, silent, stale, dropped, now_count, before_count))
    return flags


def annotated_register(stakeholders, *, today: dt.date | None = None):
    """Stakeholders with everything radio silence needs (see :func:`evaluate_silence`), for one query."""
    today = today or timezone.localdate()
    return with_attendance(
        with_last_contact(stakeholders, today=today), today=today, window=max(settings.FII_ATTENDANCE_WINDOW, 1)
    )


def flags_for(trajectory, stakeholders, *, today: dt.date | None = None) -> dict[int, SilenceFlag]:
    """stakeholder id → flag, for stakeholders from :func:`annotated_register` of one trajectory."""
    if trajectory.status != TrajectoryStatus.ACTIEF:
        return {}
    flags = evaluate_silence(
        stakeholders,
        today=today or timezone.localdate(),
        days=settings.FII_RADIO_SILENCE_DAYS,
        window=settings.FII_ATTENDANCE_WINDOW,
    )
    return {f.stakeholder.pk: f for f in flags}


def trajectory_people(trajectory, *, today: dt.date | None = None) -> dict:
    """For the trajectory page, in one query: counts of stakeholders, key figures and team, and the flags."""
    today = today or timezone.localdate()
    window = settings.FII_ATTENDANCE_WINDOW
    active_member = TeamMember.objects.filter(stakeholder=OuterRef("pk"), left_on__isnull=True)
    stakeholders = list(
        with_attendance(
            with_last_contact(Stakeholder.objects.filter(trajectory=trajectory).select_related("person"), today=today),
            today=today,
            window=max(window, 1),
        )
        .annotate(in_team=Exists(active_member))
        .order_by("-influence", "person__name", "pk")
    )
    watched = trajectory.status == TrajectoryStatus.ACTIEF
    return {
        "stakeholders": len(stakeholders),
        "key_figures": sum(1 for s in stakeholders if s.is_key_figure),
        "team": sum(1 for s in stakeholders if s.in_team),
        "flags": evaluate_silence(stakeholders, today=today, days=settings.FII_RADIO_SILENCE_DAYS, window=window)
        if watched
        else [],
    }


def add_radio_silence(trajectories: Iterable, *, today: dt.date | None = None) -> None:
    """Set ``silence_flags`` on each trajectory (the portfolio and the trajectory page)."""
    trajectories = list(trajectories)
    flags = radio_silence([t.pk for t in trajectories], today=today)
    for t in trajectories:
        t.silence_flags = flags.get(t.pk, [])


# Coverage per level and side (subphase 4a) ----------------------------------------------------


@dataclass
class CoverageRow:
    level: Level
    cells: list[int]
    found: int
    supportive: int

    @property
    def status(self) -> str:
        if not self.found:
            return "missing"
        return "covered" if self.supportive else "no_support"


def coverage(stakeholders: Iterable[Stakeholder]) -> list[CoverageRow]:
    """Per level: how many stakeholders per side, and how many of them support the trajectory."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    supportive: dict[str, int] = defaultdict(int)
    for s in stakeholders:
        counts[s.level, s.side] += 1
        if SUPPORT_RANK.get(s.support, 0) >= SUPPORT_RANK[Support.STEUNEND]:
            supportive[s.level] += 1
    rows = []
    for level in Level:
        cells = [counts[level, side] for side in Side]
        rows.append(CoverageRow(level, cells, sum(cells), supportive[level]))
    return rows


# The influence × support map -------------------------------------------------------------------

MAP_LEFT, MAP_TOP, CELL_W, CELL_H = 92, 16, 132, 76
MAP_SUPPORT = [Support.TEGEN, Support.NEUTRAAL, Support.STEUNEND, Support.AMBASSADEUR]
MARKER_R = 11
SIDE_STYLE = {
    # shape, fill colour: the shape alone tells the side apart, so colour is never the only signal.
    Side.GEVEND: ("circle", "#1f5f99"),
    Side.ONTVANGEND: ("square", "#2e7d32"),
    Side.DERDEN: ("diamond", "#8a4b08"),
}


@dataclass
class Marker:
    number: int
    stakeholder: Stakeholder
    x: float
    y: float
    shape: str
    fill: str

    @property
    def diamond_points(self) -> str:
        r = MARKER_R + 2
        return f"{self.x},{self.y - r} {self.x + r},{self.y} {self.x},{self.y + r} {self.x - r},{self.y}"

    @property
    def square_x(self) -> float:
        return self.x - MARKER_R

    @property
    def square_y(self) -> float:
        return self.y - MARKER_R

    @property
    def text_y(self) -> float:
        return self.y + 4


@dataclass
class Quadrant:
    label: str
    hint: str
    x: float
    y: float
    width: float
    height: float
    fill: str

    @property
    def label_x(self) -> float:
        return self.x + 6

    @property
    def label_y(self) -> float:
        return self.y + 14


@dataclass
class StakeholderMap:
    width: int
    height: int
    plot_left: int
    plot_top: int
    plot_right: int
    plot_bottom: int
    quadrants: list[Quadrant]
    columns: list[tuple[str, float]]
    rows: list[tuple[int, float]]
    markers: list[Marker] = field(default_factory=list)
    unplaced: list[tuple[int, Stakeholder]] = field(default_factory=list)
    entries: list[tuple[int, Stakeholder, bool]] = field(default_factory=list)
    legend: list[tuple[str, str, str, float]] = field(default_factory=list)
    legend_y: float = 0
    axis_x_y: float = 0
    axis_y_x: float = 0
    axis_y_y: float = 0


def stakeholder_map(stakeholders: list[Stakeholder]) -> StakeholderMap:
    """Influence (1–5, up) against current support (against … ambassador, right), with four named quadrants.

    Every stakeholder gets a number, used by the marker and by the table next to the map. Unknown
    support has no place on the scale, so those stakeholders are listed beside the map.
    """
    right = MAP_LEFT + CELL_W * len(MAP_SUPPORT)
    bottom = MAP_TOP + CELL_H * 5
    mid_x = MAP_LEFT + CELL_W * 2  # between neutral and supportive
    mid_y = MAP_TOP + CELL_H * (5 - KEY_FIGURE_INFLUENCE + 1)  # influence 4 and 5 above the line
    quadrants = [
        Quadrant(
            str(_("Win over")),
            str(_("much influence, no support yet")),
            MAP_LEFT,
            MAP_TOP,
            mid_x - MAP_LEFT,
            mid_y - MAP_TOP,
            "#fbe3d6",
        ),
        Quadrant(
            str(_("Key players")), str(_("involve closely")), mid_x, MAP_TOP, right - mid_x, mid_y - MAP_TOP, "#dcefdc"
        ),
        Quadrant(
            str(_("Monitor")), str(_("keep an eye on")), MAP_LEFT, mid_y, mid_x - MAP_LEFT, bottom - mid_y, "#eeeeee"
        ),
        Quadrant(
            str(_("Keep informed")), str(_("deploy as allies")), mid_x, mid_y, right - mid_x, bottom - mid_y, "#dde9f6"
        ),
    ]
    result = StakeholderMap(
        width=right + 16,
        height=bottom + 96,
        plot_left=MAP_LEFT,
        plot_top=MAP_TOP,
        plot_right=right,
        plot_bottom=bottom,
        quadrants=quadrants,
        columns=[(str(s.label), MAP_LEFT + CELL_W * n + CELL_W / 2) for n, s in enumerate(MAP_SUPPORT)],
        rows=[(influence, MAP_TOP + CELL_H * (5 - influence) + CELL_H / 2) for influence in range(1, 6)],
        axis_x_y=bottom + 40,
        axis_y_x=18,
        axis_y_y=MAP_TOP + CELL_H * 2.5,
        legend_y=bottom + 72,
    )
    in_cell: dict[tuple[int, int], int] = defaultdict(int)
    for s in stakeholders:
        if s.support in SUPPORT_RANK:
            in_cell[SUPPORT_RANK[s.support], s.influence] += 1
    placed: dict[tuple[int, int], int] = defaultdict(int)
    for number, s in enumerate(stakeholders, start=1):
        rank = SUPPORT_RANK.get(s.support)
        result.entries.append((number, s, rank is not None))
        if rank is None:
            result.unplaced.append((number, s))
            continue
        cell = (rank, s.influence)
        slot, total = placed[cell], in_cell[cell]
        placed[cell] += 1
        # Up to five markers side by side, centred in the cell; more go on a second row.
        row, col = divmod(slot, 5)
        in_row = min(5, total - row * 5)
        x = MAP_LEFT + CELL_W * (rank - 1) + CELL_W / 2 + (col - (in_row - 1) / 2) * 24
        y = MAP_TOP + CELL_H * (5 - s.influence) + (46 if total <= 5 else 36 + row * 22)
        shape, fill = SIDE_STYLE[s.side]
        result.markers.append(Marker(number, s, round(x, 1), round(y, 1), shape, fill))
    result.legend = [
        (str(side.label), SIDE_STYLE[side][0], SIDE_STYLE[side][1], MAP_LEFT + 20 + n * 200)
        for n, side in enumerate(Side)
    ]
    return result


# Support trend per stakeholder ----------------------------------------------------------------


@dataclass
class TrendPoint:
    change: SupportChange
    x: float
    y: float | None


def support_trend(changes: list[SupportChange]) -> dict:
    """A step line of the support level over the recorded changes (unknown sits on no level)."""
    width, left, top, step_h = 480, 96, 10, 28
    gap = (width - left - 20) / max(len(changes) - 1, 1)
    points = []
    for n, change in enumerate(changes):
        rank = SUPPORT_RANK.get(change.to_support)
        y = top + (4 - rank) * step_h if rank else None
        points.append(TrendPoint(change, round(left + n * gap, 1), y))
    placed = [p for p in points if p.y is not None]
    path = " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(placed))
    return {
        "points": points,
        "path": path,
        "width": width,
        "height": top + 3 * step_h + 30,
        "levels": [(str(s.label), top + (4 - SUPPORT_RANK[s]) * step_h) for s in MAP_SUPPORT],
        "left": left,
        "right": width - 10,
    }


def support_direction(changes: list[SupportChange]) -> str:
    """ "up", "down" or "" for the last change between two known levels."""
    for change in reversed(changes):
        before, after = SUPPORT_RANK.get(change.from_support), SUPPORT_RANK.get(change.to_support)
        if before and after and before != after:
            return "up" if after > before else "down"
    return ""


# The implementation team (subphase 5a) ---------------------------------------------------------


@dataclass
class TeamSummary:
    members: list[TeamMember]
    size: int
    size_ok: bool
    size_note: str
    has_giving: bool
    has_receiving: bool
    covered: list[Competency]
    missing: list[Competency]


def team_summary(members: list[TeamMember]) -> TeamSummary:
    """Needs active members with ``stakeholder`` loaded."""
    size = len(members)
    if size < TEAM_SIZE_MIN:
        note = "small"
    elif size > TEAM_SIZE_MAX:
        note = "large"
    else:
        note = "ok"
    covered = [c for c in Competency if any(getattr(m, COMPETENCY_FIELDS[c]) for m in members)]
    return TeamSummary(
        members=members,
        size=size,
        size_ok=note == "ok",
        size_note=note,
        has_giving=any(m.stakeholder.side == Side.GEVEND for m in members),
        has_receiving=any(m.stakeholder.side == Side.ONTVANGEND for m in members),
        covered=covered,
        missing=[c for c in Competency if c not in covered],
    )
