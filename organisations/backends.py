"""Password login: Django's ModelBackend, loading the session's user together with the access version.

``request.user`` is read on every page; reading the access version (``organisations/access.py``, the key of
the cached memberships) in the same statement keeps the cache from costing a statement of its own.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from . import access
from .models import User


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = access.with_access_version(User._default_manager.all()).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
