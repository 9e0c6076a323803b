import datetime as dt
import time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from fii.middleware import LAST_SEEN, SESSION_EXPIRED
from fii.model import PHASES, SOURCE_CITATION

CSRF_FAILED = "csrf"


@never_cache
@require_http_methods(["GET", "HEAD"])
def healthz(request):
    """200 when the database answers, 503 when it does not. No authentication, no details."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 — any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
@require_http_methods(["GET"])
def model_overview(request):
    return render(request, "fii/model.html", {"phases": PHASES, "citation": SOURCE_CITATION})


# The compliance statuses of the Dutch model statement (digitoegankelijk.nl, "De status"): whether a complete
# WCAG-EM audit younger than three years exists, and what it found. E means there is no statement at all.
ACCESSIBILITY_STATUSES = {
    "A": _("A complete audit (WCAG-EM, less than three years old) found that the application meets all requirements."),
    "B": _(
        "A complete audit (WCAG-EM, less than three years old) found that the application does not yet meet all "
        "requirements. The deviations and what is being done about them are listed below."
    ),
    "C": _("No complete audit has been done yet. An audit is planned within six months of this statement."),
    "D": _("No complete audit has been done yet, and none is planned."),
}


@require_http_methods(["GET", "HEAD"])
def accessibility(request):
    """The accessibility statement (toegankelijkheidsverklaring) in the Dutch model form; public, as the law
    requires. Who is responsible, what it covers, its status and date come from settings (FII_ACCESSIBILITY_*)."""
    status = settings.FII_ACCESSIBILITY_STATUS
    return render(
        request,
        "fii/accessibility.html",
        {
            "contact": settings.FII_ACCESSIBILITY_CONTACT,
            "organisation": settings.FII_ACCESSIBILITY_ORGANISATION,
            "scope": settings.FII_ACCESSIBILITY_SCOPE or request.build_absolute_uri("/"),
            "status": status,
            "status_meaning": ACCESSIBILITY_STATUSES[status],
            "statement_date": settings.FII_ACCESSIBILITY_DATE,
            "audit_url": settings.FII_ACCESSIBILITY_AUDIT_URL,
        },
    )


@require_http_methods(["GET", "HEAD"])
def security_txt(request):
    """RFC 9116: where to report a vulnerability. Expires a year ahead, so it never goes stale."""
    expires = (timezone.now() + dt.timedelta(days=365)).replace(microsecond=0)
    lines = [
        f"Contact: {settings.FII_SECURITY_CONTACT}",
        f"Expires: {expires.astimezone(dt.UTC).isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: nl, en",
        f"Canonical: {request.build_absolute_uri(reverse('security_txt'))}",
        f"Policy: {settings.FII_SECURITY_POLICY_URL}",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@never_cache
@require_http_methods(["POST"])
def session_keepalive(request):
    """ "Blijf ingelogd": restart the idle clock. 401 when the session has already ended (the page says so)."""
    if not request.user.is_authenticated:
        return JsonResponse({"status": "expired"}, status=401, headers={"X-FII-Failure": SESSION_EXPIRED})
    request.session[LAST_SEEN] = int(time.time())
    return JsonResponse({"status": "ok", "idle_seconds_left": settings.FII_SESSION_IDLE_SECONDS})


def csrf_failure(request, reason: str = ""):
    """A failed CSRF check (usually a page left open past a new login, or a lost cookie).

    htmx gets a short 403 that it does not swap; static/js/fii.js shows a visible message and keeps the
    user's input. A full page gets the explanation and a way back to the page.
    """
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(
            _("This page has expired. Reload it; what you typed has been kept."),
            status=403,
            content_type="text/plain; charset=utf-8",
        )
        response["HX-Reswap"] = "none"
        response["X-FII-Failure"] = CSRF_FAILED
        return response
    back = request.META.get("HTTP_REFERER") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    return render(request, "403_csrf.html", {"back": back}, status=403)
