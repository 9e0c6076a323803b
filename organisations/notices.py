"""The version of an organisation's notices (scope :data:`NOTICES` in ``fii.CacheVersion``), so the portfolio
keeps its notices part in the cache (issue 21).

A beheerder's portfolio shows the recent notices of the organisations the user manages
(``services.notices_for``). Read on every request, they cost a statement of their own; kept as a rendered part,
they cost none, provided the part's key changes whenever what it shows may change:

- a new notice: ``services.notice_send`` (the one writer of notices) raises its organisation's version in the
  same transaction;
- the organisation's name, which every notice shows: :func:`organisation_written` (post_save of an organisation,
  connected in ``OrganisationsConfig.ready``; a name is changed in the admin, which calls no service);
- a notice leaving the 30-day window: the window is whole days (``services.notices_for``) and the key holds the
  date;
- the organisations the user manages: the key names them (from the memberships, cached under the access version).

A notice is deleted only with its organisation (cascade), and then the user is no longer its beheerder.

The versions are read with the session's user (:func:`with_notice_version`, used by the authentication
backends), as the access version is: one sum over the user's beheerder memberships, in the statement every
request runs anyway, so a cached portfolio runs no statement for its notices.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from django.db import connection
from django.db.models import QuerySet

from fii import cache_versions

from .models import Membership, Organisation, Role, User

NOTICES = "organisation-notices"


def notices_changed(organisation_ids: Iterable[int]) -> None:
    """What these organisations' beheerders are told changed: raise the version of their notices."""
    cache_versions.raise_for(NOTICES, Organisation.objects.filter(pk__in=list(organisation_ids)))


def with_notice_version(users: QuerySet) -> QuerySet:
    """The users with ``notice_version``: the sum of the notice versions of the organisations they manage, read in
    the same statement (a subquery over the user's beheerder memberships; the unique index on the membership's
    user and organisation and the one on the cache's (scope, object_id) serve it). ``users`` is a queryset of
    the user table itself (the subquery names it), as the authentication backends read it."""
    return users.annotate(notice_version=cache_versions.total(NOTICES, *_managed_ids_sql()))


@functools.cache
def _managed_ids_sql() -> tuple[str, tuple]:
    """The ids of the organisations the outer query's user manages, as SQL (see ``cache_versions.total``)."""
    quote = connection.ops.quote_name
    user, membership = User._meta, Membership._meta
    # The roles that manage, by the rule services.managed_organisation_ids applies (today only beheerder).
    managing = tuple(str(role) for role in Role if role.allows(Role.BEHEERDER))
    sql = (
        f"SELECT {quote('organisation_id')} FROM {quote(membership.db_table)} "
        f"WHERE {quote('user_id')} = {quote(user.db_table)}.{quote(user.pk.column)} "
        f"AND {quote('role')} IN ({', '.join(['%s'] * len(managing))})"
    )
    return sql, managing


def notice_version(user) -> int:
    """The version the user's notices part is keyed on: the one read with the user, else read now (one statement,
    for a user object that did not come from :func:`with_notice_version`)."""
    version = getattr(user, "notice_version", None)
    if version is None:
        version = user.notice_version = (
            with_notice_version(type(user)._default_manager.filter(pk=user.pk))
            .values_list("notice_version", flat=True)
            .get()
        )
    return version


def organisation_written(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    """post_save of an organisation: its notices show its name. A new organisation has no notices yet, and a save
    of other named fields (the settings form) changes nothing they show."""
    if raw or created or (update_fields is not None and "name" not in update_fields):
        return
    notices_changed([instance.pk])
