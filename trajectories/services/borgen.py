"""Sustaining (6a, 6b): quality monitoring, fidelity checklists and observations, feedback, evaluations and
improvements. Training (5c) is in ``implementeren.py``."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.models import Organisation

from ..models import (
    Evaluation,
    Feedback,
    FidelityAnswer,
    FidelityChecklist,
    FidelityItem,
    FidelityObservation,
    FidelityScore,
    Improvement,
    MethodVersion,
    Professional,
    QualityMonitoring,
    Trajectory,
)
from .subphases import subphases_follow_work
from .versioning import differing, save_versioned

__all__ = [
    "BorgenError",
    "evaluation_record",
    "feedback_record",
    "fidelity_checklist_create",
    "fidelity_observe",
    "improvement_add",
    "improvement_done",
    "quality_for",
    "quality_update",
]


class BorgenError(ValueError):
    """A rule of phase 6 (or of 5c, see implementeren.py) was broken; the message is meant for the user."""


def quality_for(trajectory: Trajectory) -> QualityMonitoring:
    """The trajectory's quality monitoring; a new one starts with the owning team's fidelity threshold."""
    quality = QualityMonitoring.objects.filter(trajectory=trajectory).first()
    if quality is None:
        team_threshold = Organisation.objects.filter(pk=trajectory.owner_id).values_list(
            "fidelity_threshold", flat=True
        )
        quality, _created = QualityMonitoring.objects.get_or_create(
            trajectory=trajectory, defaults={"fidelity_threshold": team_threshold.get()}
        )
    return quality


def quality_update(*, trajectory: Trajectory, by, expected_version: int | None = None, **fields) -> QualityMonitoring:
    """Save how quality is kept; with ``expected_version`` (the edit form) only if nobody saved it since the
    form was opened, else :class:`StaleEdit`."""
    quality = quality_for(trajectory)
    changes = differing(quality, fields)
    save_versioned(QualityMonitoring, quality, expected_version, updated_by=by, updated_at=timezone.now(), **changes)
    subphases_follow_work(trajectory=trajectory, by=by, phase="borgen")
    return quality


@transaction.atomic
def fidelity_checklist_create(*, trajectory: Trajectory, by, version: MethodVersion, title: str) -> FidelityChecklist:
    """A checklist with one item per active component of ``version``; the texts are copied."""
    if version.trajectory_id != trajectory.pk:
        raise BorgenError(_("This version belongs to another trajectory."))
    components = list(version.components.all())
    if not components:
        raise BorgenError(_("This version of the method description has no active components yet."))
    checklist = FidelityChecklist.objects.create(
        trajectory=trajectory, method_version=version, title=title, created_by=by
    )
    FidelityItem.objects.bulk_create(
        FidelityItem(checklist=checklist, position=c.position, text=c.text) for c in components
    )
    return checklist


@transaction.atomic
def fidelity_observe(
    *,
    checklist: FidelityChecklist,
    by,
    observed_on: dt.date,
    answers: dict[int, str],
    observer: str = "",
    note: str = "",
    professional: Professional | None = None,
) -> FidelityObservation:
    """Record one observation; ``answers`` maps every item id of the checklist to an answer."""
    item_ids = set(checklist.items.values_list("pk", flat=True))
    if set(answers) != item_ids:
        raise BorgenError(_("Score every active component of the checklist."))
    if not set(answers.values()) <= set(FidelityAnswer.values):
        raise BorgenError(_("Unknown answer."))
    if professional is not None and professional.trajectory_id != checklist.trajectory_id:
        raise BorgenError(_("This professional works on another trajectory."))
    observation = FidelityObservation.objects.create(
        checklist=checklist,
        observed_on=observed_on,
        observer=observer,
        note=note,
        professional=professional,
        created_by=by,
    )
    FidelityScore.objects.bulk_create(
        FidelityScore(observation=observation, item_id=item_id, answer=answer) for item_id, answer in answers.items()
    )
    return observation


def feedback_record(*, trajectory: Trajectory, by, **fields) -> Feedback:
    feedback = Feedback.objects.create(trajectory=trajectory, created_by=by, **fields)
    subphases_follow_work(trajectory=trajectory, by=by, phase="borgen")
    return feedback


@transaction.atomic
def evaluation_record(
    *,
    trajectory: Trajectory,
    by,
    held_on: dt.date,
    findings: str,
    participants: str = "",
    improvements: list[dict] | None = None,
) -> Evaluation:
    """An evaluation with the executors, with the improvements agreed there (description, owner, due_on)."""
    evaluation = Evaluation.objects.create(
        trajectory=trajectory, held_on=held_on, findings=findings, participants=participants, created_by=by
    )
    for improvement in improvements or []:
        Improvement.objects.create(evaluation=evaluation, **improvement)
    subphases_follow_work(trajectory=trajectory, by=by, phase="borgen")
    return evaluation


def improvement_add(*, evaluation: Evaluation, description: str, owner: str, due_on=None) -> Improvement:
    return Improvement.objects.create(evaluation=evaluation, description=description, owner=owner, due_on=due_on)


def improvement_done(*, improvement: Improvement, by, done_on: dt.date | None = None) -> Improvement:
    if not improvement.is_open:
        raise BorgenError(_("This improvement is already done."))
    improvement.done_on, improvement.done_by = done_on or timezone.localdate(), by
    improvement.save(update_fields=["done_on", "done_by"])
    return improvement
