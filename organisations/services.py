"""Membership changes. A beheerder manages the members of their own organisation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Membership, Organisation, Role, User


def _keeps_a_beheerder(membership: Membership) -> bool:
    others = Membership.objects.filter(organisation=membership.organisation, role=Role.BEHEERDER).exclude(
        pk=membership.pk
    )
    return others.exists()


@transaction.atomic
def membership_add(*, organisation: Organisation, email: str, role: str) -> Membership:
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ValidationError(
            {"email": _("There is no account with this e-mail address. Ask the application manager to create it.")}
        )
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError({"email": _("This person is already a member of the organisation.")})
    return Membership.objects.create(organisation=organisation, user=user, role=role)


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Role.BEHEERDER and role != Role.BEHEERDER and not _keeps_a_beheerder(membership):
        raise ValidationError(_("An organisation needs at least one administrator."))
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Role.BEHEERDER and not _keeps_a_beheerder(membership):
        raise ValidationError(_("An organisation needs at least one administrator."))
    membership.delete()
    # Whatever the user had open of this organisation's trajectories ends now, not at the next login.
    membership.user.end_sessions()
