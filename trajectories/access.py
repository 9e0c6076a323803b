"""Who may see and change which trajectory and review.

A user sees a trajectory when one of their organisations takes part in it (owner, receiving or
participating organisation; one row each in the visibility table, ``visibility.py``), with their highest
role among those organisations. Everything else answers 404, so nobody learns that another organisation's
trajectory exists. A role that is too low for an action answers 403. Memberships and their cache are the
organisations app's (``organisations/access.py``).
"""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from organisations import audit
from organisations.access import access_version, memberships_of, organisations_where
from organisations.models import Organisation, Person, Role

from . import revisions
from .models import Review, Trajectory
from .policy import GIVING_ORGANISATION, Do, may, needed_role
from .visibility import visible_ids


def portfolio_organisations(user) -> list[tuple[int, str]]:
    """(id, name) of the giving and receiving organisations of the user's visible trajectories, for the
    portfolio filter; cached under the user's access version, which every change of that set raises
    (trajectories/revisions.py: a trajectory created or deleted, its organisations or participants changed,
    an organisation renamed)."""
    if not user.is_authenticated:
        return []
    key = f"fii:portfolio-organisations:{user.pk}:{access_version(user)}"
    choices = cache.get(key)
    if choices is None:
        visible = visible_trajectories(user)
        choices = list(
            Organisation.objects.filter(
                Q(pk__in=visible.values("owner_id")) | Q(pk__in=visible.values("receiving_organisation_id"))
            ).values_list("pk", "name")
        )
        cache.set(key, choices, 60 * 60)
    return choices


class TrajectoryArchived(PermissionDenied):
    """A change to an archived trajectory: it is read-only until a beheerder restores it."""

    def __init__(self):
        super().__init__(
            _(
                "This trajectory is archived and therefore read-only. An administrator of the giving organisation "
                "can restore it from the archive."
            )
        )


def visible_trajectories(user, *, archived: bool | None = False) -> QuerySet:
    """The trajectories the user takes part in. Archived ones are left out of lists, counts, calendars and
    exports (``archived=False``, the default); ``archived=True`` gives only those, ``None`` both."""
    org_ids = list(memberships_of(user))
    if not org_ids:
        return Trajectory.objects.none()
    # An index lookup on (organisation, trajectory), not a scan of every trajectory (visibility.py).
    trajectories = Trajectory.objects.filter(pk__in=visible_ids(org_ids))
    if archived is not None:
        trajectories = trajectories.filter(archived_at__isnull=not archived)
    return trajectories


def in_visible_trajectories(user, *, field: str = "trajectory") -> Q:
    """Rows of the trajectories ``visible_trajectories(user)`` lists (not archived), for querysets of parts
    (``Action.objects.filter(in_visible_trajectories(user))``). The visibility subquery is put straight on the
    part's foreign key: behind ``trajectory__in=visible_trajectories(user)`` PostgreSQL joined every open action
    of the installation before the semi-join (333 ms at 6,900 trajectories, against 10 ms; BENCHMARKS.md)."""
    org_ids = list(memberships_of(user))
    if not org_ids:
        return Q(pk__in=[])
    return Q(**{f"{field}_id__in": visible_ids(org_ids), f"{field}__archived_at__isnull": True})


def get_trajectory_for_user(
    user,
    pk: int,
    *,
    do: Do = Do.VIEW,
    allow_archived: bool = False,
    participants: bool = True,
    organisations: bool = True,
    revision: bool = False,
):
    """The trajectory with the user's role on it; 404 when not visible, 403 when the policy refuses the
    action ``do`` (policy.py: the role it needs, and for the giving organisation's actions its beheerder).

    This is the one place that makes archived trajectories read-only: asking for more than reading
    raises :class:`TrajectoryArchived` (unless ``allow_archived``, for restoring), and every page gets
    the role of a reader, so no page offers an edit. ``trajectory.actual_role`` keeps the real role.

    ``participants=False`` skips loading the participating organisations (the busiest pages read them
    only when their cached part has to be rendered again); they are then read only when the user's
    role could come from one of them.

    ``organisations=False`` reads the owning and receiving organisations' ids only, not their rows (the light
    change: its role needs the ids alone, and building the two joined rows cost about 0.6 ms of its CPU,
    ``bench/light_change.py``); ``trajectory.owner`` then costs a statement when read.

    ``revision=True`` reads the trajectory's revision in the same statement (``trajectory.revision``), for a
    page whose parts are cached under it (trajectories/fragments.py).
    """
    memberships = memberships_of(user)
    if not memberships:
        raise Http404
    queryset = Trajectory.objects.all()
    if organisations:
        queryset = queryset.select_related("owner", "receiving_organisation")
    if revision:
        queryset = queryset.annotate(revision=revisions.number())
    if participants:
        queryset = queryset.prefetch_related("participants")
    try:
        trajectory = queryset.get(pk=pk)
    except (Trajectory.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    role = trajectory.role_for(memberships) if participants else _role_without_participants(trajectory, memberships)
    return _with_role(user, trajectory, role, do, allow_archived=allow_archived)


def get_review_for_user(user, pk: int, review_pk: int, *, do: Do = Do.VIEW):
    """A review of a trajectory the user sees, read together with the trajectory and its revision in one
    query (the meeting page); ``review.trajectory.user_role`` as with :func:`get_trajectory_for_user`."""
    memberships = memberships_of(user)
    if not memberships:
        raise Http404
    queryset = Review.objects.select_related(
        "trajectory__owner", "trajectory__receiving_organisation", "finalised_by"
    ).annotate(revision=revisions.number("trajectory_id"))
    try:
        review = queryset.get(pk=review_pk, trajectory_id=pk)
    except (Review.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    review.trajectory.revision = review.revision  # type: ignore[attr-defined]  # the annotation, for the key
    _with_role(user, review.trajectory, _role_without_participants(review.trajectory, memberships), do)
    return review


def _with_role(user, trajectory, role: Role | None, do: Do, *, allow_archived: bool = False):
    if role is None:
        raise Http404
    need = needed_role(do)
    if not role.allows(need):
        raise PermissionDenied
    trajectory.actual_role = role
    if trajectory.archived_at is not None:
        if need.allows(Role.BEWERKER) and not allow_archived:
            raise TrajectoryArchived
        role = Role.LEZER
    trajectory.user_role = role
    if do in GIVING_ORGANISATION and not may(user, do, trajectory):
        raise PermissionDenied
    audit.note_trajectory(trajectory)
    return trajectory


def _role_without_participants(trajectory, memberships: dict[int, str]) -> Role | None:
    direct = {trajectory.owner_id, trajectory.receiving_organisation_id}
    role = max((Role(r) for org, r in memberships.items() if org in direct), key=lambda r: r.rank, default=None)
    better = [org for org, r in memberships.items() if org not in direct and (role is None or Role(r).rank > role.rank)]
    if better:
        joined = trajectory.participants.filter(pk__in=better).values_list("pk", flat=True)
        role = max(
            [Role(memberships[org]) for org in joined] + ([role] if role else []), key=lambda r: r.rank, default=None
        )
    return role


def persons_visible_to(user) -> QuerySet:
    """Persons linked to a trajectory the user sees, and those kept by organisations the user is beheerder of."""
    kept = organisations_where(user, at_least=Role.BEHEERDER)
    return Person.objects.filter(
        Q(stakeholder_roles__trajectory__in=visible_trajectories(user, archived=None)) | Q(organisation__in=kept)
    ).distinct()
