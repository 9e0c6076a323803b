"""Sessions end after a period without activity (BIO: automatic logout), not only at a fixed age."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

LAST_SEEN = "fii_last_seen"
TOUCH_EVERY = 60  # seconds: refresh the timestamp at most once a minute, so most requests write nothing


class IdleTimeoutMiddleware:
    """Log the user out when more than ``FII_SESSION_IDLE_SECONDS`` passed since their last request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            if last_seen is not None and now - last_seen > settings.FII_SESSION_IDLE_SECONDS:
                logout(request)
                minutes = settings.FII_SESSION_IDLE_SECONDS // 60
                messages.info(
                    request, _("You were logged out after %(minutes)s minutes without activity.") % {"minutes": minutes}
                )
            elif last_seen is None or now - last_seen >= TOUCH_EVERY:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


def start_idle_clock(sender, request, user, **kwargs) -> None:
    """At login the clock starts, so the first request after it needs no session write."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = int(time.time())
