"""Phase 3 (Innoveren): implementability assessments (3a), the versioned method description (3b), CFIR."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from fii import eric
from fii.cfir import NUMERIC, RATING_VALUES, CfirVersion

from ..models import (
    ActiveComponent,
    Candidate,
    CfirAssessment,
    CfirRating,
    ImplementabilityAssessment,
    MethodVersion,
    StrategyUptake,
    Trajectory,
)
from ..selectors_innoveren import method_current
from .reviews import action_create
from .subphases import subphases_follow_work
from .verkennen import milestone_save
from .versioning import StaleEdit, save_versioned

__all__ = [
    "cfir_assessment_create",
    "cfir_rate",
    "implementability_record",
    "method_current",
    "method_save",
    "strategy_take_up",
    "uptake_due_default",
    "NotSuggested",
    "UptakeTarget",
]


def implementability_record(*, trajectory: Trajectory, by, **fields) -> ImplementabilityAssessment:
    assessment = ImplementabilityAssessment.objects.create(trajectory=trajectory, created_by=by, **fields)
    subphases_follow_work(trajectory=trajectory, by=by, phase="innoveren")
    return assessment


@transaction.atomic
def method_save(
    *,
    trajectory: Trajectory,
    by,
    based_on: int | None,
    components: list[str],
    reason: str = "",
    at=None,
    **fields,
) -> MethodVersion:
    """Save the method description as a new version with its active components.

    ``based_on`` is the version number the user started from (``None`` or 0 for none). When a colleague
    saved a newer version in the meantime, :class:`StaleEdit` carries that version and nothing is saved.
    """
    # Lock the trajectory row so two saves cannot both take the next number (PostgreSQL); the unique
    # constraint on (trajectory, number) is the backstop everywhere.
    Trajectory.objects.select_for_update().filter(pk=trajectory.pk).first()
    current = method_current(trajectory)
    current_number = current.number if current else 0
    if (based_on or 0) != current_number:
        raise StaleEdit(current, fields)
    texts = [t.strip() for t in components if t.strip()]
    if current is not None and _unchanged(current, texts, fields):
        return current
    try:
        with transaction.atomic():
            version = MethodVersion.objects.create(
                trajectory=trajectory,
                number=current_number + 1,
                created_by=by,
                created_at=at or timezone.now(),
                reason=reason,
                **fields,
            )
    except IntegrityError:
        raise StaleEdit(method_current(trajectory), fields) from None
    ActiveComponent.objects.bulk_create(
        ActiveComponent(version=version, position=position, text=text) for position, text in enumerate(texts, start=1)
    )
    subphases_follow_work(trajectory=trajectory, by=by, phase="innoveren")
    return version


def _unchanged(current: MethodVersion, components: list[str], fields: dict) -> bool:
    """True when saving would repeat the current version word for word (no new version is made then)."""
    return [c.text for c in current.components.all()] == components and all(
        getattr(current, name) == value for name, value in fields.items()
    )


def cfir_assessment_create(
    *,
    trajectory: Trajectory,
    by,
    title: str,
    assessed_on,
    version: str = CfirVersion.V2022,
    candidate: Candidate | None = None,
) -> CfirAssessment:
    if candidate is not None and candidate.trajectory_id != trajectory.pk:
        raise ValueError("The candidate belongs to another trajectory.")
    return CfirAssessment.objects.create(
        trajectory=trajectory,
        title=title,
        assessed_on=assessed_on,
        version=CfirVersion(version),
        candidate=candidate,
        created_by=by,
    )


@transaction.atomic
def cfir_rate(
    *,
    assessment: CfirAssessment,
    by,
    ratings: dict[str, tuple[str, str]],
    reviewed: Iterable[str] = (),
    expected_version: int | None = None,
) -> None:
    """Set the ratings given as ``{construct code: (rating, rationale)}``. An empty rating removes the
    construct's rating (not rated); constructs not in ``ratings`` are left as they are.

    The assessment's version covers all its ratings: with ``expected_version`` (the form) nothing is saved
    when a colleague saved ratings since the form was opened (:class:`StaleEdit`).

    A rating flagged for review (an M from before M meant missing data) stays flagged until the team
    changes it or confirms it by naming its construct in ``reviewed``; nothing is re-scored for them."""
    known = assessment.framework.constructs
    unknown = set(ratings) - set(known)
    if unknown:
        raise ValueError(f"Unknown CFIR constructs for version {assessment.version}: {sorted(unknown)}")
    save_versioned(CfirAssessment, assessment, expected_version)
    reviewed = set(reviewed)
    existing = {r.construct: r for r in assessment.ratings.all()}
    now = timezone.now()
    for code, (rating, rationale) in ratings.items():
        row = existing.get(code)
        if not rating:
            if row is not None:
                row.delete()
            continue
        if rating not in RATING_VALUES:
            raise ValueError(f"Unknown CFIR rating: {rating}")
        if row is None:
            CfirRating.objects.create(
                assessment=assessment, construct=code, rating=rating, rationale=rationale, updated_by=by, updated_at=now
            )
            continue
        needs_review = row.needs_review and rating == row.rating and code not in reviewed
        if (row.rating, row.rationale, row.needs_review) != (rating, rationale, needs_review):
            row.rating, row.rationale, row.needs_review = rating, rationale, needs_review
            row.updated_by, row.updated_at = by, now
            row.save(update_fields=["rating", "rationale", "needs_review", "updated_by", "updated_at"])


class NotSuggested(ValueError):
    """The strategy is not among the expert suggestions for this rating, or the rating is no barrier."""


class UptakeTarget(StrEnum):
    """Where a strategy taken up for a barrier goes: the stoplight review or the plan's roadmap."""

    ACTION = "action"
    MILESTONE = "milestone"


UPTAKE_DUE_AFTER = dt.timedelta(weeks=4)  # the default due date the take-up form proposes


def uptake_due_default(today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()) + UPTAKE_DUE_AFTER


@transaction.atomic
def strategy_take_up(
    *,
    rating: CfirRating,
    strategy: str,
    by,
    target: UptakeTarget | str = UptakeTarget.ACTION,
    due_on: dt.date | None = None,
    at: dt.datetime | None = None,
) -> tuple[StrategyUptake, bool]:
    """Take up a suggested ERIC strategy for a CFIR barrier (issue 22): as an open stoplight action (``target``
    ``action``; it comes up at the next review) or as a milestone on the plan's roadmap (``milestone``), due on
    ``due_on`` (default: four weeks after ``at``). The form refuses a date in the past; the service takes the
    date it is given, so demo data can be written for a moment in the past.

    Idempotent: a strategy is taken up once per barrier; a second call (a double click, a replayed form, a
    colleague at the same moment) returns the uptake that exists, with ``False``, wherever it went.
    """
    target = UptakeTarget(target)
    existing = (
        StrategyUptake.objects.filter(rating=rating, strategy=strategy).select_related("action", "milestone").first()
    )
    if existing is not None:
        return existing, False
    if NUMERIC.get(rating.rating, 0) >= 0:
        raise NotSuggested("Only a construct rated -1 or -2 is a barrier.")
    assessment = rating.assessment
    if strategy not in {m.strategy.code for m in eric.suggestions(assessment.version, rating.construct)}:
        raise NotSuggested(f"{strategy} is not suggested for {rating.construct}.")
    chosen = eric.BY_CODE[strategy]
    construct = assessment.framework.constructs[rating.construct]
    dutch = (get_language() or "nl").startswith("nl")
    description = _("%(strategy)s, for the barrier “%(construct)s”") % {
        "strategy": chosen.nl_name if dutch else chosen.name,
        "construct": construct.nl_name if dutch else construct.name,
    }
    if due_on is None:
        due_on = uptake_due_default(timezone.localdate(at) if at else None)
    trajectory = assessment.trajectory
    try:
        with transaction.atomic():
            if target == UptakeTarget.MILESTONE:
                milestone = milestone_save(trajectory=trajectory, by=by, title=description[:200], due_on=due_on, at=at)
                uptake = StrategyUptake.objects.create(
                    rating=rating,
                    strategy=strategy,
                    milestone=milestone,
                    created_by=by,
                    created_at=at or timezone.now(),
                )
            else:
                action = action_create(
                    trajectory=trajectory, by=by, description=description[:300], due_on=due_on, at=at
                )
                uptake = StrategyUptake.objects.create(
                    rating=rating, strategy=strategy, action=action, created_by=by, created_at=at or timezone.now()
                )
    except IntegrityError:  # taken up by someone else between the look-up and the insert
        found = StrategyUptake.objects.select_related("action", "milestone").get(rating=rating, strategy=strategy)
        return found, False
    return uptake, True
