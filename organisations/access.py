"""Who may see and change what.

A user sees a trajectory when one of their organisations takes part in it (owner, receiving or
participating organisation), with their highest role among those organisations. Everything else
answers 404, so nobody learns that another organisation's trajectory exists. A role that is too low
for an action answers 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from organisations import audit
from organisations.models import Membership, Organisation, Role


def memberships_of(user) -> dict[int, str]:
    """organisation id → role, cached on the user object for the length of the request."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_fii_memberships", None)
    if cached is None:
        cached = dict(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
        user._fii_memberships = cached
    return cached


def organisations_where(user, *, at_least: Role) -> QuerySet[Organisation]:
    ids = [org_id for org_id, role in memberships_of(user).items() if Role(role).allows(at_least)]
    return Organisation.objects.filter(pk__in=ids)


def can_create_trajectory(user) -> bool:
    return any(Role(role).allows(Role.BEWERKER) for role in memberships_of(user).values())


def visible_trajectories(user) -> QuerySet:
    from trajectories.models import Trajectory

    org_ids = list(memberships_of(user))
    if not org_ids:
        return Trajectory.objects.none()
    participating = Trajectory.participants.through.objects.filter(organisation_id__in=org_ids).values("trajectory_id")
    return Trajectory.objects.filter(
        Q(owner_id__in=org_ids) | Q(receiving_organisation_id__in=org_ids) | Q(pk__in=participating)
    )


def get_organisation_for_user(user, pk: int, *, need: Role = Role.LEZER) -> tuple[Organisation, Role]:
    """Only members see an organisation's pages (404 otherwise); changes need a beheerder (403)."""
    role = memberships_of(user).get(pk)
    if role is None:
        raise Http404
    role = Role(role)
    if not role.allows(need):
        raise PermissionDenied
    try:
        return Organisation.objects.get(pk=pk), role
    except Organisation.DoesNotExist:
        raise Http404 from None


def get_trajectory_for_user(user, pk: int, *, need: Role = Role.LEZER):
    """The trajectory with the user's role on it; 404 when not visible, 403 when the role is too low."""
    qs = visible_trajectories(user).select_related("owner", "receiving_organisation")
    try:
        trajectory = qs.prefetch_related("participants").get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    role = trajectory.role_for(memberships_of(user))
    if role is None:
        raise Http404
    if not role.allows(need):
        raise PermissionDenied
    trajectory.user_role = role
    audit.note_trajectory(trajectory)
    return trajectory


def team_members(trajectory) -> QuerySet:
    """Active users of the organisations taking part in the trajectory, for attendees and action owners."""
    from organisations.models import User

    return (
        User.objects.filter(memberships__organisation_id__in=trajectory.organisation_ids(), is_active=True)
        .distinct()
        .order_by("full_name", "email")
    )


def persons_visible_to(user) -> QuerySet:
    """Persons linked to a trajectory the user sees, and those kept by organisations the user is beheerder of."""
    from organisations.models import Person

    kept = organisations_where(user, at_least=Role.BEHEERDER)
    return Person.objects.filter(
        Q(stakeholder_roles__trajectory__in=visible_trajectories(user)) | Q(organisation__in=kept)
    ).distinct()
