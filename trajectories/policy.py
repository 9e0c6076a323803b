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

The scoped look-ups take the action (``get_trajectory_for_user(user, pk, do=Do.EDIT)``): 404 outside the
user's organisations, 403 when this module refuses. "Beheerder of the giving organisation" is
``organisations.access.may_manage`` of the trajectory's owner, the same rule as managing an organisation.

Views, services and templates (``{% may "archive" trajectory as can_archive %}``) ask this module; the
permission matrix (tests/test_permissions.py) and tests/trajectories/test_policy.py test it.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import QuerySet

from organisations.access import may_manage, memberships_of, organisations_where
from organisations.models import Organisation, Role

from .models import Trajectory

__all__ = ["Do", "may", "may_create_trajectory", "needed_role", "new_trajectory_owners", "view_or_edit"]


class Do(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    REOPEN_REVIEW = "reopen_review"
    ARCHIVE = "archive"
    EXPORT = "export"
    MANAGE_PARTICIPANTS = "manage_participants"


# The role an action needs on the trajectory (``trajectory.user_role``).
NEEDS = {Do.VIEW: Role.LEZER, Do.EDIT: Role.BEWERKER, Do.REOPEN_REVIEW: Role.BEHEERDER}
# Actions for whoever may manage the giving organisation itself (``organisations.access.may_manage``),
# whatever the role through another one. They also need a beheerder's role on the trajectory.
GIVING_ORGANISATION = frozenset({Do.ARCHIVE, Do.EXPORT, Do.MANAGE_PARTICIPANTS})


# A new trajectory is owned by an organisation where the user is at least a bewerker.
CREATOR = Role.BEWERKER


def new_trajectory_owners(user) -> QuerySet[Organisation]:
    """The organisations that may own a trajectory the user creates."""
    return organisations_where(user, at_least=CREATOR)


def may_create_trajectory(user) -> bool:
    return any(Role(role).allows(CREATOR) for role in memberships_of(user).values())


def needed_role(action: Do | str) -> Role:
    """The least role on the trajectory an action needs; the scoped look-ups (access.py) answer 403 below it."""
    action = Do(action)
    return Role.BEHEERDER if action in GIVING_ORGANISATION else NEEDS[action]


def view_or_edit(request) -> Do:
    """The action of a page that shows on GET and changes on POST."""
    return Do.EDIT if request.method == "POST" else Do.VIEW


def may(user, action: Do | str, trajectory: Trajectory) -> bool:
    action = Do(action)
    if action in GIVING_ORGANISATION:
        return may_manage(user, trajectory.owner_id)
    role = getattr(trajectory, "user_role", None)
    if role is None:
        role = trajectory.role_for(memberships_of(user))
        if role is not None and trajectory.archived_at is not None:
            role = Role.LEZER
    return role is not None and Role(role).allows(NEEDS[action])
