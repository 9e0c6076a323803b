"""The application's URLs with OpenID Connect switched on (fii.urls adds these only when configured)."""

from django.urls import include, path

from fii.urls import urlpatterns as app_urlpatterns

urlpatterns = [path("oidc/", include("mozilla_django_oidc.urls")), *app_urlpatterns]
