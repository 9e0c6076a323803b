"""Sessions end after a period without activity (BIO: automatic logout), not only at a fixed age."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import resolve_url
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


def idle_seconds_left(request) -> int | None:
    """Seconds until the idle logout, for the page's warning; None when nobody is logged in."""
    if not request.user.is_authenticated:
        return None
    last_seen = request.session.get(LAST_SEEN)
    if last_seen is None:
        return settings.FII_SESSION_IDLE_SECONDS
    return max(0, settings.FII_SESSION_IDLE_SECONDS - (int(time.time()) - last_seen))


SESSION_EXPIRED = "session-expired"


class HtmxSessionMiddleware:
    """An htmx request from a page whose session has ended gets 401, never the login page.

    ``login_required`` answers with a redirect to the login page, which the browser follows inside the
    XMLHttpRequest; htmx would then swap the whole login page into a table cell and the user's input would be
    gone. Here the redirect becomes a 401 that htmx does not swap (``HX-Reswap: none``); ``static/js/fii.js``
    shows a visible message and keeps what the user typed. It also tells the page, on every htmx answer, how
    long the session still has, so the idle warning appears on time.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.headers.get("HX-Request") != "true":
            return response
        if response.status_code in (301, 302, 303, 307, 308) and not request.user.is_authenticated:
            location = urlsplit(response.get("Location", "")).path
            if location == resolve_url(settings.LOGIN_URL):
                expired = HttpResponse(
                    _("Your session has ended. Log in again; what you typed has been kept."),
                    status=401,
                    content_type="text/plain; charset=utf-8",
                )
                expired["HX-Reswap"] = "none"
                expired["X-FII-Failure"] = SESSION_EXPIRED
                return expired
        left = idle_seconds_left(request)
        if left is not None:
            response["X-FII-Idle-Seconds"] = str(left)
        return response
