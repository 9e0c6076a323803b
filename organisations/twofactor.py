"""Two-factor authentication with an authenticator app (TOTP, django-otp) and single-use backup codes.

A user with a confirmed TOTP device is asked for a code after their password (organisations.account_views).
With ``FII_REQUIRE_2FA`` on, beheerders and staff without one are sent to enrolment and can use nothing
else until they have enrolled; a session logged in through OpenID Connect counts as verified, because the
identity provider does the multi-factor authentication.
"""

from __future__ import annotations

import base64
import logging
import time

import segno
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Membership, Role, User

logger = logging.getLogger(__name__)

OIDC_BACKEND_PATH = "organisations.oidc.ExternalIdentityBackend"
BACKUP_CODE_COUNT = 10
PENDING = "fii_2fa_pending"  # session key: the user who gave the right password and still owes a code
BACKUP_CODES_SHOWN = "fii_2fa_new_backup_codes"  # session key: new backup codes, shown once

# Pages a user who must still enrol may open.
ALWAYS_ALLOWED = {
    "logout",
    "login",
    "login_code",
    "account:totp_enrol",
    "accessibility",
    "security_txt",
    "healthz",
    "set_language",
}


def totp_device_of(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_two_factor(user) -> bool:
    return user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_required_for(user) -> bool:
    """Beheerders of any organisation and back-office staff must use 2FA when FII_REQUIRE_2FA is on."""
    if not settings.FII_REQUIRE_2FA or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return Membership.objects.filter(user=user, role=Role.BEHEERDER).exists()


def logged_in_through_oidc(request) -> bool:
    return request.session.get(BACKEND_SESSION_KEY) == OIDC_BACKEND_PATH


def session_is_verified(request) -> bool:
    user = request.user
    return logged_in_through_oidc(request) or (hasattr(user, "is_verified") and user.is_verified())


def unconfirmed_totp_device(user) -> TOTPDevice:
    """The device being enrolled: the same secret on every visit until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def secret_for_display(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice, *, title: str) -> SafeString:
    """The otpauth:// link as an inline SVG (no image request, no inline style: CSP stays strict)."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, title=escape(title))
    return mark_safe(svg.replace("<svg ", '<svg role="img" class="totp-qr" ', 1))  # noqa: S308 (segno output)


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    return True


@transaction.atomic
def backup_codes_generate(*, user: User) -> list[str]:
    """New single-use backup codes; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="backup", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify_code(user, code: str):
    """The device (authenticator or backup codes) that accepts the code, or None. A backup code is used up."""
    from django_otp import match_token

    code = "".join(code.split()).lower()
    if not code or not has_two_factor(user):
        return None
    return match_token(user, code)


@transaction.atomic
def two_factor_disable(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def report_failed_code(request, user, *, where: str) -> None:
    """A wrong code counts as a failed login for django-axes (lockout) and is logged."""
    logger.warning("Wrong two-factor code for user %s at %s from %s", user.pk, where, request.META.get("REMOTE_ADDR"))
    user_login_failed.send(sender=__name__, credentials={"username": user.email}, request=request)


def start_pending_login(request, user, *, next_url: str) -> None:
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "at": int(time.time()),
        "next": next_url,
    }


def pending_login(request) -> dict | None:
    pending = request.session.get(PENDING)
    if not pending:
        return None
    if int(time.time()) - pending.get("at", 0) > settings.FII_2FA_PENDING_SECONDS:
        del request.session[PENDING]
        return None
    return pending


class RequireTwoFactorMiddleware:
    """With FII_REQUIRE_2FA on, a beheerder or staff member without a verified second factor gets nowhere.

    Without a device they are sent to enrolment; with a device but an unverified session (for instance a
    session from before the requirement) they are asked for a code.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.FII_REQUIRE_2FA
            and user.is_authenticated
            and not session_is_verified(request)
            and two_factor_required_for(user)
            and not self._always_allowed(request)
        ):
            return redirect("login_code" if has_two_factor(user) else "account:totp_enrol")
        return self.get_response(request)

    @staticmethod
    def _always_allowed(request) -> bool:
        if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in ALWAYS_ALLOWED
