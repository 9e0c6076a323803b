"""Invitations by e-mail: a beheerder invites someone into their organisation; membership needs consent.

- A new address gets a link to set their name and password; the account and the membership are made together
  when they do, never before.
- An address that already has an account gets a link to accept (after logging in as that account); until then
  nothing changes. The beheerder sees the same answer in both cases, so nobody learns which addresses have an
  account.
- The first beheerder of an organisation without members can be invited by a beheerder of the giving
  organisation of a trajectory it takes part in. Who may do that is decided in ``trajectories`` (the higher
  app, which knows trajectories); this module only refuses any such invitation into an organisation that has
  members, and records it in the audit log of the inviting organisation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .mail import absolute_reverse, mail_enqueue
from .models import INVITATION_VALID_DAYS, Invitation, Membership, Organisation, Role, User


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, _hash(token)


def invitation_for_token(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("organisation", "invited_by", "on_behalf_of")
        .filter(token_hash=_hash(token))
        .first()
    )


def _send(invitation: Invitation, token: str) -> None:
    """Queue the invitation mail (after the transaction commits); which mail depends on whether the address
    has an account now."""
    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    inviter = invitation.invited_by
    mail_enqueue(
        key=f"invitation:{invitation.pk}:{invitation.send_count}",
        to=invitation.email,
        template="invitation_existing" if has_account else "invitation_new",
        context={
            "organisation": invitation.organisation.name,
            "role": invitation.get_role_display(),
            "inviter": inviter.get_full_name() if inviter else "",
            "on_behalf_of": invitation.on_behalf_of.name if invitation.on_behalf_of else "",
            "trajectory": invitation.trajectory_title,
            "url": absolute_reverse("organisations:invitation_accept", args=[token]),
            "expires_at": invitation.expires_at,
            "valid_days": INVITATION_VALID_DAYS,
        },
    )


def _already_member(organisation: Organisation, email: str) -> bool:
    return Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists()


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    by: User,
    on_behalf_of: Organisation | None = None,
    trajectory_title: str = "",
) -> Invitation:
    """Invite an address into the organisation (a beheerder of it), or, with ``on_behalf_of``, invite the first
    beheerder of an organisation without members. Inviting an address with an open invitation renews it."""
    email = User.objects.normalize_email(email.strip()).lower()
    # Locked, so that an invitation of a first beheerder and an acceptance cannot cross each other.
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if on_behalf_of is not None:
        role = Role.BEHEERDER
        if organisation.memberships.exists():
            raise ValidationError(
                {
                    "email": _("%(organisation)s already has members: ask one of its administrators to invite people.")
                    % {"organisation": organisation.name}
                }
            )
    elif _already_member(organisation, email):
        raise ValidationError({"email": _("This person is already a member of the organisation.")})
    token, token_hash = _new_token()
    now = timezone.now()
    invitation = (
        Invitation.objects.select_for_update()
        .filter(organisation=organisation, email=email)
        .filter(accepted_at__isnull=True, declined_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if invitation is None:
        invitation = Invitation(organisation=organisation, email=email, send_count=0)
    invitation.role = role
    invitation.invited_by = by
    invitation.on_behalf_of = on_behalf_of
    invitation.trajectory_title = trajectory_title[:200]
    invitation.token_hash = token_hash
    invitation.sent_at = now
    invitation.expires_at = now + dt.timedelta(days=INVITATION_VALID_DAYS)
    invitation.send_count += 1
    invitation.save()
    if on_behalf_of is not None:
        # The giving organisation's log shows that its beheerder invited someone into another organisation.
        audit.record(
            audit.Action.PERMISSION,
            obj=invitation,
            organisation=on_behalf_of,
            detail=f"first administrator of organisation #{organisation.pk} invited",
        )
    _send(invitation, token)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: User) -> Invitation:
    """A new link (the old one stops working), valid for another seven days."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_closed:
        raise ValidationError(_("This invitation was already accepted, declined or revoked."))
    token, invitation.token_hash = _new_token()
    now = timezone.now()
    invitation.sent_at = now
    invitation.expires_at = now + dt.timedelta(days=INVITATION_VALID_DAYS)
    invitation.send_count += 1
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at", "send_count"])
    _send(invitation, token)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_closed:
        raise ValidationError(_("This invitation was already accepted, declined or revoked."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


class InvitationUnusable(ValidationError):
    """The link is expired, used, declined or revoked (the state says which)."""

    def __init__(self, state: Invitation.State):
        self.state = state
        super().__init__(str(state))


def _lock_open(invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    if invitation.state != Invitation.State.OPEN:
        raise InvitationUnusable(invitation.state)
    return invitation


def _join(invitation: Invitation, user: User) -> None:
    Organisation.objects.select_for_update().get(pk=invitation.organisation_id)
    if invitation.on_behalf_of_id and invitation.organisation.memberships.exists():
        # Somebody else became the first beheerder in the meantime: only they may invite people now.
        raise ValidationError(
            _("%(organisation)s has members by now: ask one of its administrators to invite you.")
            % {"organisation": invitation.organisation.name}
        )
    Membership.objects.get_or_create(
        organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])


@transaction.atomic
def invitation_accept_new(*, invitation: Invitation, full_name: str, password: str, language: str = "") -> User:
    """Make the account of a new address and its membership, in one go; its mail comes in the language of the
    page on which the invitation was accepted."""
    invitation = _lock_open(invitation)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(_("This address has an account by now: log in to accept the invitation."))
    user = User(email=invitation.email, full_name=full_name.strip()[:150])
    if language in dict(settings.LANGUAGES):
        user.language = language
    validate_password(password, user)
    user.set_password(password)
    user.save()
    _join(invitation, user)
    return user


@transaction.atomic
def invitation_accept_existing(*, invitation: Invitation, user: User) -> None:
    invitation = _lock_open(invitation)
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(_("This invitation is for another e-mail address."))
    _join(invitation, user)


@transaction.atomic
def invitation_decline(*, invitation: Invitation, user: User) -> None:
    invitation = _lock_open(invitation)
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(_("This invitation is for another e-mail address."))
    invitation.declined_at = timezone.now()
    invitation.save(update_fields=["declined_at"])
