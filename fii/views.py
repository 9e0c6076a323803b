from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from fii.model import PHASES, SOURCE_CITATION


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
