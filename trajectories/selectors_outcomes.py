"""Reads for outcomes and reach and for fidelity over time (issue 22), each in a fixed number of queries.

Fidelity per month: the share of scored components carried out as intended, yes / (yes + partly + no), as
:func:`selectors_borgen.fidelity_rates` counts it per checklist item ("not applicable" is left out).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fii.model import PhaseSpec, phase_spec

from .charts import LineChart, line_chart
from .models import FidelityAnswer, FidelityScore, Indicator, Measurement, Trajectory, Unit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations


class OutcomeCounts(TypedDict):
    """What :func:`with_outcome_counts` annotates (a subquery is None where there is no indicator)."""

    indicator_total: int | None
    indicator_measured: int | None
    indicator_on_target: int | None


__all__ = [
    "SUGGESTIONS",
    "FidelityTrend",
    "add_outcome_summaries",
    "fidelity_trend",
    "indicator_chart",
    "indicators_with_measurements",
    "outcome_summary",
    "outcomes_of",
    "suggestions_for",
    "with_outcome_counts",
]


@dataclass(frozen=True)
class Suggestion:
    """A starting point for an indicator, grounded in the handreiking's wording (``basis``, quoted with its
    section); the team edits it after adding."""

    key: str
    phase: str
    name: StrOrPromise
    definition: StrOrPromise
    kind: str
    outcome: str
    unit: str
    target: Decimal
    basis: StrOrPromise
    scale_min: Decimal | None = None
    scale_max: Decimal | None = None

    def fields(self) -> dict:
        return {
            "name": str(self.name),
            "definition": str(self.definition),
            "kind": self.kind,
            "outcome": self.outcome,
            "unit": self.unit,
            "scale_min": self.scale_min,
            "scale_max": self.scale_max,
            "target": self.target,
            "direction": "minimaal",
            "source": "",
        }


# The handreiking (Broekhuizen & Mak 2022) asks for data on how many people are reached and on outcomes for
# clients: 6a ("data over uitkomsten voor cliënten"), and part 2, section 3 "Competenties, randvoorwaarden en
# leiderschap", Organisatorische randvoorwaarden ("datagestuurd werken": how many people, what happens in
# practice, what people think of it, what the outcomes for clients are). Targets are placeholders to edit.
SUGGESTIONS: tuple[Suggestion, ...] = (
    Suggestion(
        "bereik-aantal",
        "implementeren",
        gettext_lazy("Clients reached"),
        gettext_lazy("Number of clients who started with the intervention in the period."),
        "bereik",
        "",
        Unit.COUNT,
        Decimal(50),
        gettext_lazy('Part 2, organisational preconditions: "om hoeveel mensen gaat het?"'),
    ),
    Suggestion(
        "bereik-doelgroep",
        "implementeren",
        gettext_lazy("Share of the target group reached"),
        gettext_lazy("Clients who started, as a percentage of the target group described in 3b."),
        "bereik",
        "penetratie",
        Unit.PERCENTAGE,
        Decimal(60),
        gettext_lazy('Part 2, organisational preconditions: "om hoeveel mensen gaat het?"'),
    ),
    Suggestion(
        "adoptie-professionals",
        "implementeren",
        gettext_lazy("Trained professionals who apply the intervention"),
        gettext_lazy("Professionals who worked with the intervention this period, as a percentage of those trained."),
        "adoptie",
        "adoptie",
        Unit.PERCENTAGE,
        Decimal(80),
        gettext_lazy('5c "Train (uitvoerend) professionals"; part 2: "wat gebeurt er in de praktijk?"'),
    ),
    Suggestion(
        "uitvoering-fideliteit",
        "borgen",
        gettext_lazy("Active components carried out as intended"),
        gettext_lazy("Share of the scored active components on the fidelity checklist carried out as intended."),
        "uitvoering",
        "fideliteit",
        Unit.PERCENTAGE,
        Decimal(80),
        gettext_lazy('6a: "een eenvoudig monitorinstrument (bijvoorbeeld een checklist)"'),
    ),
    Suggestion(
        "uitkomst-doelen",
        "borgen",
        gettext_lazy("Clients who reached their goals"),
        gettext_lazy(
            "Clients who finished the intervention with their goals reached, as a percentage of all who finished."
        ),
        "effectiviteit",
        "",
        Unit.PERCENTAGE,
        Decimal(70),
        gettext_lazy('6a: "data over uitkomsten voor cliënten"; part 2: "wat zijn de uitkomsten voor cliënten?"'),
    ),
    Suggestion(
        "waardering-clienten",
        "borgen",
        gettext_lazy("Clients' appreciation"),
        gettext_lazy("Average mark clients give the intervention at the evaluation moment (1 to 10)."),
        "effectiviteit",
        "aanvaardbaarheid",
        Unit.SCORE,
        Decimal(7),
        gettext_lazy('Part 2: "wat vinden mensen ervan?" and evaluation moments with clients'),
        scale_min=Decimal(1),
        scale_max=Decimal(10),
    ),
    Suggestion(
        "borging-routine",
        "borgen",
        gettext_lazy("Teams working with the intervention routinely"),
        gettext_lazy(
            "Teams of the receiving organisation that still carry out the intervention, "
            "as a percentage of all teams that started."
        ),
        "borging",
        "duurzaamheid",
        Unit.PERCENTAGE,
        Decimal(90),
        gettext_lazy('6 Borgen, done when: "routinematig en met voldoende kwaliteit"'),
    ),
)
SUGGESTIONS_BY_KEY = {s.key: s for s in SUGGESTIONS}


@dataclass(frozen=True)
class PhaseSuggestions:
    """The suggestions for the phase a trajectory is in, first, and the rest behind them (nothing is hidden)."""

    phase: str  # the phase whose suggestions come first
    for_phase: list[Suggestion]
    others: list[Suggestion]

    @property
    def phase_spec(self) -> PhaseSpec:
        return phase_spec(self.phase)

    def __bool__(self) -> bool:
        return bool(self.for_phase or self.others)


def suggestions_for(current_phase: str, *, taken: Iterable[str] = ()) -> PhaseSuggestions:
    """Suggested indicators for the trajectory's current phase, leaving out names already in use.

    Phase 6 Borgen gets the handreiking's Borgen wording (6a, the fidelity checklist, client outcomes, routine);
    every other phase gets phase 5 Implementeren's (reach and adoption), as that is where measuring starts."""
    phase = "borgen" if current_phase == "borgen" else "implementeren"
    names = {name.casefold() for name in taken}
    open_ = [s for s in SUGGESTIONS if str(s.name).casefold() not in names]
    return PhaseSuggestions(phase, [s for s in open_ if s.phase == phase], [s for s in open_ if s.phase != phase])


def _as_float(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def indicator_chart(indicator: Indicator, measurements: list[Measurement]) -> LineChart | None:
    low, high = indicator.bounds()
    suffix = "%" if indicator.unit == Unit.PERCENTAGE else ""
    return line_chart(
        [(m.measured_on.strftime("%m-%y"), float(m.value), indicator.on_target(m.value)) for m in measurements],
        low=float(low or 0),
        high=_as_float(high),
        target=float(indicator.target),
        target_label=_("target %(target)s") % {"target": f"{formats.localize(indicator.target.normalize())}{suffix}"},
        suffix=suffix,
    )


def indicators_with_measurements(trajectory: Trajectory) -> list[Indicator]:
    """Each indicator with ``rows`` (its measurements, oldest first), ``latest``, ``status`` and ``chart``.
    Two queries, however many indicators and measurements."""
    measurements = Measurement.objects.select_related("created_by")
    indicators = list(trajectory.indicators.prefetch_related(Prefetch("measurements", queryset=measurements)))
    for indicator in indicators:
        indicator.rows = list(indicator.measurements.all())
        for row in indicator.rows:
            row.is_on_target = indicator.on_target(row.value)
        indicator.latest = indicator.rows[-1] if indicator.rows else None
        indicator.status = indicator.on_target(indicator.latest.value) if indicator.latest else None
        indicator.chart = indicator_chart(indicator, indicator.rows)
    return indicators


@dataclass(frozen=True)
class OutcomeSummary:
    total: int
    measured: int
    on_target: int

    @property
    def text(self) -> str:
        if not self.total:
            return ""
        return _("%(on)s of %(total)s indicators on target") % {"on": self.on_target, "total": self.total}


def _summary(rows: Iterable[tuple[Decimal, str, Decimal | None]]) -> OutcomeSummary:
    total = measured = on = 0
    for target, direction, latest in rows:
        total += 1
        if latest is None:
            continue
        measured += 1
        on += latest >= target if direction == "minimaal" else latest <= target
    return OutcomeSummary(total, measured, on)


def _latest_values(indicators):
    latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-measured_on", "-pk")
    return indicators.annotate(latest=Subquery(latest.values("value")[:1]))


def summary_of(indicators: list[Indicator]) -> OutcomeSummary:
    """The summary of indicators read by :func:`indicators_with_measurements`, without a query."""
    return _summary((i.target, i.direction, i.latest.value if i.latest else None) for i in indicators)


def outcome_summary(trajectory: Trajectory) -> OutcomeSummary:
    """ "3 of 4 indicators on target", by each indicator's latest measurement; one query."""
    rows = _latest_values(Indicator.objects.filter(trajectory=trajectory)).values_list("target", "direction", "latest")
    return _summary(rows)


def add_outcome_summaries(trajectories: Iterable[Trajectory]) -> None:
    """Set ``outcomes`` (an :class:`OutcomeSummary`) on each trajectory; one query for all of them. Pages that
    already read their trajectories annotate them with :func:`with_outcome_counts` instead (no query)."""
    trajectories = list(trajectories)
    per: dict[int, list] = defaultdict(list)
    rows = _latest_values(Indicator.objects.filter(trajectory__in=[t.pk for t in trajectories])).values_list(
        "trajectory_id", "target", "direction", "latest"
    )
    for trajectory_id, *row in rows:
        per[trajectory_id].append(row)
    for trajectory in trajectories:
        trajectory.outcomes = _summary(per.get(trajectory.pk, []))


def with_outcome_counts(trajectories: QuerySet[Trajectory]) -> QuerySet[WithAnnotations[Trajectory, OutcomeCounts]]:
    """Annotate the number of indicators, of measured ones and of those on target (by the latest measurement),
    as subqueries of the trajectories' own query; :func:`outcomes_of` reads them."""
    indicators = _latest_values(Indicator.objects.filter(trajectory=OuterRef("pk")))

    def count(rows) -> Subquery:
        return Subquery(rows.order_by().values("trajectory").annotate(n=Count("pk")).values("n")[:1])

    on_target = Q(direction="minimaal", latest__gte=F("target")) | Q(direction="maximaal", latest__lte=F("target"))
    return trajectories.annotate(
        indicator_total=count(indicators),
        indicator_measured=count(indicators.filter(latest__isnull=False)),
        indicator_on_target=count(indicators.filter(on_target)),
    )


def outcomes_of(trajectory: WithAnnotations[Trajectory, OutcomeCounts]) -> OutcomeSummary:
    """The summary of a trajectory annotated by :func:`with_outcome_counts`."""
    return OutcomeSummary(
        trajectory.indicator_total or 0, trajectory.indicator_measured or 0, trajectory.indicator_on_target or 0
    )


# Fidelity over time ----------------------------------------------------------------------------------


@dataclass
class MonthRate:
    month: dt.date
    yes: int = 0
    scored: int = 0

    @property
    def rate(self) -> int | None:
        return round(100 * self.yes / self.scored) if self.scored else None


@dataclass
class FidelityTrend:
    threshold: int
    months: list[dt.date]
    overall: list[MonthRate]
    components: list[tuple[str, list[MonthRate]]]
    professionals: list[tuple[str, list[MonthRate]]]
    chart: LineChart | None
    below: bool = False  # the latest month is below the threshold
    weak_components: list[str] = field(default_factory=list)
    weak_professionals: list[str] = field(default_factory=list)

    @property
    def latest(self) -> MonthRate | None:
        return self.overall[-1] if self.overall else None

    @property
    def booster_text(self) -> str:
        """The stoplight action a booster becomes (at most 300 characters, the action's limit)."""
        latest = self.latest
        if latest is None:
            return ""
        text = _(
            "Booster: coaching on the job or an extra training, fidelity %(rate)s%% in %(month)s "
            "(threshold %(threshold)s%%)"
        ) % {
            "rate": latest.rate,
            "month": formats.date_format(latest.month, "F Y"),
            "threshold": self.threshold,
        }
        if self.weak_components:
            text += "; " + _("components: %(names)s") % {"names": ", ".join(self.weak_components)}
        if self.weak_professionals:
            text += "; " + _("professionals: %(names)s") % {"names": ", ".join(self.weak_professionals)}
        return text[:300]


def fidelity_threshold(trajectory: Trajectory) -> int:
    """The trajectory's own threshold, or, until it sets one, its owning team's (one query)."""
    own, team = (
        Trajectory.objects.filter(pk=trajectory.pk)
        .values_list("quality_monitoring__fidelity_threshold", "owner__fidelity_threshold")
        .get()
    )
    return own if own is not None else team


def fidelity_trend(trajectory: Trajectory, *, threshold: int | None = None) -> FidelityTrend:
    """Fidelity per month over all checklists of the trajectory: overall, per active component (by its text,
    so the same component in a later checklist continues its line) and per professional observed.
    Two queries (the threshold and the grouped counts)."""
    if threshold is None:
        threshold = fidelity_threshold(trajectory)
    rows = (
        FidelityScore.objects.filter(observation__checklist__trajectory=trajectory)
        .exclude(answer=FidelityAnswer.NVT)
        .annotate(month=TruncMonth("observation__observed_on"))
        .values_list("month", "item__text", "observation__professional__name", "answer")
        .annotate(n=Count("pk"))
        .order_by()
    )
    overall: dict[dt.date, MonthRate] = {}
    per_component: dict[str, dict[dt.date, MonthRate]] = defaultdict(dict)
    per_professional: dict[str, dict[dt.date, MonthRate]] = defaultdict(dict)
    for month, text, professional, answer, n in rows:
        month = month.date() if isinstance(month, dt.datetime) else month
        targets = [overall, per_component[text]] + ([per_professional[professional]] if professional else [])
        for target in targets:
            rate = target.setdefault(month, MonthRate(month))
            rate.scored += n
            rate.yes += n if answer == FidelityAnswer.JA else 0
    months = sorted(overall)

    def line(by_month: dict[dt.date, MonthRate]) -> list[MonthRate]:
        return [by_month.get(month, MonthRate(month)) for month in months]

    components = sorted(((text, line(v)) for text, v in per_component.items()), key=lambda c: c[0])
    professionals = sorted(((name, line(v)) for name, v in per_professional.items()), key=lambda c: c[0])
    overall_line = line(overall)
    chart = line_chart(
        [(m.month.strftime("%m-%y"), float(m.rate), m.rate >= threshold) for m in overall_line if m.rate is not None],
        low=0,
        high=100,
        target=threshold,
        target_label=_("threshold %(threshold)s%%") % {"threshold": threshold},
        suffix="%",
    )
    trend = FidelityTrend(threshold, months, overall_line, components, professionals, chart)
    latest = trend.latest
    if latest is not None and latest.rate is not None and latest.rate < threshold:
        trend.below = True
        trend.weak_components = [
            text for text, line_ in components if line_[-1].rate is not None and line_[-1].rate < threshold
        ]
        trend.weak_professionals = [
            name for name, line_ in professionals if line_[-1].rate is not None and line_[-1].rate < threshold
        ]
    return trend
