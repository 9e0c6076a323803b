"""Membership changes (a beheerder manages the members of their own organisation) and external identities."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fii.lib.conflicts import StaleEdit

from .access import memberships_of
from .models import ExternalIdentity, Membership, Notice, Organisation, Role, User
from .notices import notices_changed

logger = logging.getLogger(__name__)


def _keeps_a_beheerder(membership: Membership) -> bool:
    others = Membership.objects.filter(organisation=membership.organisation, role=Role.BEHEERDER).exclude(
        pk=membership.pk
    )
    return others.exists()


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


@transaction.atomic
def external_identity_login(
    *, issuer: str, subject: str, email: str, email_verified: bool, full_name: str, link_by_email: bool
) -> User | None:
    """The user behind an OpenID Connect login, found by issuer + subject; None when the login must fail.

    A first login links to an existing account only when ``link_by_email`` allows it and the identity
    provider verified the e-mail address; otherwise it creates a new account without any membership (and
    without a password), which sees nothing until a beheerder adds it to an organisation. An address that
    already belongs to another account is never taken over.
    """
    identity = ExternalIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    if identity is not None:
        identity.last_login_at = timezone.now()
        identity.save(update_fields=["last_login_at"])
        return identity.user
    email = (email or "").strip().lower()
    if not email:
        logger.warning("OIDC login refused: issuer %s gave subject %s no e-mail address", issuer, subject)
        return None
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if not (link_by_email and email_verified):
            logger.warning(
                "OIDC login refused: %s already has a local account and linking by e-mail is off or unverified",
                email,
            )
            return None
        user = existing
        logger.info("OIDC identity %s/%s linked to existing user %s by verified e-mail", issuer, subject, user.pk)
    else:
        user = User.objects.create_user(email=email, full_name=full_name[:150])
        user.set_unusable_password()
        user.save(update_fields=["password"])
        logger.info("OIDC identity %s/%s created user %s without memberships", issuer, subject, user.pk)
    ExternalIdentity.objects.create(user=user, issuer=issuer, subject=subject, last_login_at=timezone.now())
    return user


@transaction.atomic
def notice_send(*, organisation: Organisation, kind: str, subject: str, by_organisation: str, link: str = "") -> Notice:
    """Tell an organisation's beheerders something in the application (see :class:`Notice`); the version of its
    notices rises with it, so a portfolio that keeps them in the cache shows it at once (``notices.py``)."""
    notice = Notice.objects.create(
        organisation=organisation,
        kind=kind,
        subject=subject[:200],
        by_organisation=by_organisation[:200],
        link=link[:500],
    )
    notices_changed([organisation.pk])
    return notice


NOTICE_DAYS = 30


def managed_organisation_ids(user) -> list[int]:
    """The organisations where the user is beheerder, in id order (from the cached memberships)."""
    return sorted(org for org, role in memberships_of(user).items() if Role(role).allows(Role.BEHEERDER))


def notices_for(user, *, limit: int = 5):
    """The recent notices of the organisations where the user is beheerder (the portfolio shows them).

    Recent is whole days: since the start of the day ``NOTICE_DAYS`` days ago (local time), not to the second,
    so the list stays the same all day long and the portfolio may keep it in the cache under the date (a notice
    is shown up to a day longer than 30 × 24 hours)."""
    ids = managed_organisation_ids(user)
    if not ids:
        return Notice.objects.none()
    first_day = timezone.localdate() - dt.timedelta(days=NOTICE_DAYS)
    since = timezone.make_aware(dt.datetime.combine(first_day, dt.time.min))
    return Notice.objects.filter(organisation_id__in=ids, created_at__gte=since).select_related("organisation")[:limit]


# The settings a beheerder edits on a page of their own (organisations/views.py, ``_setting_edit``).
# retention_months: how long personal data of closed trajectories is kept (trajectories/retention.py).
# fidelity_threshold: the team's fidelity threshold that new trajectories start with (issue 22); a trajectory that
# set its own threshold keeps it.
ORGANISATION_SETTINGS = frozenset({"retention_months", "fidelity_threshold"})


@transaction.atomic
def organisation_setting_set(
    *, organisation: Organisation, field: str, value: int | None, expected_version: int, by: User
) -> Organisation:
    """Set one of the organisation's :data:`ORGANISATION_SETTINGS`, unless a colleague saved the organisation's
    settings since the form was opened (:class:`StaleEdit`, naming the field).

    A locked ``save()``, not ``save_versioned``: the organisation's history (which names ``by``, also outside a
    request) and the audit log hear of the save through their signals."""
    if field not in ORGANISATION_SETTINGS:
        raise ValueError(f"{field!r} is not a setting of an organisation")
    current = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if current.version != expected_version:
        raise StaleEdit(current, [field])
    setattr(current, field, value)
    current.version += 1
    current._history_user = by  # type: ignore[attr-defined]
    current.save(update_fields=[field, "version"])
    return current
