"""OpenID Connect login with the municipality's own identity provider (mozilla-django-oidc).

Users are found by issuer + subject (ExternalIdentity), never by e-mail alone. The identity provider does
the multi-factor authentication, so a session logged in here is not asked for our own TOTP code.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from . import services
from .backends import session_users

logger = logging.getLogger(__name__)


def oidc_enabled() -> bool:
    return bool(settings.FII_OIDC_ENABLED)


def oidc_provider_name() -> str:
    from urllib.parse import urlsplit

    return settings.FII_OIDC_NAME or urlsplit(settings.FII_OIDC_ISSUER).hostname or settings.FII_OIDC_ISSUER


class ExternalIdentityBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        if not oidc_enabled():
            return None
        return super().authenticate(request, **kwargs)

    def get_user(self, user_id):
        """The session's user with the versions of its cached entries (backends.session_users), in one statement."""
        try:
            return session_users(self.UserModel.objects.all()).get(pk=user_id)
        except self.UserModel.DoesNotExist:
            return None

    def verify_claims(self, claims) -> bool:
        return bool(claims.get("sub"))

    def get_or_create_user(self, access_token, id_token, payload):
        issuer = settings.FII_OIDC_ISSUER
        if (payload.get("iss") or "").rstrip("/") != issuer:
            raise SuspiciousOperation("ID token from another issuer")
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims) or claims["sub"] != payload.get("sub"):
            # OpenID Connect Core 5.3.2: the userinfo subject must be the ID token's subject.
            raise SuspiciousOperation("Userinfo subject does not match the ID token")
        full_name = claims.get("name") or " ".join(
            part for part in (claims.get("given_name"), claims.get("family_name")) if part
        )
        user = services.external_identity_login(
            issuer=issuer,
            subject=str(payload["sub"]),
            email=claims.get("email", ""),
            email_verified=claims.get("email_verified") is True,
            full_name=full_name,
            link_by_email=settings.FII_OIDC_LINK_BY_EMAIL,
        )
        if user is not None and not user.is_active:
            logger.warning("OIDC login refused: user %s is deactivated", user.pk)
            return None
        return user
