from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


class FiiAdminSite(AdminSite):
    """Staff log in through the application's own login (password, then the TOTP code); with
    FII_REQUIRE_2FA on, the back office also refuses a session that has not been verified."""

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        if settings.FII_REQUIRE_2FA:
            from organisations.twofactor import session_is_verified

            return session_is_verified(request)
        return True

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            raise PermissionDenied  # logged in, but not staff (or not verified): no second login form here
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect(f"{reverse('login')}?{urlencode({'next': next_url})}")


class FiiAdminConfig(AdminConfig):
    """django.contrib.admin with FiiAdminSite as the default site."""

    default = False
    default_site = "fii.admin_site.FiiAdminSite"
