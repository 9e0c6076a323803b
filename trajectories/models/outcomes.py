"""Outcomes and reach (issue 22): a few indicators per trajectory, each measured now and then against its target.

The kinds follow the five dimensions of RE-AIM — reach, effectiveness, adoption, implementation, maintenance
(Glasgow, R.E., Vogt, T.M. & Boles, S.M. (1999). Evaluating the public health impact of health promotion
interventions: the RE-AIM framework. *American Journal of Public Health*, 89(9), 1322–1327). Where an indicator is
an implementation outcome it may also name one of the eight outcomes of Proctor et al. (Proctor, E., Silmere, H.,
Raghavan, R., Hovmand, P., Aarons, G., Bunger, A., Griffey, R. & Hensley, M. (2011). Outcomes for implementation
research: conceptual distinctions, measurement challenges, and research agenda. *Administration and Policy in
Mental Health and Mental Health Services Research*, 38(2), 65–76, table 1). The handreiking asks for such data in
6a ("data over uitkomsten voor cliënten") and in part 2, *Organisatorische randvoorwaarden* ("datagestuurd werken").
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from fii.lib.history import HistoricalRecords
from fii.lib.limits import TEXT

from .core import Trajectory

if TYPE_CHECKING:
    from ..charts import LineChart


class IndicatorKind(models.TextChoices):
    """The RE-AIM dimension an indicator measures (Glasgow, Vogt & Boles 1999)."""

    REACH = "bereik", _("Reach")
    EFFECTIVENESS = "effectiviteit", _("Effectiveness for clients")
    ADOPTION = "adoptie", _("Adoption")
    IMPLEMENTATION = "uitvoering", _("Implementation (fidelity)")
    MAINTENANCE = "borging", _("Maintenance")


class ImplementationOutcome(models.TextChoices):
    """The implementation outcomes of Proctor et al. 2011, table 1; optional on an indicator."""

    ACCEPTABILITY = "aanvaardbaarheid", _("Acceptability")
    ADOPTION = "adoptie", _("Adoption")
    APPROPRIATENESS = "passendheid", _("Appropriateness")
    FEASIBILITY = "haalbaarheid", _("Feasibility")
    FIDELITY = "fideliteit", _("Fidelity")
    COST = "kosten", _("Implementation cost")
    PENETRATION = "penetratie", _("Penetration")
    SUSTAINABILITY = "duurzaamheid", _("Sustainability")


class Unit(models.TextChoices):
    PERCENTAGE = "percentage", _("Percentage (0–100)")
    COUNT = "aantal", _("Count (0 or more)")
    SCORE = "score", _("Score (between a minimum and a maximum)")


class Direction(models.TextChoices):
    AT_LEAST = "minimaal", _("At least the target")
    AT_MOST = "maximaal", _("At most the target")


VALUE_DIGITS = 12
MAX_VALUE = Decimal("9999999999.99")


# What a team fills in for an indicator: the form and the services take these fields.
INDICATOR_FIELDS = (
    "name",
    "definition",
    "kind",
    "outcome",
    "unit",
    "scale_min",
    "scale_max",
    "target",
    "direction",
    "source",
)


class Indicator(models.Model):
    """What a trajectory measures to see whether the intervention reaches people and works."""

    Kind = IndicatorKind

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(
        _("definition"),
        max_length=TEXT,
        blank=True,
        help_text=_("What exactly is counted or measured, and over which group."),
    )
    kind = models.CharField(_("what it measures"), max_length=20, choices=IndicatorKind.choices)
    outcome = models.CharField(
        _("implementation outcome"), max_length=20, choices=ImplementationOutcome.choices, blank=True
    )
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices, default=Unit.PERCENTAGE)
    scale_min = models.DecimalField(_("lowest score"), max_digits=VALUE_DIGITS, decimal_places=2, null=True, blank=True)
    scale_max = models.DecimalField(
        _("highest score"), max_digits=VALUE_DIGITS, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(_("target"), max_digits=VALUE_DIGITS, decimal_places=2)
    direction = models.CharField(
        _("on target when the value is"), max_length=10, choices=Direction.choices, default=Direction.AT_LEAST
    )
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("Where the figures come from, e.g. the client register.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Raised by every save of the edit form, so a form opened before a colleague saved is refused (issue 16).
    version = models.PositiveIntegerField(default=1, editable=False)

    history_records = HistoricalRecords(excluded_fields=["version"])

    # Set by selectors_outcomes.indicators_with_measurements (annotations only: no field, no column): the
    # measurements oldest first, the latest of them, whether it is on target, and the chart.
    rows: list[Measurement]
    latest: Measurement | None
    status: bool | None
    chart: LineChart | None

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=IndicatorKind.values), name="indicator_kind_valid"),
            models.CheckConstraint(condition=Q(unit__in=Unit.values), name="indicator_unit_valid"),
            models.CheckConstraint(condition=Q(direction__in=Direction.values), name="indicator_direction_valid"),
            models.CheckConstraint(
                condition=Q(
                    unit="score", scale_min__isnull=False, scale_max__isnull=False, scale_min__lt=F("scale_max")
                )
                | ~Q(unit="score"),
                name="indicator_score_has_a_scale",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def bounds(self) -> tuple[Decimal | None, Decimal | None]:
        """The lowest and highest value the unit allows (None: no bound)."""
        if self.unit == Unit.PERCENTAGE:
            return Decimal(0), Decimal(100)
        if self.unit == Unit.COUNT:
            return Decimal(0), None
        return self.scale_min, self.scale_max

    def range_error(self, value: Decimal) -> ValidationError | None:
        """A Dutch message when ``value`` lies outside the unit's range, else None."""
        low, high = self.bounds()
        if low is not None and value < low or high is not None and value > high:
            if high is None:
                return ValidationError(_("Enter a value of %(low)s or more."), params={"low": _number(low)})
            return ValidationError(
                _("Enter a value between %(low)s and %(high)s."), params={"low": _number(low), "high": _number(high)}
            )
        return None

    def on_target(self, value: Decimal | None) -> bool | None:
        if value is None:
            return None
        return value >= self.target if self.direction == Direction.AT_LEAST else value <= self.target


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class Measurement(models.Model):
    """One measured value of an indicator, dated, with who recorded it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=VALUE_DIGITS, decimal_places=2)
    note = models.TextField(_("note"), max_length=TEXT, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history_records = HistoricalRecords()

    # Set by selectors_outcomes.indicators_with_measurements (annotation only: no field, no column).
    is_on_target: bool | None

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["measured_on", "pk"]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.measured_on:%Y-%m-%d}: {_number(self.value)}"

    @property
    def display_value(self) -> str:
        return formats.localize(Decimal(_number(self.value)))
