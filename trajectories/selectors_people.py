"""The one list of people of a trajectory (issue 18): who may own an action or a task and who can attend a review.

It holds the accounts of the organisations taking part that may edit (bewerker or beheerder: they can tick an action
off; a lezer cannot, so is never offered), and the persons of the trajectory's own register who do the work: the
active implementation team (5a) and the key figures (4a). Those have no account and get no e-mail; the list says so.
A person of another trajectory, or kept by an organisation that does not take part, is never in it.

Every owner and attendee picker reads this list, in two queries however long it is. A choice is a key: ``u<user
pk>`` for an account, ``p<stakeholder pk>`` for a person without one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, CharField, F, Q, Value, When
from django.utils.translation import gettext as _

from organisations.models import Role, User

from .models import KEY_FIGURE_INFLUENCE, Review, Stakeholder, TeamMember, Trajectory

ACCOUNT, PERSON = "u", "p"


@dataclass(frozen=True)
class PersonOption:
    """One person of the trajectory: an account (``user``) or a person without one (``stakeholder``)."""

    key: str
    name: str
    user: User | None = None
    stakeholder: Stakeholder | None = None

    @property
    def has_account(self) -> bool:
        return self.user is not None

    @property
    def label(self) -> str:
        """The name as pickers show it; a person without an account is marked, so nobody expects a mail."""
        if self.has_account:
            return self.name
        return _("%(name)s (no account, gets no e-mail)") % {"name": self.name}


def account_key(user_id: int) -> str:
    return f"{ACCOUNT}{user_id}"


def person_key(stakeholder_id: int) -> str:
    return f"{PERSON}{stakeholder_id}"


def trajectory_people(
    trajectory: Trajectory, *, keep_users: Iterable[int] = (), keep_stakeholders: Iterable[int] = ()
) -> list[PersonOption]:
    """Accounts first, then persons without an account, each by name.

    ``keep_users`` and ``keep_stakeholders`` keep someone already chosen (an older action's owner, last fortnight's
    attendee who has since become a lezer or left the team), so editing never drops them silently. A kept
    stakeholder must still belong to this trajectory.
    """
    keep_users, keep_stakeholders = set(keep_users) - {None}, set(keep_stakeholders) - {None}
    can_edit = Q(
        memberships__organisation_id__in=trajectory.organisation_ids(),
        memberships__role__in=[Role.BEWERKER, Role.BEHEERDER],
        is_active=True,
    )
    if keep_users:
        can_edit |= Q(pk__in=keep_users)
    users = User.objects.filter(can_edit).distinct().order_by("full_name", "email")
    team = TeamMember.objects.filter(trajectory=trajectory, left_on__isnull=True).values("stakeholder_id")
    doing_the_work = Q(influence__gte=KEY_FIGURE_INFLUENCE) | Q(pk__in=team)
    doing_the_work &= Q(person__erased_at__isnull=True)
    if keep_stakeholders:
        doing_the_work |= Q(pk__in=keep_stakeholders)
    persons = (
        Stakeholder.objects.filter(doing_the_work, trajectory=trajectory)
        .select_related("person")
        .order_by("person__name", "pk")
    )
    return [PersonOption(account_key(u.pk), u.get_full_name(), user=u) for u in users] + [
        PersonOption(person_key(s.pk), str(s.person), stakeholder=s) for s in persons
    ]


def split_keys(people: list[PersonOption], keys: Iterable[str]) -> tuple[list[User], list[Stakeholder]]:
    """The accounts and the persons behind chosen keys (keys outside the list are ignored; forms refuse them)."""
    by_key = {option.key: option for option in people}
    chosen = [by_key[key] for key in keys if key in by_key]
    return (
        [o.user for o in chosen if o.user is not None],
        [o.stakeholder for o in chosen if o.stakeholder is not None],
    )


def attendees_of(review: Review) -> list[str]:
    """Everybody at the meeting, by name: accounts, persons without an account, then the guests typed in.

    One query for both kinds of attendee, so showing them costs the review page no more than the accounts did."""
    name = Case(When(full_name="", then=F("email")), default=F("full_name"), output_field=CharField())
    accounts = review.attendees.order_by().annotate(kind=Value(0), shown=name).values_list("kind", "shown")
    erased = Value(str(_("deleted person")))
    person = Case(
        When(person__erased_at__isnull=False, then=erased), default=F("person__name"), output_field=CharField()
    )
    persons = review.stakeholders_present.order_by().annotate(kind=Value(1), shown=person).values_list("kind", "shown")
    names = [shown for _kind, shown in accounts.union(persons, all=True).order_by("kind", "shown")]
    return names + [line.strip() for line in review.other_attendees.splitlines() if line.strip()]
