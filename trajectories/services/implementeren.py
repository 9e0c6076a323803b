"""Subphase 5c, selecting, training and coaching the professionals: the training log and the professionals'
states, each change kept as an append-only row."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Professional, ProfessionalStateChange, TrainingActivity, Trajectory
from .borgen import BorgenError
from .subphases import subphases_follow_work

__all__ = ["professional_add", "professional_set_state", "training_record"]


@transaction.atomic
def training_record(*, trajectory: Trajectory, by, **fields) -> TrainingActivity:
    activity = TrainingActivity.objects.create(trajectory=trajectory, created_by=by, **fields)
    subphases_follow_work(trajectory=trajectory, by=by, phase="implementeren")
    return activity


@transaction.atomic
def professional_add(
    *, trajectory: Trajectory, by, name: str, role: str = "", state: str, state_since: dt.date
) -> Professional:
    professional = Professional.objects.create(
        trajectory=trajectory, name=name, role=role, state=state, state_since=state_since
    )
    ProfessionalStateChange.objects.create(
        professional=professional, to_state=state, changed_on=state_since, created_by=by
    )
    subphases_follow_work(trajectory=trajectory, by=by, phase="implementeren")
    return professional


@transaction.atomic
def professional_set_state(
    *, professional: Professional, by, state: str, changed_on: dt.date, reason: str = ""
) -> Professional:
    if state == professional.state:
        raise BorgenError(_("The professional already has this state."))
    ProfessionalStateChange.objects.create(
        professional=professional,
        from_state=professional.state,
        to_state=state,
        changed_on=changed_on,
        reason=reason,
        created_by=by,
    )
    professional.state, professional.state_since = state, changed_on
    professional.save(update_fields=["state", "state_since"])
    return professional
