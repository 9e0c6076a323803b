"""Each trajectory's next stoplight review, stored so that an index can list the most urgent (issue 21).

Mijn week of a user who works on every trajectory used to compute every active trajectory's review base (the last
review held, else the current phase's start, else the start date) with correlated subqueries and sort all of them:
1.3 s at 2,000 trajectories, 4.4 s at 20,000 (BENCHMARKS.md). Two derived columns of :class:`Trajectory` hold the
answer instead, under a partial index on ``(review_due_on, id)`` of the active, unarchived trajectories:

- ``review_due_on``: :meth:`Trajectory.next_review_on` as :func:`trajectories.selectors.cadence` computes it on
  the day of the last write (``written_on``);
- ``review_due_stale_on``: the date of the earliest review dated after ``written_on``, or None.

**The rule for reviews dated in the future.** The cadence counts only reviews held on or before today
(``held_on <= today``); the review form refuses a future date, but an import or a service caller may bring one.
Such a review starts to count on its own date, without any write. Between ``written_on`` and the day before
``review_due_stale_on`` no review enters or leaves "held on or before today" (nothing else in the base depends on
the day), so the stored date is exact on those days; from ``review_due_stale_on`` on it may not be, and the readers
(:mod:`trajectories.my_week`) compute those few rows from the reviews as before. The next write of the trajectory
stores a fresh pair.

**Who keeps it.** The inputs are the reviews' dates, the current phase and its start, the start date and the review
interval. Every service that writes one of them calls :func:`sync` for its trajectory (no signals: the side effect is
visible in the service); bulk writers (``seed_scale``, the import, the demo loader) call it once for all their
trajectories; the data migration and ``verify_review_schedule --repair`` call :func:`rebuild`. Status and archiving
are not inputs: the index's condition reads them from the trajectory itself. The columns are written with
``update()``: derived data, so no history row, audit event, version or page-cache revision.
``tests/trajectories/test_review_schedule.py`` checks every write path against :func:`expected`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from .models import PhaseState, Review, ReviewInterval, Trajectory

__all__ = ["Due", "differences", "expected", "rebuild", "sync"]

Due = tuple[dt.date, dt.date | None]  # (review_due_on, review_due_stale_on)


def expected(trajectory_ids: Iterable[int] | None = None, *, today: dt.date | None = None) -> dict[int, Due]:
    """What the two columns should hold for these trajectories (all when None), computed from the rows; one query.
    The stored values next to them are in :func:`_read`."""
    return {pk: due for pk, (due, _stored) in _read(trajectory_ids, today=today).items()}


def _read(trajectory_ids: Iterable[int] | None, *, today: dt.date | None) -> dict[int, tuple[Due, Due]]:
    today = today or timezone.localdate()
    reviews = Review.objects.filter(trajectory=OuterRef("pk"))
    held = reviews.filter(held_on__lte=today).order_by("-held_on", "-pk")
    coming = reviews.filter(held_on__gt=today).order_by("held_on")
    phase_start = PhaseState.objects.filter(trajectory=OuterRef("pk"), phase=OuterRef("current_phase"))
    rows = Trajectory.objects.order_by()
    if trajectory_ids is not None:
        rows = rows.filter(pk__in=list(trajectory_ids))
    found: dict[int, tuple[Due, Due]] = {}
    for pk, start_date, interval, last_held, started_at, stale_on, due_on, stored_stale_on in rows.annotate(
        last_held=Subquery(held.values("held_on")[:1]),
        phase_started_at=Subquery(phase_start.values("started_at")[:1]),
        first_coming=Subquery(coming.values("held_on")[:1]),
    ).values_list(
        "pk",
        "start_date",
        "review_interval",
        "last_held",
        "phase_started_at",
        "first_coming",
        "review_due_on",
        "review_due_stale_on",
    ):
        # The same base as Trajectory.next_review_on() is given by selectors.cadence().
        base = last_held or (timezone.localdate(started_at) if started_at else None) or start_date
        found[pk] = ((ReviewInterval(interval).after(base), stale_on), (due_on, stored_stale_on))
    return found


def differences(trajectory_ids: Iterable[int] | None = None, *, today: dt.date | None = None) -> dict[int, Due]:
    """The trajectories whose stored pair differs from the rows, with the pair they should hold."""
    return {pk: want for pk, (want, have) in _read(trajectory_ids, today=today).items() if want != have}


@transaction.atomic
def sync(trajectory_ids: Iterable[int] | None, *, today: dt.date | None = None) -> int:
    """Store the pair of these trajectories (all when None) where it differs; the number of rows written.

    The trajectories' rows are locked first and the inputs read in the next statement: two writers of one
    trajectory at once (a review started while the phase moves) then compute one after the other, the second
    seeing what the first committed, instead of the later UPDATE storing a date computed without the other's
    change. Three queries for one trajectory whose date moved, two when it did not."""
    ids = None if trajectory_ids is None else list({pk for pk in trajectory_ids if pk is not None})
    if ids == []:
        return 0
    if ids is not None:
        list(Trajectory.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    moved = differences(ids, today=today)
    rows = [Trajectory(pk=pk, review_due_on=due, review_due_stale_on=stale) for pk, (due, stale) in moved.items()]
    Trajectory.objects.bulk_update(rows, ["review_due_on", "review_due_stale_on"], batch_size=1000)
    return len(rows)


def rebuild() -> int:
    """Put every trajectory right (the data migration's counterpart, ``verify_review_schedule --repair``)."""
    return sync(None)
