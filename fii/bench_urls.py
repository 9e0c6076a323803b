"""The application's URLs plus the bare baseline view the benchmarks compare every page with.

Used only when FII_BENCH_BASELINE=1 (see settings.ROOT_URLCONF and bench/README.md), so production never
serves it. The view sits behind exactly the same middleware as every page and needs a logged-in session.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_http_methods

from fii.urls import urlpatterns as app_urlpatterns


@login_required
@require_http_methods(["GET"])
def baseline(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/baseline/", baseline, name="bench_baseline"), *app_urlpatterns]
