"""Who takes part in a trajectory is the giving organisation's decision (issue 16, finding 2).

Only beheerders of the giving organisation add or remove participating organisations (the view checks
``policy.may(user, Do.MANAGE_PARTICIPANTS, trajectory)``); the receiving organisation is chosen in 2b
(``candidate_choose``). An organisation that is added is told: its beheerders get a notice, because its
members now see the trajectory with their own role.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from organisations.models import Notice, Organisation
from organisations.services import notice_send

from ..models import Trajectory
from .sharing import persons_detach_unshared

__all__ = [
    "ORGANISATION_SEARCH_MIN",
    "notice_organisation_added",
    "organisation_search",
    "trajectory_participant_add",
    "trajectory_participant_remove",
]

ORGANISATION_SEARCH_MIN = 3
ORGANISATION_SEARCH_LIMIT = 10


def organisation_search(*, trajectory: Trajectory, query: str) -> QuerySet[Organisation]:
    """Organisations whose name contains the query (at least three characters), not yet taking part.

    The picker never lists every organisation of the installation: only what matches a name typed.
    """
    query = query.strip()
    if len(query) < ORGANISATION_SEARCH_MIN:
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(name__icontains=query)
        .exclude(pk__in=trajectory.organisation_ids())
        .order_by("name")[:ORGANISATION_SEARCH_LIMIT]
    )


def notice_organisation_added(*, trajectory: Trajectory, organisation: Organisation, kind: str) -> None:
    with translation.override("nl"):
        link = reverse("trajectories:detail", args=[trajectory.pk])
    notice_send(
        organisation=organisation,
        kind=kind,
        subject=trajectory.title,
        by_organisation=trajectory.owner.name,
        link=link,
    )


@transaction.atomic
def trajectory_participant_add(*, trajectory: Trajectory, by, organisation: Organisation) -> None:
    trajectory = Trajectory.objects.select_for_update().select_related("owner").get(pk=trajectory.pk)
    if organisation.pk in trajectory.organisation_ids():
        raise ValidationError({"organisation": _("This organisation already takes part in the trajectory.")})
    trajectory.participants.add(organisation)
    notice_organisation_added(trajectory=trajectory, organisation=organisation, kind=Notice.Kind.PARTICIPANT_ADDED)


@transaction.atomic
def trajectory_participant_remove(*, trajectory: Trajectory, by, organisation: Organisation) -> None:
    """End an organisation's participation; persons it linked from this sharing become its own copies."""
    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    trajectory.participants.remove(organisation)
    persons_detach_unshared()
