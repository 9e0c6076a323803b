"""Access for the organisations taking part in a trajectory: inviting the first beheerder of one without members.

The organisations app does the inviting (organisations/invitations.py); whether this user may invite the first
beheerder of this organisation depends on the trajectory, so that rule lives here, in the higher app.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count

from organisations.invitations import invitation_create
from organisations.models import Invitation, Organisation, User

from ..models import Trajectory
from .archive import can_archive

__all__ = ["first_beheerder_invite", "may_invite_first_beheerder", "taking_part"]


def taking_part(trajectory: Trajectory):
    """The receiving and participating organisations (not the giving one), with their number of members."""
    ids = set(trajectory.participants.values_list("pk", flat=True))
    if trajectory.receiving_organisation_id:
        ids.add(trajectory.receiving_organisation_id)
    ids.discard(trajectory.owner_id)
    return Organisation.objects.filter(pk__in=ids).annotate(member_count=Count("memberships")).order_by("name")


def may_invite_first_beheerder(user, trajectory: Trajectory, organisation: Organisation) -> bool:
    """A beheerder of the giving organisation, for a receiving or participating organisation without members,
    of a trajectory that is not archived."""
    return (
        can_archive(user, trajectory)
        and trajectory.archived_at is None
        and taking_part(trajectory).filter(pk=organisation.pk).exists()
        and not organisation.memberships.exists()
    )


def first_beheerder_invite(*, trajectory: Trajectory, organisation: Organisation, email: str, by: User) -> Invitation:
    if not can_archive(by, trajectory) or trajectory.archived_at is not None:
        raise PermissionDenied
    if not taking_part(trajectory).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    # invitation_create refuses an organisation that has members, under a lock on the organisation.
    return invitation_create(
        organisation=organisation,
        email=email,
        role="beheerder",
        by=by,
        on_behalf_of=trajectory.owner,
        trajectory_title=trajectory.title,
    )
