"""OpenID Connect login against a fake identity provider: the token and userinfo exchange is mocked."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.management import call_command
from django.test import override_settings
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

import fii.urls  # noqa: F401  (imported with OIDC off, as configured, before any test switches it on)
from organisations.models import ExternalIdentity, Membership, User
from organisations.oidc import ExternalIdentityBackend

ISSUER = "https://login.testdam.nl/realms/gemeente"
BACKEND = "organisations.oidc.ExternalIdentityBackend"


@pytest.fixture
def oidc_on(settings, db):
    settings.FII_OIDC_ISSUER = ISSUER
    settings.FII_OIDC_ENABLED = True
    settings.FII_OIDC_NAME = "Gemeente Testdam"
    settings.OIDC_RP_CLIENT_ID = "fii"
    settings.OIDC_RP_CLIENT_SECRET = "geheim"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{ISSUER}/protocol/openid-connect/auth"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{ISSUER}/protocol/openid-connect/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{ISSUER}/protocol/openid-connect/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{ISSUER}/protocol/openid-connect/certs"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, BACKEND]
    settings.ROOT_URLCONF = "tests.organisations.urls_oidc"
    return settings


class FakeIdP:
    """Answers the backend's token, ID-token and userinfo calls as an identity provider would."""

    def __init__(self, monkeypatch):
        self.issuer = ISSUER
        self.claims = {}
        self.token_requests = []
        # Plain functions, so that they become the backend's methods.
        monkeypatch.setattr(ExternalIdentityBackend, "get_token", lambda backend, payload: self.get_token(payload))
        monkeypatch.setattr(
            ExternalIdentityBackend, "verify_token", lambda backend, token, **kwargs: self.verify_token(**kwargs)
        )
        monkeypatch.setattr(ExternalIdentityBackend, "get_userinfo", lambda backend, *args: dict(self.claims))

    def get_token(self, payload):
        self.token_requests.append(payload)
        return {"id_token": "id-token", "access_token": "access-token"}

    def verify_token(self, nonce=None):
        return {"iss": self.issuer, "sub": self.claims["sub"], "nonce": nonce}

    def log_in(self, client, **claims):
        """The browser's round trip: our redirect to the IdP, and the IdP's redirect back with a code."""
        self.claims = {"email_verified": True, **claims}
        start = client.get(reverse("oidc_authentication_init"))
        assert start.status_code == 302
        assert start["Location"].startswith(f"{ISSUER}/protocol/openid-connect/auth")
        state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
        return client.get(reverse("oidc_authentication_callback"), {"code": "auth-code", "state": state})


@pytest.fixture
def idp(oidc_on, monkeypatch):
    return FakeIdP(monkeypatch)


def logged_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_first_oidc_login_creates_a_user_without_any_organisation(client, idp, trajectory):
    response = idp.log_in(client, sub="sub-1", email="Nieuw@Testdam.nl", name="Nora Nieuw")
    assert response.status_code == 302
    assert response["Location"] == reverse("trajectories:my_week")
    user = logged_in_user(client)
    assert user.email == "nieuw@testdam.nl"
    assert user.full_name == "Nora Nieuw"
    assert not user.has_usable_password()
    assert not Membership.objects.filter(user=user).exists()
    identity = ExternalIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (ISSUER, "sub-1")
    assert client.session[BACKEND_SESSION_KEY] == BACKEND
    # No organisation access until a beheerder adds them.
    assert client.get(trajectory.get_absolute_url()).status_code == 404
    assert idp.token_requests[0]["code"] == "auth-code"


def test_next_oidc_login_finds_the_user_by_issuer_and_subject_not_by_email(client, idp):
    idp.log_in(client, sub="sub-1", email="nieuw@testdam.nl")
    first = logged_in_user(client)
    client.post(reverse("logout"))
    idp.log_in(client, sub="sub-1", email="andere-naam@testdam.nl")
    assert logged_in_user(client) == first
    assert User.objects.count() == 1


def test_same_subject_from_another_issuer_is_another_user(client, idp, oidc_on):
    idp.log_in(client, sub="sub-1", email="een@testdam.nl")
    first = logged_in_user(client)
    client.post(reverse("logout"))
    other_issuer = "https://login.elders.nl"
    oidc_on.FII_OIDC_ISSUER = other_issuer
    idp.issuer = other_issuer
    idp.log_in(client, sub="sub-1", email="twee@elders.nl")
    second = logged_in_user(client)
    assert second is not None
    assert second != first
    assert set(ExternalIdentity.objects.values_list("issuer", "subject")) == {
        (ISSUER, "sub-1"),
        (other_issuer, "sub-1"),
    }


def test_an_existing_account_is_not_taken_over_by_email_when_linking_is_off(client, idp, bewerker):
    response = idp.log_in(client, sub="sub-9", email=bewerker.email)
    assert response["Location"] == "/inloggen/?oidc=mislukt"
    assert logged_in_user(client) is None
    assert not ExternalIdentity.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Inloggen via uw organisatie is niet gelukt" in page


def test_linking_by_email_needs_the_setting_and_a_verified_address(client, idp, oidc_on, bewerker):
    oidc_on.FII_OIDC_LINK_BY_EMAIL = True
    idp.log_in(client, sub="sub-9", email=bewerker.email, email_verified=False)
    assert logged_in_user(client) is None
    idp.log_in(client, sub="sub-9", email=bewerker.email.upper())
    assert logged_in_user(client) == bewerker
    assert ExternalIdentity.objects.get(subject="sub-9").user == bewerker


def test_an_id_token_of_another_issuer_is_refused(client, idp):
    idp.issuer = "https://kwaadwillend.example"
    idp.log_in(client, sub="sub-1", email="nieuw@testdam.nl")
    assert logged_in_user(client) is None
    assert not User.objects.exists()


def test_a_deactivated_user_cannot_log_in_through_oidc(client, idp):
    idp.log_in(client, sub="sub-1", email="nieuw@testdam.nl")
    user = logged_in_user(client)
    client.post(reverse("logout"))
    user.is_active = False
    user.save()
    idp.log_in(client, sub="sub-1", email="nieuw@testdam.nl")
    assert logged_in_user(client) is None


def test_oidc_login_rotates_the_session_and_ends_with_membership_removal(client, idp, oidc_on, beheerder, trajectory):
    oidc_on.FII_OIDC_LINK_BY_EMAIL = True
    client.get(reverse("login"))
    before = client.session.session_key
    idp.log_in(client, sub="sub-b", email=beheerder.email)
    assert client.session.session_key != before
    assert client.get(trajectory.get_absolute_url()).status_code == 200
    beheerder.end_sessions()
    assert client.get(trajectory.get_absolute_url()).status_code == 302


@override_settings(FII_REQUIRE_2FA=True)
def test_oidc_users_are_not_asked_for_our_totp_code(client, idp, oidc_on, beheerder, trajectory):
    oidc_on.FII_OIDC_LINK_BY_EMAIL = True
    TOTPDevice.objects.create(user=beheerder, name="authenticator", confirmed=True)
    idp.log_in(client, sub="sub-b", email=beheerder.email)
    assert logged_in_user(client) == beheerder
    assert client.get(trajectory.get_absolute_url()).status_code == 200
    assert "regelt daar de tweede stap" in client.get(reverse("account:overview")).content.decode()


def test_login_page_offers_the_organisations_login_when_configured(client, db, oidc_on):
    content = client.get(reverse("login") + "?next=/organisaties/").content.decode()
    assert "Inloggen via Gemeente Testdam" in content
    assert 'href="/oidc/authenticate/?next=/organisaties/"' in content


def test_oidc_off_means_no_urls_and_no_button(client, db, settings):
    assert settings.FII_OIDC_ENABLED is False
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404
    assert "Inloggen via" not in client.get(reverse("login")).content.decode()


def test_oidc_backend_does_nothing_when_switched_off(rf, settings):
    settings.FII_OIDC_ENABLED = False
    request = rf.get("/oidc/callback/", {"code": "x", "state": "y"})
    assert ExternalIdentityBackend().authenticate(request) is None


def test_oidc_endpoints_command_prints_the_settings_from_the_discovery_document(monkeypatch, capsys):
    class Response:
        def raise_for_status(self):
            pass

        def json(self):
            return {
                "issuer": ISSUER,
                "authorization_endpoint": f"{ISSUER}/auth",
                "token_endpoint": f"{ISSUER}/token",
                "userinfo_endpoint": f"{ISSUER}/userinfo",
                "jwks_uri": f"{ISSUER}/certs",
            }

    asked = []
    monkeypatch.setattr("requests.get", lambda url, timeout: asked.append(url) or Response())
    call_command("oidc_endpoints", ISSUER + "/")
    out = capsys.readouterr().out
    assert asked == [f"{ISSUER}/.well-known/openid-configuration"]
    assert f"FII_OIDC_TOKEN_ENDPOINT={ISSUER}/token" in out
    assert f"FII_OIDC_JWKS_ENDPOINT={ISSUER}/certs" in out


def test_oidc_issuer_without_endpoints_is_a_configuration_error():
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "fii.settings", "FII_OIDC_ISSUER": ISSUER}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "FII_OIDC_TOKEN_ENDPOINT" in result.stderr


def test_back_office_shows_a_users_external_identities(admin_client, bewerker):
    ExternalIdentity.objects.create(user=bewerker, issuer=ISSUER, subject="sub-in-admin")
    response = admin_client.get(reverse("admin:organisations_user_change", args=[bewerker.pk]))
    assert response.status_code == 200
    assert "sub-in-admin" in response.content.decode()
