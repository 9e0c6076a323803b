"""Geometry for the inline SVG charts. Templates only draw what these functions lay out.

The charts must stay readable without colour (print, colour blindness): every light is drawn with
its own fill pattern and shape, and segments carry their count as text.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils import formats

from .models import Light, Review, ReviewItem, light_label

# Bottom to top: green at the base, then orange, red, and not assessed on top.
STACK_ORDER = [Light.GROEN, Light.ORANJE, Light.ROOD, ""]

PLOT_HEIGHT = 150
TOP = 12
LEFT = 34
COLUMN_WIDTH = 56
BAR_WIDTH = 30


@dataclass
class Segment:
    colour: str
    label: str
    count: int
    y: float
    height: float

    @property
    def css(self) -> str:
        return self.colour or "grijs"

    @property
    def label_y(self) -> float:
        return round(self.y + self.height / 2 + 4, 1)


@dataclass
class Column:
    review: Review
    x: float
    total: int
    segments: list[Segment] = field(default_factory=list)

    @property
    def centre(self) -> float:
        return self.x + BAR_WIDTH / 2


@dataclass
class TrendChart:
    columns: list[Column]
    width: int
    height: int
    baseline: float
    ticks: list[tuple[int, float]]
    legend: list[tuple[str, str]]
    legend_y: float


def light_counts(reviews: Iterable[Review]) -> dict[int, dict[str, int]]:
    """review id → light → number of items, in one query."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        ReviewItem.objects.filter(review__in=[r.pk for r in reviews])
        .values_list("review_id", "colour")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for review_id, colour, n in rows:
        counts[review_id][colour] = n
    return counts


def trend_chart(reviews: Sequence[Review], counts: dict[int, dict[str, int]]) -> TrendChart | None:
    """A stacked column per review (oldest left) with the number of items per light."""
    if not reviews:
        return None
    ordered = sorted(reviews, key=lambda r: (r.held_on, r.pk))
    top = max((sum(counts.get(r.pk, {}).values()) for r in ordered), default=0) or 1
    scale = PLOT_HEIGHT / top
    baseline = TOP + PLOT_HEIGHT
    columns = []
    for n, review in enumerate(ordered):
        per_light = counts.get(review.pk, {})
        column = Column(review=review, x=LEFT + 12 + n * COLUMN_WIDTH, total=sum(per_light.values()))
        y = baseline
        for colour in STACK_ORDER:
            count = per_light.get(colour, 0)
            if not count:
                continue
            height = count * scale
            y -= height
            column.segments.append(Segment(colour, str(light_label(colour)), count, round(y, 1), round(height, 1)))
        columns.append(column)
    step = max(1, round(top / 4))
    ticks = [(value, round(baseline - value * scale, 1)) for value in range(0, top + 1, step)]
    legend = [(colour or "grijs", str(light_label(colour))) for colour in STACK_ORDER]
    return TrendChart(
        columns=columns,
        # Wide enough for the legend's four entries under a short chart.
        width=max(LEFT + 24 + len(ordered) * COLUMN_WIDTH, 480),
        height=baseline + 64,
        legend_y=baseline + 40,
        baseline=baseline,
        ticks=ticks,
        legend=legend,
    )


def item_histories(item_ids: Iterable[int], *, limit: int = 8) -> dict[int, list[ReviewItem]]:
    """checklist item id → its last ``limit`` assessments, oldest first, in one query.

    Only the latest reviews of these items are read, so a year of meetings does not load a year of rows.
    """
    item_ids = list(item_ids)
    histories: dict[int, list[ReviewItem]] = defaultdict(list)
    recent_reviews = (
        Review.objects.filter(pk__in=ReviewItem.objects.filter(item_id__in=item_ids).values("review_id"))
        .order_by("-held_on", "-pk")
        .values("pk")[: limit + 1]
    )
    rows = (
        ReviewItem.objects.filter(item_id__in=item_ids, review_id__in=recent_reviews)
        .select_related("review")
        .only("item_id", "colour", "note", "review__held_on", "review__trajectory_id")
        .order_by("item_id", "review__held_on", "review_id")
    )
    for row in rows:
        histories[row.item_id].append(row)
    return {item_id: rows[-limit:] for item_id, rows in histories.items()}


# Learning across trajectories (trajectories/learning.py) ---------------------------------------

BAR_LEFT = 150  # room for the row labels
NUMBERED_LEFT = 40  # room for a row number ("10.")
BAR_ROW = 28
BAR_HEIGHT = 18
BAR_PLOT = 420  # width of the plot area


@dataclass
class BarPart:
    css: str  # "rood", "oranje", "teller": the template's fill pattern
    value: int
    x: float
    width: float


@dataclass
class BarRow:
    label: str
    total: int
    y: float
    parts: list[BarPart]
    end: float  # where the total is printed

    @property
    def text_y(self) -> float:
        return round(self.y + BAR_HEIGHT / 2 + 4, 1)


@dataclass
class BarChart:
    rows: list[BarRow]
    width: int
    height: int
    left: int
    legend_y: float


def bar_chart(rows: Sequence[tuple[str, Sequence[tuple[str, int]]]], *, left: int = BAR_LEFT) -> BarChart | None:
    """Horizontal stacked bars, one row per (label, [(css, value), …]); the total is printed after each bar.

    Labels are short (a number or a phase); the table beside the chart carries the full text.
    """
    if not rows:
        return None
    top = max((sum(v for _css, v in parts) for _label, parts in rows), default=0) or 1
    scale = BAR_PLOT / top
    result = []
    for n, (label, parts) in enumerate(rows):
        y = 8 + n * BAR_ROW
        x = float(left)
        drawn = []
        for css, value in parts:
            if value:
                width = round(value * scale, 1)
                drawn.append(BarPart(css, value, round(x, 1), width))
                x += width
        result.append(BarRow(label, sum(v for _css, v in parts), y, drawn, round(x + 6, 1)))
    height = 8 + len(rows) * BAR_ROW
    return BarChart(result, left + BAR_PLOT + 60, height + 30, left, height + 14)


@dataclass
class SpreadRow:
    label: str
    count: int
    y: float
    low_x: float | None = None
    high_x: float | None = None
    q1_x: float | None = None
    q3_x: float | None = None
    median_x: float | None = None
    median: float | None = None

    @property
    def mid_y(self) -> float:
        return round(self.y + BAR_HEIGHT / 2, 1)

    @property
    def text_y(self) -> float:
        return round(self.y + BAR_HEIGHT / 2 + 4, 1)

    @property
    def median_bar_x(self) -> float:
        return round((self.median_x or 0) - 2, 1)

    @property
    def value_x(self) -> float:
        return round((self.high_x or 0) + 6, 1)

    @property
    def box_width(self) -> float:
        return round((self.q3_x or 0) - (self.q1_x or 0), 1) or 2


@dataclass
class SpreadChart:
    rows: list[SpreadRow]
    width: int
    height: int
    left: int
    right: int
    ticks: list[tuple[int, float]]
    axis_y: float


def spread_chart(rows: Sequence[tuple[str, object]]) -> SpreadChart | None:
    """A box plot per row: the range as a line, the middle half as a box, the median as a bar with its value.

    ``rows`` are (label, ``learning.Spread``); rows without values keep their place and say so in text.
    """
    spreads = [spread for _label, spread in rows if getattr(spread, "count", 0)]
    if not spreads:
        return None
    top = max(s.high for s in spreads) or 1
    scale = BAR_PLOT / top

    def x(value) -> float:
        return round(BAR_LEFT + value * scale, 1)

    result = []
    for n, (label, s) in enumerate(rows):
        row = SpreadRow(label, s.count, 8 + n * BAR_ROW)
        if s.count:
            row.low_x, row.high_x, row.q1_x, row.q3_x = x(s.low), x(s.high), x(s.q1), x(s.q3)
            row.median_x, row.median = x(s.median), s.median
        result.append(row)
    axis_y = 8 + len(rows) * BAR_ROW + 4
    step = max(1, _nice_step(top))
    ticks = [(value, x(value)) for value in range(0, top + 1, step)]
    return SpreadChart(result, BAR_LEFT + BAR_PLOT + 60, int(axis_y + 34), BAR_LEFT, BAR_LEFT + BAR_PLOT, ticks, axis_y)


def _nice_step(top: int) -> int:
    """A round tick step giving four to eight ticks."""
    for step in (1, 2, 5, 10, 20, 30, 50, 60, 90, 100, 120, 180, 200, 365, 500, 730, 1000):
        if top / step <= 8:
            return step
    return top // 5


def learning_charts(figures) -> dict:
    """The three charts of the learning page (a ``learning.Learning``), for its template and its PDF."""
    return {
        "items_chart": bar_chart(
            [(f"{n}.", [("rood", f.red), ("oranje", f.orange)]) for n, f in enumerate(figures.items, start=1)],
            left=NUMBERED_LEFT,
        ),
        "phases_chart": spread_chart([(f"{p.number}. {p.label}", p.spread) for p in figures.phases]),
        "item_legend": [("rood", str(Light.ROOD.label)), ("oranje", str(Light.ORANJE.label))],
        "barriers_chart": bar_chart(
            [(f"{n}.", [("teller", len(b.trajectories))]) for n, b in enumerate(figures.barriers, start=1)],
            left=NUMBERED_LEFT,
        ),
    }


# Line charts against a target (issue 22): an indicator's measurements, fidelity per month. --------------

LINE_LEFT = 40
LINE_TOP = 22  # room for the label above a point at the top
LINE_PLOT_WIDTH = 420
LINE_PLOT_HEIGHT = 140
LINE_MAX_POINTS = 12


@dataclass
class LinePoint:
    label: str  # under the axis, e.g. "03-26"
    text: str  # the value as printed above the point
    x: float
    y: float
    on_target: bool | None

    @property
    def text_y(self) -> float:
        # Above a point on target, below one that is not, so a label never sits on the target line.
        below = self.y + 18
        return round(below if self.on_target is False and below < LINE_TOP + LINE_PLOT_HEIGHT - 2 else self.y - 8, 1)

    @property
    def mark_x(self) -> float:  # the open square's corner
        return round(self.x - 4.5, 1)

    @property
    def mark_y(self) -> float:
        return round(self.y - 4.5, 1)


@dataclass
class LineChart:
    points: list[LinePoint]
    width: int
    height: int
    baseline: float
    target_y: float | None
    target_label: str
    ticks: list[tuple[str, float]]

    @property
    def path(self) -> str:
        return " ".join(f"{'M' if n == 0 else 'L'}{p.x} {p.y}" for n, p in enumerate(self.points))

    @property
    def right(self) -> int:
        return LINE_LEFT + LINE_PLOT_WIDTH


def _plain(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _shown(value: float) -> str:
    """A value as the reader writes it (a decimal comma in Dutch); the SVG's coordinates stay unlocalised."""
    return formats.localize(Decimal(_plain(value)))


def line_chart(
    values: Sequence[tuple[str, float, bool | None]],
    *,
    low: float,
    high: float | None,
    target: float | None,
    target_label: str,
    suffix: str = "",
) -> LineChart | None:
    """Points (label, value, on target) left to right, scaled between ``low`` and ``high``; a horizontal
    target line. ``high`` None (a count) takes the largest of the values and the target, plus a margin."""
    values = list(values)[-LINE_MAX_POINTS:]
    if not values:
        return None
    if high is None:
        # Four round steps (1, 2 or 5 times a power of ten) above the largest value or target.
        raw = (max([v for _l, v, _t in values] + [target or 0]) * 1.1 - low) / 4 or 0.25
        power = 10 ** math.floor(math.log10(raw))
        step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
        high = low + 4 * step
    span = (high - low) or 1
    baseline = LINE_TOP + LINE_PLOT_HEIGHT

    def y_of(value: float) -> float:
        clipped = min(max(value, low), high)
        return round(baseline - (clipped - low) / span * LINE_PLOT_HEIGHT, 1)

    step = LINE_PLOT_WIDTH / len(values)
    points = [
        LinePoint(label, f"{_shown(value)}{suffix}", round(LINE_LEFT + step * (n + 0.5), 1), y_of(value), on_target)
        for n, (label, value, on_target) in enumerate(values)
    ]
    ticks = [(_plain(low + span * k / 4), y_of(low + span * k / 4)) for k in range(5)]
    return LineChart(
        points=points,
        width=LINE_LEFT + LINE_PLOT_WIDTH + 96,  # the target's label sits right of the plot
        height=int(baseline + 26),
        baseline=baseline,
        target_y=y_of(target) if target is not None else None,
        target_label=target_label,
        ticks=ticks,
    )
