"""Archive instead of delete: an archived trajectory is hidden from lists and read-only, and comes back
unchanged when it is restored."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ..models import Trajectory
from ..policy import Do, may

__all__ = ["trajectory_archive", "trajectory_restore"]


@transaction.atomic
def trajectory_archive(*, trajectory: Trajectory, by, reason: str) -> Trajectory:
    if not may(by, Do.ARCHIVE, trajectory):
        raise PermissionDenied
    if not reason.strip():
        raise ValueError("A reason is required.")
    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    if trajectory.archived_at is None:
        trajectory.archived_at = timezone.now()
        trajectory.archived_by = by
        trajectory.archive_reason = reason.strip()
        trajectory.save(update_fields=["archived_at", "archived_by", "archive_reason"])
    return trajectory


@transaction.atomic
def trajectory_restore(*, trajectory: Trajectory, by) -> Trajectory:
    """Bring it back as it was: nothing but the archive fields changes (the history keeps the reason)."""
    if not may(by, Do.ARCHIVE, trajectory):
        raise PermissionDenied
    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    if trajectory.archived_at is not None:
        trajectory.archived_at = None
        trajectory.archived_by = None
        trajectory.archive_reason = ""
        trajectory.save(update_fields=["archived_at", "archived_by", "archive_reason"])
    return trajectory
