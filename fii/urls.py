from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from fii import views
from organisations import account_views, passwords

admin.site.site_header = _("FII trajectories – back office")
admin.site.site_title = _("FII trajectories")
admin.site.index_title = _("Back office")

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    # Django's language switch, which also stores a logged-in user's choice for their mail.
    path("i18n/setlang/", account_views.set_language, name="set_language"),
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
    path("wachtwoord-vergeten/", passwords.PasswordResetView.as_view(), name="password_reset"),
    path(
        "wachtwoord-vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/password_reset_done.html",
            extra_context={"minutes": settings.PASSWORD_RESET_TIMEOUT // 60},
        ),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        passwords.PasswordResetConfirmView.as_view(template_name="registration/password_reset_confirm.html"),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-herstellen/klaar/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

# OpenID Connect (off unless FII_OIDC_ISSUER is set): outside the language prefix, so the callback URL
# registered at the identity provider is the same for every language.
if settings.FII_OIDC_ENABLED:
    urlpatterns.insert(0, path("oidc/", include("mozilla_django_oidc.urls")))
