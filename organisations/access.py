"""Who is a member of which organisation, with which role; the organisation pages' scoped look-up.

Access to trajectories and reviews is built on these memberships in ``trajectories/access.py`` (this lower
app knows nothing of trajectories).
"""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from fii import cache_versions
from organisations.models import Membership, Organisation, Role, User

# The user's access version (fii/cache_versions.py): raised by every change of the user's memberships and of
# what the user's organisations take part in; memberships and the portfolio filter are cached under it.
ACCESS = "user-access"


def access_version_number(user_id: str = "pk"):
    """The access version of the user whose id is in ``user_id`` of the outer query, for ``annotate()``."""
    return cache_versions.number(ACCESS, user_id)


def with_access_version(users: QuerySet) -> QuerySet:
    """The users with their access version read in the same statement (``user.access_version``): the
    authentication backends load the request's user this way, so no page pays a statement for it. ``users`` is a
    queryset of the user table itself (the version's SQL names it)."""
    return users.annotate(access_version=cache_versions.number_of_row(ACCESS, User))


def access_version(user) -> int:
    """The version the user's cached entries are keyed on: the one read with the user, else read now (one
    statement, for a user object that did not come from :func:`with_access_version`)."""
    version = getattr(user, "access_version", None)
    if version is None:
        version = user.access_version = cache_versions.current(ACCESS, user.pk)
    return version


def memberships_of(user) -> dict[int, str]:
    """organisation id → role, cached on the user object for the request and in the shared cache.

    The shared cache is keyed on the user's access version, which every membership change raises in
    the same transaction (:func:`membership_written`), so a new or lower role counts at once.
    """
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_fii_memberships", None)
    if cached is None:
        key = f"fii:memberships:{user.pk}:{access_version(user)}"
        cached = cache.get(key)
        if cached is None:
            cached = dict(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
            cache.set(key, cached, 60 * 60)
        user._fii_memberships = cached
    return cached


def access_changed(organisation_ids) -> None:
    """The members of these organisations see other trajectories (or other names) from now on: raise their
    access version, so their cached memberships and portfolio filter choices are read again."""
    ids = {pk for pk in organisation_ids if pk is not None}
    if ids:
        members = User.objects.filter(memberships__organisation_id__in=ids).values("pk")
        cache_versions.raise_for(ACCESS, User.objects.filter(pk__in=members))


def membership_written(sender, instance, raw=False, **kwargs):
    """post_save and post_delete of a membership (connected in OrganisationsConfig.ready): a receiver rather
    than save()/delete(), because deletes by cascade call no delete() of their own."""
    if not raw:
        cache_versions.raise_for(ACCESS, User.objects.filter(pk=instance.user_id))


def organisations_where(user, *, at_least: Role) -> QuerySet[Organisation]:
    ids = [org_id for org_id, role in memberships_of(user).items() if Role(role).allows(at_least)]
    return Organisation.objects.filter(pk__in=ids)


# Managing an organisation (its members, invitations, audit log, checklist templates, imports and exports
# of its records) is for its beheerders: the one organisation-level rule, next to the trajectory policy
# (trajectories/policy.py), which builds on it for "beheerder of the giving organisation".
MANAGER = Role.BEHEERDER


def may_manage(user, organisation_id: int | None) -> bool:
    """May the user manage this organisation: is the user a beheerder of it?"""
    role = memberships_of(user).get(organisation_id) if organisation_id is not None else None
    return role is not None and Role(role).allows(MANAGER)


def get_organisation_for_user(user, pk: int, *, manage: bool = False) -> tuple[Organisation, Role]:
    """Only members see an organisation's pages (404 otherwise); ``manage=True`` (changes) needs
    :func:`may_manage` (403)."""
    role = memberships_of(user).get(pk)
    if role is None:
        raise Http404
    role = Role(role)
    if manage and not may_manage(user, pk):
        raise PermissionDenied
    try:
        return Organisation.objects.get(pk=pk), role
    except Organisation.DoesNotExist:
        raise Http404 from None
