"""Who may do what to a trajectory, answered in one place: ``may(user, action, trajectory)``.

Seeing a trajectory at all is decided by the scoped look-ups in ``access.py`` (404 outside the user's
organisations); they also set ``trajectory.user_role``, the user's highest role among the organisations that
take part (a reader's role while the trajectory is archived). The rules here build on that:

- *view*: anybody who takes part;
- *edit*: a bewerker or beheerder (no one while the trajectory is archived);
- *reopen a review*: a beheerder of any organisation that takes part;
- *archive* (and restore), *export* the whole trajectory as a file and *manage participants* (which
  organisations take part, and choosing the receiving one in 2b): only a beheerder of the giving
  organisation, because the trajectory is that organisation's record.

Views, services and templates (``{% may "archive" trajectory as can_archive %}``) ask this module; the
permission matrix (tests/test_permissions.py) and tests/trajectories/test_policy.py test it.
"""

from __future__ import annotations

from enum import StrEnum

from organisations.access import memberships_of
from organisations.models import Role

from .models import Trajectory

__all__ = ["Do", "may"]


class Do(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    REOPEN_REVIEW = "reopen_review"
    ARCHIVE = "archive"
    EXPORT = "export"
    MANAGE_PARTICIPANTS = "manage_participants"


# The role an action needs on the trajectory (``trajectory.user_role``).
NEEDS = {Do.VIEW: Role.LEZER, Do.EDIT: Role.BEWERKER, Do.REOPEN_REVIEW: Role.BEHEERDER}
# Actions that need that role in the giving organisation itself, whatever the role through another one.
GIVING_ORGANISATION = {Do.ARCHIVE: Role.BEHEERDER, Do.EXPORT: Role.BEHEERDER, Do.MANAGE_PARTICIPANTS: Role.BEHEERDER}


def may(user, action: Do | str, trajectory: Trajectory) -> bool:
    action = Do(action)
    if action in GIVING_ORGANISATION:
        role = memberships_of(user).get(trajectory.owner_id)
        return role is not None and Role(role).allows(GIVING_ORGANISATION[action])
    role = getattr(trajectory, "user_role", None)
    if role is None:
        role = trajectory.role_for(memberships_of(user))
        if role is not None and trajectory.archived_at is not None:
            role = Role.LEZER
    return role is not None and Role(role).allows(NEEDS[action])
