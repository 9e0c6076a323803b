"""Outcomes and reach (issue 22): indicators, their measurements, and the booster action fidelity asks for."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Action, Indicator, Measurement, Trajectory
from ..models.outcomes import INDICATOR_FIELDS
from .reviews import action_create
from .versioning import differing, save_versioned

__all__ = [
    "INDICATOR_FIELDS",
    "OutcomeError",
    "booster_action_create",
    "indicator_create",
    "indicator_update",
    "measurement_record",
]


class OutcomeError(ValueError):
    """An indicator or measurement broke a rule; the message is meant for the user."""


def indicator_create(*, trajectory: Trajectory, by, **fields) -> Indicator:
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown indicator fields: {sorted(unknown)}")
    indicator = Indicator(trajectory=trajectory, created_by=by, **fields)
    _check_target(indicator)
    indicator.save()
    return indicator


def indicator_update(*, indicator: Indicator, expected_version: int | None = None, **fields) -> Indicator:
    """Change an indicator; with ``expected_version`` (the edit form) only if nobody saved it since the form was
    opened, else :class:`StaleEdit`. Measurements outside a changed range stay: they were valid when taken."""
    saved = Indicator.objects.get(pk=indicator.pk)
    candidate = Indicator(**{**{f: getattr(saved, f) for f in INDICATOR_FIELDS}, **fields})
    _check_target(candidate)
    save_versioned(Indicator, indicator, expected_version, **differing(saved, fields))
    return indicator


def _check_target(indicator: Indicator) -> None:
    if indicator.unit == "score" and (
        indicator.scale_min is None or indicator.scale_max is None or indicator.scale_min >= indicator.scale_max
    ):
        raise OutcomeError(_("A score needs a lowest and a highest value, the lowest below the highest."))
    if indicator.range_error(Decimal(indicator.target)) is not None:
        raise OutcomeError(_("The target lies outside the unit's range."))


@transaction.atomic
def measurement_record(
    *, indicator: Indicator, by, measured_on: dt.date, value: Decimal, note: str = ""
) -> Measurement:
    if measured_on > timezone.localdate():
        raise OutcomeError(_("A measurement cannot lie in the future."))
    error = indicator.range_error(value)
    if error is not None:
        raise OutcomeError(error.messages[0])
    return Measurement.objects.create(
        indicator=indicator, measured_on=measured_on, value=value, note=note, created_by=by
    )


def booster_action_create(*, trajectory: Trajectory, by, description: str, due_on: dt.date | None = None) -> Action:
    """A stoplight action for a booster (extra coaching or training) when fidelity fell below the threshold.

    The same open booster is not added twice: a second click returns the open action."""
    existing = trajectory.actions.filter(description=description, closed_at__isnull=True).first()
    if existing is not None:
        return existing
    return action_create(
        trajectory=trajectory,
        by=by,
        description=description[:300],
        due_on=due_on or timezone.localdate() + dt.timedelta(days=28),
    )
