from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from fii import views

admin.site.site_header = _("FII trajectories – back office")
admin.site.site_title = _("FII trajectories")
admin.site.index_title = _("Back office")

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("", include("trajectories.urls")),
    path("", include("organisations.urls")),
    path("model/", views.model_overview, name="fii_model"),
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
    path(
        "inloggen/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
