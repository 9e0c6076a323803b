"""Who sees which trajectory, as rows of (organisation, trajectory) that an index answers.

"Owner OR receiving organisation OR participant" is three conditions on two tables; no index serves the OR,
so every list of a user's trajectories read every trajectory of the installation (issue 21: a
one-organisation user's count grew from 0.5 to 4 ms between 2,000 and 20,000 trajectories). The table
:class:`~trajectories.models.Visibility` holds the same fact once per pair, under a unique index that leads
with the organisation: ``visible_ids(org_ids)`` is an index-only scan of the rows of the user's organisations.

The rows are derived data, so they follow the three source fields wherever those change. Trajectories and
their participants are written by services, by the admin, by the demo loader, by imports and by test
factories; the access version (``revisions.py``) already listens to exactly those writes, and the rows are
kept by the same receivers (:func:`connect`), so no write path can forget them. Writes that send no signals
call :func:`sync` themselves (``seed_scale``'s bulk inserts; a ``queryset.update()`` of ``owner`` or
``receiving_organisation``, of which there is none today), and :func:`rebuild` puts the whole table right
(the data migration, ``verify_visibility --repair``). Archiving does not change who takes part, only whether
lists show the trajectory; that stays a column of the trajectory (``archived_at``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_init, post_save

from .models import Trajectory, Visibility, VisibilityRelation

__all__ = ["connect", "differences", "expected", "loaded_visibility", "rebuild", "sync", "visible_ids"]

# When an organisation takes part in two ways, the row names the first of these.
_ORDER = (VisibilityRelation.OWNER, VisibilityRelation.RECEIVING, VisibilityRelation.PARTICIPANT)

Pairs = dict[tuple[int, int], str]  # (organisation id, trajectory id) → relation


def visible_ids(org_ids: Iterable[int]) -> QuerySet:
    """The ids of the trajectories these organisations take part in, as a subquery (``pk__in=…``)."""
    return Visibility.objects.filter(organisation_id__in=list(org_ids)).values("trajectory_id")


def expected(trajectory_ids: Iterable[int] | None = None) -> Pairs:
    """The rows the source fields call for (all trajectories when ``trajectory_ids`` is None); two queries."""
    trajectories = Trajectory.objects.all()
    through = Trajectory.participants.through.objects.all()
    if trajectory_ids is not None:
        ids = list(trajectory_ids)
        trajectories = trajectories.filter(pk__in=ids)
        through = through.filter(trajectory_id__in=ids)
    found: dict[tuple[int, int], set[str]] = {}
    for pk, owner, receiving in trajectories.values_list("pk", "owner_id", "receiving_organisation_id"):
        found.setdefault((owner, pk), set()).add(VisibilityRelation.OWNER)
        if receiving is not None:
            found.setdefault((receiving, pk), set()).add(VisibilityRelation.RECEIVING)
    for pk, organisation in through.values_list("trajectory_id", "organisation_id"):
        found.setdefault((organisation, pk), set()).add(VisibilityRelation.PARTICIPANT)
    return {pair: next(r for r in _ORDER if r in relations) for pair, relations in found.items()}


def _stored(trajectory_ids: list[int] | None) -> dict[tuple[int, int], tuple[int, str]]:
    rows = Visibility.objects.all()
    if trajectory_ids is not None:
        rows = rows.filter(trajectory_id__in=trajectory_ids)
    return {
        (org, t): (pk, rel)
        for pk, org, t, rel in rows.values_list("pk", "organisation_id", "trajectory_id", "relation")
    }


def differences(trajectory_ids: Iterable[int] | None = None) -> tuple[Pairs, Pairs, Pairs]:
    """(missing, superfluous, wrong relation) between the table and the source fields."""
    ids = None if trajectory_ids is None else list(trajectory_ids)
    want = expected(ids)
    have = {pair: rel for pair, (_pk, rel) in _stored(ids).items()}
    missing = {pair: rel for pair, rel in want.items() if pair not in have}
    superfluous = {pair: rel for pair, rel in have.items() if pair not in want}
    wrong = {pair: want[pair] for pair, rel in have.items() if pair in want and want[pair] != rel}
    return missing, superfluous, wrong


@transaction.atomic
def sync(trajectory_ids: Iterable[int] | None) -> int:
    """Make the rows of these trajectories (all when None) follow the source fields; the number of rows changed."""
    ids = None if trajectory_ids is None else list({pk for pk in trajectory_ids if pk is not None})
    if ids == []:
        return 0
    want = expected(ids)
    have = _stored(ids)
    gone = [pk for pair, (pk, _rel) in have.items() if pair not in want]
    new = [
        Visibility(organisation_id=o, trajectory_id=t, relation=r) for (o, t), r in want.items() if (o, t) not in have
    ]
    moved = [
        Visibility(pk=pk, relation=want[pair]) for pair, (pk, rel) in have.items() if pair in want and want[pair] != rel
    ]
    if gone:
        Visibility.objects.filter(pk__in=gone).delete()
    if new:
        # Two requests may add the same participant at once; the unique index keeps one row.
        Visibility.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    if moved:
        Visibility.objects.bulk_update(moved, ["relation"], batch_size=2000)
    return len(gone) + len(new) + len(moved)


def rebuild() -> int:
    """Put the whole table right (the data migration and ``verify_visibility --repair``)."""
    return sync(None)


# Receivers: the writes that change who takes part (the access version listens to the same ones) --------------


# What a trajectory had when it was read, kept on the instance by the receivers here, never by the model.
LOADED = "_fii_loaded_visibility"


def _on_trajectory_init(sender, instance, **kwargs):
    """Remember what a trajectory read from the database had (a new one, without a primary key, has nothing)."""
    if instance.pk is not None:
        instance.__dict__[LOADED] = instance.visibility()


def loaded_visibility(instance: Trajectory) -> tuple | None:
    """``Trajectory.visibility()`` as it was when the instance was read or last saved; None for a new one."""
    return instance.__dict__.get(LOADED)


def _on_trajectory_saved(sender, instance, raw=False, created=False, **kwargs):
    """Connected before the access version's receiver (``revisions.py``), which reads what the trajectory was
    loaded with too; the last receiver, :func:`_on_trajectory_saved_last`, moves it on."""
    if raw:  # loaddata: whoever loads trajectories raw calls rebuild() after (load_fii_data)
        return
    loaded = loaded_visibility(instance)
    if created or loaded is None or loaded[:2] != instance.visibility()[:2]:
        sync([instance.pk])


def _on_participants(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear", "post_clear"):
        return
    if not reverse:
        if action != "pre_clear":
            sync([instance.pk])
    elif action == "pre_clear":  # organisation.participating_trajectories.clear(): remember which ones
        instance._fii_cleared_trajectories = list(
            sender.objects.filter(organisation_id=instance.pk).values_list("trajectory_id", flat=True)
        )
    elif action == "post_clear":
        sync(getattr(instance, "_fii_cleared_trajectories", []))
    else:
        sync(pk_set or [])


def connect() -> None:
    """Called once from TrajectoriesConfig.ready(). Deleting a trajectory or an organisation deletes its rows
    (``on_delete=CASCADE``)."""
    post_init.connect(_on_trajectory_init, sender=Trajectory, dispatch_uid="fii-visibility-loaded")
    post_save.connect(_on_trajectory_saved, sender=Trajectory, dispatch_uid="fii-visibility-trajectory")
    m2m_changed.connect(_on_participants, sender=Trajectory.participants.through, dispatch_uid="fii-visibility-part")


def _on_trajectory_saved_last(sender, instance, raw=False, **kwargs):
    """After every receiver compared: what was saved is now what the instance was loaded with."""
    if not raw:
        instance.__dict__[LOADED] = instance.visibility()


def connect_last() -> None:
    """Called from TrajectoriesConfig.ready() after every other receiver of a saved trajectory is connected."""
    post_save.connect(_on_trajectory_saved_last, sender=Trajectory, dispatch_uid="fii-visibility-loaded-moved")
