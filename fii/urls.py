from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from fii import views
from organisations import account_views

admin.site.site_header = _("FII trajectories – back office")
admin.site.site_title = _("FII trajectories")
admin.site.index_title = _("Back office")

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sessie/verlengen", views.session_keepalive, name="session_keepalive"),
]

urlpatterns += i18n_patterns(
    path("", include("trajectories.urls")),
    path("", include("organisations.urls")),
    path("", include("organisations.account_urls")),
    path("model/", views.model_overview, name="fii_model"),
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
    path(
        "inloggen/",
        account_views.FiiLoginView.as_view(),
        name="login",
    ),
    path("inloggen/code/", account_views.login_code, name="login_code"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

# OpenID Connect (off unless FII_OIDC_ISSUER is set): outside the language prefix, so the callback URL
# registered at the identity provider is the same for every language.
if settings.FII_OIDC_ENABLED:
    urlpatterns.insert(0, path("oidc/", include("mozilla_django_oidc.urls")))
