"""Persons belong to the organisation that keeps them (issue 16, finding 1).

A person (``organisations.Person``) is kept by one organisation: it answers for the record (AVG) and only
its own people change the name and contact details. Another organisation meets the person through a
trajectory they both take part in, and may link the person into its own trajectories only *while* that
sharing lasts:

- a person may be linked into trajectory T when the keeping organisation takes part in T, or when there is
  a trajectory where the person appears and in which both the keeping organisation and one of T's
  organisations take part;
- when that stops being true (a participant removed, another receiving organisation chosen), every link
  that lost its ground is **turned into a separately kept copy** owned by the giving organisation of the
  trajectory that holds the link.

Why a copy and not removing the link: the register row carries the other organisation's own work (support
history, contacts, team membership, report-backs); deleting it would destroy that organisation's records
and break its trajectory's history. What that organisation learnt while the sharing lasted it already
knew; from the moment the sharing ends it keeps its own record and answers for it (its beheerders export
or erase it), while the keeping organisation's record is no longer reachable or changeable from outside.
The copy is a snapshot: later edits on either side no longer reach the other.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations.access import memberships_of
from organisations.models import Person, Role

from ..access import persons_visible_to
from ..models import Stakeholder, Trajectory
from ..visibility import visible_ids

__all__ = [
    "check_person_link",
    "linkable_persons",
    "person_may_be_edited_by",
    "person_may_be_linked",
    "persons_detach_unshared",
]

PERSON_FIELDS = ("name", "function", "employer", "email", "phone")


def person_may_be_edited_by(user, person: Person) -> bool:
    """Only a bewerker or beheerder of the keeping organisation changes a person's details."""
    role = memberships_of(user).get(person.organisation_id)
    return role is not None and Role(role).allows(Role.BEWERKER)


def _shared_with(organisation_ids: set[int]) -> Q:
    """Persons that appear in a trajectory where their keeper and one of these organisations both take part."""
    sharing = visible_ids(organisation_ids)
    keeper = OuterRef("organisation_id")
    keeper_takes_part = (
        Q(trajectory__owner_id=keeper)
        | Q(trajectory__receiving_organisation_id=keeper)
        | Q(trajectory__participants=keeper)
    )
    appears = Stakeholder.objects.filter(keeper_takes_part, person=OuterRef("pk"), trajectory__in=sharing)
    return Q(Exists(appears))


def _linkable(organisation_ids: set[int]) -> Q:
    return Q(organisation_id__in=organisation_ids) | _shared_with(organisation_ids)


def linkable_persons(*, trajectory: Trajectory, user) -> QuerySet[Person]:
    """The existing persons this user may add to the trajectory's stakeholder register."""
    organisation_ids = trajectory.organisation_ids()
    return (
        persons_visible_to(user)
        .filter(_linkable(organisation_ids), erased_at__isnull=True)
        .exclude(stakeholder_roles__trajectory=trajectory)
        .distinct()
    )


def person_may_be_linked(*, person: Person, trajectory: Trajectory) -> bool:
    return Person.objects.filter(_linkable(trajectory.organisation_ids()), pk=person.pk).exists()


def _foreign_links() -> QuerySet[Stakeholder]:
    """Register rows whose person is kept by an organisation that does not take part in the trajectory."""
    keeper_participates = Trajectory.participants.through.objects.filter(
        trajectory_id=OuterRef("trajectory_id"), organisation_id=OuterRef("person__organisation_id")
    )
    return (
        Stakeholder.objects.exclude(person__organisation_id=F("trajectory__owner_id"))
        .exclude(person__organisation_id=F("trajectory__receiving_organisation_id"))
        .exclude(Exists(keeper_participates))
        .select_related("person", "trajectory")
    )


@transaction.atomic
def persons_detach_unshared(*, at: dt.datetime | None = None) -> list[Stakeholder]:
    """Turn every link whose sharing ended into a copy kept by the linking trajectory's giving organisation.

    Called by every write that changes which organisations take part in a trajectory. Links across the
    boundary are rare, so checking all of them is cheap; one copy per person and new keeper.
    """
    now = at or timezone.now()
    copies: dict[tuple[int, int], Person] = {}
    detached = []
    for stakeholder in _foreign_links().select_for_update(of=("self",)):
        trajectory = stakeholder.trajectory
        person = stakeholder.person
        if Person.objects.filter(_shared_with(trajectory.organisation_ids()), pk=person.pk).exists():
            continue
        key = (person.pk, trajectory.owner_id)
        copy = copies.get(key)
        if copy is None:
            copy = Person.objects.create(
                organisation_id=trajectory.owner_id,
                created_at=now,
                erased_at=person.erased_at,
                **{name: getattr(person, name) for name in PERSON_FIELDS},
            )
            copies[key] = copy  # recorded in the audit log by its post_save receiver, as every create
        stakeholder.person = copy
        stakeholder.save(update_fields=["person"])
        detached.append(stakeholder)
    return detached


def check_person_link(*, person: Person, trajectory: Trajectory) -> None:
    if not person_may_be_linked(person=person, trajectory=trajectory):
        raise ValidationError(
            {
                "person": _(
                    "This person is kept by an organisation you no longer share a trajectory with; "
                    "add them as a new person."
                )
            }
        )
