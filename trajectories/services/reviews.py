"""Stoplight reviews: start, assess, steer with actions, finalise and re-open.

Several team members may fill in the same review at once, each on their own laptop. Saves are
optimistic: a review item's light and note are each compared with the value the user last saw,
and the review's own fields and every action carry a version number. When someone else changed
the same thing in between, the save is refused with :class:`StaleEdit`, which holds the current
row so the page can show what changed while keeping what the user typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from fii.model import Phase
from organisations.models import Membership

from .. import review_schedule
from ..history import bulk_create_tracked, record_update
from ..models import (
    Action,
    ChecklistItem,
    Milestone,
    Review,
    ReviewEvent,
    ReviewItem,
    Trajectory,
    overall_light,
)
from .checklists import checklist_copy_from_template
from .notifications import notification_action_assigned
from .subphases import subphases_follow_work
from .versioning import StaleEdit, save_versioned

__all__ = [
    "ReviewError",
    "ReviewLocked",
    "action_close",
    "action_create",
    "action_reopen",
    "action_update",
    "owning_organisation_id",
    "review_finalise",
    "review_item_set",
    "review_reopen",
    "review_start",
    "review_update",
]


KEEP = object()  # a keyword argument left out on purpose: keep the field as it is


class ReviewError(ValueError):
    pass


class ReviewLocked(ReviewError):
    """The review is finalised; only a beheerder can re-open it. ``review`` is the row as locked, when known."""

    def __init__(self, message: str = "This review is finalised.", *, review: Review | None = None):
        super().__init__(message)
        self.review = review


def _refresh_overall_light(review: Review, *, stored: str | None = None) -> str:
    """Derive the overall light from the items; also sets ``review.unassessed`` (items without a light).

    ``stored`` is the overall light of the review row as locked in this transaction: when it is still
    right, nothing is written.
    """
    colours = list(review.items.order_by().values_list("colour", flat=True))  # no sort: the light is a max
    light = overall_light(colours)
    review.unassessed = colours.count("")
    if light == stored:
        return light
    # update() sends no signal; every caller saved an item or the review in this transaction, which
    # raised the trajectory's revision already (trajectories/revisions.py).
    changed = Review.objects.filter(pk=review.pk).exclude(overall_light=light).update(overall_light=light)
    review.overall_light = light
    if changed:
        record_update(review)
    return light


@transaction.atomic
def review_start(
    *,
    trajectory: Trajectory,
    by,
    held_on: dt.date,
    phases: Iterable[str],
    attendees: Iterable = (),
    other_attendees: str = "",
    stakeholders_present: Iterable | None = None,
    at: dt.datetime | None = None,
) -> Review:
    """Open a review of the given phases, pre-filled with each item's last light.

    Raises ReviewError while another review of the trajectory is still open.
    """
    phases = [p for p in Phase.values if p in set(phases)]
    if not phases:
        raise ReviewError("A review covers at least one phase.")
    for phase in phases:
        checklist_copy_from_template(trajectory=trajectory, phase=phase, by=by)
    try:
        with transaction.atomic():
            review = Review.objects.create(
                trajectory=trajectory,
                held_on=held_on,
                phases=phases,
                other_attendees=other_attendees,
                created_by=by,
                created_at=at or timezone.now(),
            )
    except IntegrityError:
        raise ReviewError("Another review of this trajectory is still open.") from None
    review.attendees.set(attendees)
    if stakeholders_present is not None:
        review.stakeholders_present.set(stakeholders_present)

    items = list(ChecklistItem.objects.filter(trajectory=trajectory, phase__in=phases, retired_at__isnull=True))
    phase_rank = {p: n for n, p in enumerate(phases)}
    items.sort(key=lambda i: (phase_rank[i.phase], i.position, i.pk))
    last_colour: dict[int, str] = {}
    earlier = (
        ReviewItem.objects.filter(item__in=items, review__held_on__lte=held_on)
        .exclude(review=review)
        .order_by("item_id", "-review__held_on", "-review_id")
        .values_list("item_id", "colour")
    )
    for item_id, colour in earlier:
        last_colour.setdefault(item_id, colour)
    bulk_create_tracked(
        ReviewItem,
        (
            ReviewItem(
                review=review,
                item=item,
                text=item.text,
                position=n,
                colour=last_colour.get(item.pk, ""),
                carried_colour=last_colour.get(item.pk, ""),
            )
            for n, item in enumerate(items, start=1)
        ),
    )
    _refresh_overall_light(review)
    review_schedule.sync([trajectory.pk])  # a review held counts from its date
    subphases_follow_work(trajectory=trajectory, by=by, phase="implementeren")
    return review


def _lock_open(review_pk: int, *, trajectory: Trajectory | None = None) -> Review:
    """Lock the review row for this transaction; refuse when it is finalised.

    Every write to a review goes through this lock, so saves of one review happen one after the
    other: the overall light is derived from all of them, and nothing lands after finalising.
    With ``trajectory``, only a review of that trajectory is found (and locked); another one raises
    ``Review.DoesNotExist`` without being locked.
    """
    scope = {} if trajectory is None else {"trajectory_id": trajectory.pk}
    locked = Review.objects.select_for_update().get(pk=review_pk, **scope)
    if trajectory is not None:
        locked.trajectory = trajectory
    if locked.finalised_at is not None:
        raise ReviewLocked(review=locked)
    return locked


_UNSET = object()


def review_item_set(
    *,
    by,
    review_item: ReviewItem | None = None,
    trajectory: Trajectory | None = None,
    review_id: int | None = None,
    review_item_id: int | None = None,
    colour=_UNSET,
    expected_colour: str | None = None,
    note=_UNSET,
    expected_note: str | None = None,
    at: dt.datetime | None = None,
) -> ReviewItem:
    """Set the light and/or the note of one item in an open review.

    The item is named either by a loaded row (``review_item``: scripts, seeds, tests) or, on the meeting's
    hot path, by ``trajectory`` (already checked for the user's right to edit) with ``review_id`` and
    ``review_item_id`` from the URL: then the review is locked only when it belongs to that trajectory and the
    item is read only from that review, raising ``Review.DoesNotExist`` or ``ReviewItem.DoesNotExist``
    otherwise, with nothing changed. Raises :class:`ReviewLocked` (with the locked review) when the review is
    finalised.

    ``expected_*`` is the value the user saw before changing it (None skips the check, for scripts).
    Each field is compared on its own, so one person setting the light while another types the note
    is not a conflict; two people changing the same field is. :class:`StaleEdit` holds the current row,
    with the locked review.

    The saved item's ``review`` is the review as locked and updated here, so a caller can show the new overall
    light and the item's cells without reading them again. Its checklist item (``item``) is not read: the cells
    do not show it (reading it with the row cost about 0.1 ms of the light change, ``bench/light_change.py``).

    Inside a caller's transaction (a request's, AuditMiddleware) this opens no savepoint: a conflict or a
    finalised review is found before anything is written, so refusing leaves that transaction as it was
    (the review's lock is then held until it ends); a database error in the write fails the request, which
    rolls the whole transaction back, as it did with a savepoint. Called outside one, it opens its own.
    """
    if review_item is not None:
        if trajectory is not None or review_id is not None or review_item_id is not None:
            raise TypeError("Name the item by review_item, or by trajectory, review_id and review_item_id.")
        review_id, review_item_id = review_item.review_id, review_item.pk
    elif trajectory is None or review_id is None or review_item_id is None:
        raise TypeError("Name the item by review_item, or by trajectory, review_id and review_item_id.")
    arguments = {
        "by": by,
        "trajectory": trajectory,
        "review_id": review_id,
        "review_item_id": review_item_id,
        "colour": colour,
        "expected_colour": expected_colour,
        "note": note,
        "expected_note": expected_note,
        "at": at,
    }
    if transaction.get_connection().in_atomic_block:
        return _review_item_set(**arguments)
    with transaction.atomic():
        return _review_item_set(**arguments)


def _review_item_set(
    *,
    by,
    trajectory: Trajectory | None,
    review_id: int,
    review_item_id: int,
    colour,
    expected_colour: str | None,
    note,
    expected_note: str | None,
    at: dt.datetime | None,
) -> ReviewItem:
    review = _lock_open(review_id, trajectory=trajectory)  # first the review, then the item: one lock order
    current = ReviewItem.objects.get(pk=review_item_id, review_id=review.pk)
    current.review = review  # the audit log finds the organisation through it without a query
    stale = []
    changes = {}
    if colour is not _UNSET:
        if expected_colour is not None and current.colour != expected_colour and current.colour != colour:
            stale.append("colour")
        changes["colour"] = colour
    if note is not _UNSET:
        if expected_note is not None and current.note != expected_note and current.note != note:
            stale.append("note")
        changes["note"] = note
    if stale:
        raise StaleEdit(current, stale)
    for name, value in changes.items():
        setattr(current, name, value)
    current.updated_by = by
    current.updated_at = at or timezone.now()
    current.save(update_fields=[*changes, "updated_by", "updated_at"])
    if "colour" in changes:
        _refresh_overall_light(review, stored=review.overall_light)
    return current


@transaction.atomic
def review_update(
    *,
    review: Review,
    by,
    expected_version: int | None,
    held_on: dt.date,
    summary: str,
    other_attendees: str,
    attendees: Iterable,
    stakeholders_present: Iterable | None = None,
) -> Review:
    _lock_open(review.pk)
    save_versioned(Review, review, expected_version, held_on=held_on, summary=summary, other_attendees=other_attendees)
    review_schedule.sync([review.trajectory_id])  # its date may have moved
    review.attendees.set(attendees)
    if stakeholders_present is not None:
        review.stakeholders_present.set(stakeholders_present)
    return review


@transaction.atomic
def review_finalise(*, review: Review, by, at: dt.datetime | None = None) -> Review:
    _lock_open(review.pk)
    now = at or timezone.now()
    _refresh_overall_light(review)
    save_versioned(Review, review, None, finalised_at=now, finalised_by=by)
    ReviewEvent.objects.create(review=review, kind=ReviewEvent.Kind.FINALISED, created_by=by, created_at=now)
    return review


@transaction.atomic
def review_reopen(*, review: Review, by, reason: str) -> Review:
    """Only for beheerders (checked by the view). Refused while a newer review is open."""
    if not reason.strip():
        raise ReviewError("A reason is required.")
    # Decide on the locked row, not on the copy the view loaded: two beheerders re-opening at once
    # would otherwise both succeed and leave two "re-opened" events for one re-opening.
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if locked.finalised_at is None:
        raise ReviewError("This review is not finalised.")
    try:
        with transaction.atomic():
            save_versioned(Review, review, None, finalised_at=None, finalised_by=None)
    except IntegrityError:
        raise ReviewError("Another review of this trajectory is still open.") from None
    ReviewEvent.objects.create(review=review, kind=ReviewEvent.Kind.REOPENED, reason=reason.strip(), created_by=by)
    return review


@transaction.atomic
def action_create(
    *,
    trajectory: Trajectory,
    by,
    description: str,
    assignee=None,
    due_on: dt.date | None = None,
    item: ChecklistItem | None = None,
    review: Review | None = None,
    milestone: Milestone | None = None,
    owner_person=None,
    at: dt.datetime | None = None,
) -> Action:
    """``owner_person`` (a Stakeholder of this trajectory) owns the action when the owner has no account."""
    _check_one_owner(trajectory, assignee, owner_person)
    if review is not None:
        _lock_open(review.pk)
    action = Action.objects.create(
        trajectory=trajectory,
        item=item,
        review=review,
        milestone=milestone,
        description=description,
        assignee=assignee,
        owner_person=owner_person,
        organisation_id=owning_organisation_id(trajectory, assignee),
        due_on=due_on,
        created_by=by,
        created_at=at or timezone.now(),
    )
    notification_action_assigned(action=action, by=by, now=at)
    return action


@transaction.atomic
def action_update(
    *,
    action: Action,
    by,
    expected_version: int | None,
    description: str,
    assignee,
    due_on: dt.date | None,
    milestone: Milestone | None | object = KEEP,
    owner_person=None,
) -> Action:
    """Change what, who and when (and the roadmap milestone, unless ``milestone`` is left out).

    Who is an account (``assignee``) or a person of this trajectory without one (``owner_person``), or nobody."""
    _check_one_owner(action.trajectory, assignee, owner_person)
    if milestone is KEEP:
        milestone = action.milestone
    assigned_before = action.assignee_id
    save_versioned(
        Action,
        action,
        expected_version,
        description=description,
        assignee=assignee,
        owner_person=owner_person,
        organisation_id=owning_organisation_id(action.trajectory, assignee),
        due_on=due_on,
        milestone=milestone,
    )
    if action.assignee_id != assigned_before:
        notification_action_assigned(action=action, by=by)
    return action


def _check_one_owner(trajectory: Trajectory, assignee, owner_person) -> None:
    if owner_person is not None and (assignee is not None or owner_person.trajectory_id != trajectory.pk):
        raise ValueError("An action has one owner, from this trajectory's people.")


def owning_organisation_id(trajectory: Trajectory, assignee) -> int | None:
    """The assignee's organisation among those taking part: giving first, then receiving, then others.

    Stored on the action so the plan of approach can show who owns how many open tasks (2c).
    """
    if assignee is None:
        return None
    order = [trajectory.owner_id, trajectory.receiving_organisation_id, *(o.pk for o in trajectory.participants.all())]
    member_of = set(Membership.objects.filter(user=assignee).values_list("organisation_id", flat=True))
    return next((pk for pk in order if pk and pk in member_of), None)


@transaction.atomic
def action_close(
    *, action: Action, by, note: str, expected_version: int | None, at: dt.datetime | None = None
) -> Action:
    save_versioned(Action, action, expected_version, closed_at=at or timezone.now(), closed_by=by, closing_note=note)
    return action


@transaction.atomic
def action_reopen(*, action: Action, by, expected_version: int | None) -> Action:
    save_versioned(Action, action, expected_version, closed_at=None, closed_by=None)
    return action
