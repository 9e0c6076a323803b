"""Password login: Django's ModelBackend, loading the session's user together with the access version.

``request.user`` is read on every page; reading the access version (``organisations/access.py``, the key of
the cached memberships) and the notice version (``organisations/notices.py``, the key of a beheerder's cached
notices) in the same statement keeps the cache from costing a statement of its own.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import QuerySet

from . import access, notices
from .models import User


def session_users(users: QuerySet) -> QuerySet:
    """The users as a request reads its own: with the versions of their cached entries (every backend's get_user)."""
    return notices.with_notice_version(access.with_access_version(users))


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = session_users(User._default_manager.all()).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
