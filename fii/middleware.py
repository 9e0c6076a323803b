"""Sessions end after a period without activity (BIO: automatic logout), not only at a fixed age."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, HttpResponseBadRequest
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.middleware.security import SecurityMiddleware
from django.shortcuts import resolve_url
from django.utils.cache import patch_cache_control, patch_vary_headers
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


# Issue 16: hostile input never reaches a view, and every response says how it may be kept. -----------

# C0 control characters and DEL. Form values may hold tab, line feed and carriage return (textareas);
# URL paths and query strings may hold none of them.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

REFUSED_INPUT_PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Ongeldige invoer</title></head>
<body><main><h1>Ongeldige invoer</h1>
<p>Het adres of een van de ingevulde velden bevat onzichtbare stuurtekens (zoals een nulteken). Die kunnen wij
niet opslaan. Ga terug met de knop Vorige van uw browser: uw invoer staat er dan nog. Haal de tekens weg, door
de tekst opnieuw te typen of eerst in een eenvoudige teksteditor te plakken, en probeer het nog eens.</p>
</main></body></html>"""


def _has_control(values, pattern) -> bool:
    return any(pattern.search(value) for value in values if isinstance(value, str))


class RefuseControlCharactersMiddleware:
    """Refuse NUL and other control characters in the URL and in form values, in one place (400).

    A NUL byte reaching the database or a choice lookup answered 500 (issue 16, finding 7); Django's
    CharField refuses NUL, but URL parameters, choice fields and hand-made forms did not. Files in a
    multipart upload are not inspected here (their checks are the upload's own).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.GET
        refused = _CONTROL.search(request.path) or _has_control(
            [*query.keys(), *(v for key in query for v in query.getlist(key))], _CONTROL
        )
        if not refused and request.method == "POST" and _is_form(request):
            form = request.POST
            refused = _has_control([*form.keys(), *(v for key in form for v in form.getlist(key))], _CONTROL_IN_TEXT)
        if refused:
            return HttpResponseBadRequest(REFUSED_INPUT_PAGE, content_type="text/html; charset=utf-8")
        return self.get_response(request)


def _is_form(request) -> bool:
    content_type = request.META.get("CONTENT_TYPE", "")
    return content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


class HealthCheckMiddleware:
    """Answer ``/healthz`` before the host check, so a load balancer that probes by IP address gets an answer.

    Placed first, before SecurityMiddleware (no HTTPS redirect for the probe) and CommonMiddleware (which
    validates the Host header against ALLOWED_HOSTS). The view reveals nothing but "ok" or "error".
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz" and request.method in ("GET", "HEAD"):
            from fii.views import healthz

            response = healthz(request)
            # The same security headers as every other response, without the redirect and the host check.
            for middleware in (ContentSecurityPolicyMiddleware, SecurityMiddleware, PrivateResponsesMiddleware):
                response = middleware(_unused).process_response(request, response)
            return response
        return self.get_response(request)


PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "browsing-topics",
    )
)


def _unused(request):  # get_response of middleware used only for its process_response
    raise NotImplementedError


class PrivateResponsesMiddleware:
    """``Permissions-Policy`` on every response; ``Cache-Control: no-store, private`` on every response to a
    logged-in user (pages with personal data must not be kept by a browser or a proxy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.process_response(request, self.get_response(request))

    def process_response(self, request, response):
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
            patch_vary_headers(response, ["Cookie"])
        return response


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
