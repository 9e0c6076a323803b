"""The unread count in the header of every page."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject


def notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .services.notifications import unread_count

    # A counter on the user row: no query. Lazy, so a request that never shows it does not load the user for it.
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
