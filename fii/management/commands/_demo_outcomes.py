"""Outcomes and reach of the demo trajectories (issue 22), replayed through the services.

A trajectory row in ``fixtures/demo.json`` may hold an ``outcomes`` list::

    [{"name": "…", "definition": "…", "kind": "bereik", "outcome": "penetratie", "unit": "percentage",
      "target": 70, "direction": "minimaal", "source": "…", "scale_min": 1, "scale_max": 10,
      "first_days_ago": 360, "every_days": 30, "values": [55, 58, …]}]

The values are measured every ``every_days`` days from ``first_days_ago`` on; all figures are fictional.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.management.base import CommandError
from django.utils import timezone

from trajectories import services
from trajectories.models import Trajectory

from ._demo_reviews import check_keys

FIELDS = {"name", "definition", "kind", "outcome", "unit", "target", "direction", "source", "scale_min", "scale_max"}
SERIES = {"first_days_ago", "every_days", "values"}


def load_outcomes(trajectory: Trajectory, row: dict, *, by) -> int:
    """Add the row's indicators with their measurements; returns the number of measurements."""
    count = 0
    today = timezone.localdate()
    for n, item in enumerate(row.get("outcomes", []), start=1):
        where = f"{trajectory.title}, indicator {n}"
        check_keys(item, allowed=FIELDS | SERIES, required=["name", "kind", "unit", "target", *SERIES], where=where)
        fields = {k: v for k, v in item.items() if k in FIELDS}
        for key in ("target", "scale_min", "scale_max"):
            if key in fields:
                fields[key] = Decimal(str(fields[key]))
        try:
            indicator = services.indicator_create(trajectory=trajectory, by=by, **fields)
            for step, value in enumerate(item["values"]):
                days_ago = item["first_days_ago"] - step * item["every_days"]
                services.measurement_record(
                    indicator=indicator,
                    by=by,
                    measured_on=today - dt.timedelta(days=days_ago),
                    value=Decimal(str(value)),
                )
                count += 1
        except services.OutcomeError as error:
            raise CommandError(f"{where}: {error}") from error
    return count
