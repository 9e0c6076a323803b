"""Two-factor authentication: enrolment, the second login step, backup codes, the requirement for beheerders."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisations import twofactor
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _no_otp_throttling(settings):
    # django-otp waits 1, 2, 4… seconds after a wrong code; the tests send the right one straight after.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def current_code(device):
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def enrolled(user):
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    codes = twofactor.backup_codes_generate(user=user)
    return device, codes


def log_in_with_password(client, user):
    return client.post(reverse("login"), {"username": user.email, "password": PASSWORD})


def test_enrolment_page_shows_qr_code_as_inline_svg_and_the_secret_as_text(client, bewerker):
    client.force_login(bewerker)
    response = client.get(reverse("account:totp_enrol"))
    assert response.status_code == 200
    content = response.content.decode()
    device = TOTPDevice.objects.get(user=bewerker, confirmed=False)
    assert '<svg role="img"' in content
    assert "<img" not in content.split('id="main"')[1]  # no external or data image for the QR code
    assert twofactor.secret_for_display(device) in content
    # The same secret on a second visit, until it is confirmed.
    client.get(reverse("account:totp_enrol"))
    assert TOTPDevice.objects.filter(user=bewerker).count() == 1


def test_enrolment_with_the_right_code_switches_two_factor_on_and_shows_backup_codes_once(client, bewerker):
    client.force_login(bewerker)
    client.get(reverse("account:totp_enrol"))
    device = TOTPDevice.objects.get(user=bewerker)
    response = client.post(reverse("account:totp_enrol"), {"code": current_code(device)}, follow=True)
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert twofactor.has_two_factor(bewerker)
    codes = list(StaticToken.objects.filter(device__user=bewerker).values_list("token", flat=True))
    assert len(codes) == twofactor.BACKUP_CODE_COUNT
    content = response.content.decode()
    assert all(code in content for code in codes)
    again = client.get(reverse("account:overview")).content.decode()
    assert not any(code in again for code in codes)  # shown once
    assert "10 ongebruikte reservecodes" in again


def test_wrong_enrolment_code_is_shown_next_to_the_field_and_kept(client, bewerker):
    client.force_login(bewerker)
    client.get(reverse("account:totp_enrol"))
    response = client.post(reverse("account:totp_enrol"), {"code": "000000"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Deze code klopt niet" in content
    assert 'value="000000"' in content
    assert 'aria-invalid="true"' in content or "is-invalid" in content
    assert not twofactor.has_two_factor(bewerker)


def test_login_with_two_factor_asks_for_the_code_after_the_password(client, bewerker):
    device, _codes = enrolled(bewerker)
    response = log_in_with_password(client, bewerker)
    assert response.status_code == 302
    assert response["Location"] == reverse("login_code")
    assert "_auth_user_id" not in client.session  # not logged in yet
    assert client.get(reverse("trajectories:portfolio")).status_code == 302
    page = client.get(reverse("login_code"))
    assert page.status_code == 200
    assert "Voer uw code in" in page.content.decode()
    before = client.session.session_key
    response = client.post(reverse("login_code"), {"code": current_code(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("trajectories:my_week")
    assert int(client.session["_auth_user_id"]) == bewerker.pk
    assert client.session.session_key != before  # the session key still rotates at login
    assert client.get(reverse("trajectories:portfolio")).status_code == 200


def test_login_without_two_factor_needs_only_the_password(client, bewerker):
    response = log_in_with_password(client, bewerker)
    assert response["Location"] == reverse("trajectories:my_week")
    assert int(client.session["_auth_user_id"]) == bewerker.pk


def test_wrong_login_code_keeps_the_user_out_with_an_error_at_the_field_and_is_logged(client, bewerker, caplog):
    enrolled(bewerker)
    log_in_with_password(client, bewerker)
    with caplog.at_level("WARNING"):
        response = client.post(reverse("login_code"), {"code": "123456"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Deze code klopt niet of is verlopen" in content
    assert 'value="123456"' in content
    assert "_auth_user_id" not in client.session
    assert any("Wrong two-factor code" in record.getMessage() for record in caplog.records)


def test_wrong_login_codes_count_toward_the_lockout(client, bewerker):
    device, _codes = enrolled(bewerker)
    log_in_with_password(client, bewerker)
    for _ in range(4):
        assert client.post(reverse("login_code"), {"code": "123456"}).status_code == 400
    assert client.post(reverse("login_code"), {"code": "123456"}).status_code == 429
    # Locked out: even the right code (or password) does not get in now.
    assert client.post(reverse("login_code"), {"code": current_code(device)}).status_code == 429
    assert "_auth_user_id" not in client.session
    assert log_in_with_password(client, bewerker).status_code == 429


def test_a_backup_code_logs_in_once_only(client, bewerker):
    _device, codes = enrolled(bewerker)
    log_in_with_password(client, bewerker)
    response = client.post(reverse("login_code"), {"code": codes[0]})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == bewerker.pk
    assert twofactor.backup_codes_left(bewerker) == twofactor.BACKUP_CODE_COUNT - 1
    client.post(reverse("logout"))
    log_in_with_password(client, bewerker)
    response = client.post(reverse("login_code"), {"code": codes[0]})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_the_code_step_expires_after_five_minutes(client, bewerker, monkeypatch):
    import time

    device, _codes = enrolled(bewerker)
    log_in_with_password(client, bewerker)
    later = time.time() + 6 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.post(reverse("login_code"), {"code": current_code(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_new_backup_codes_replace_the_old_ones(client, bewerker):
    _device, old = enrolled(bewerker)
    client.force_login(bewerker)
    response = client.post(reverse("account:backup_codes"), follow=True)
    new = set(StaticToken.objects.filter(device__user=bewerker).values_list("token", flat=True))
    assert len(new) == twofactor.BACKUP_CODE_COUNT
    assert not new & set(old)
    assert all(code in response.content.decode() for code in new)


def test_switching_two_factor_off_needs_a_valid_code(client, bewerker):
    device, _codes = enrolled(bewerker)
    client.force_login(bewerker)
    response = client.post(reverse("account:totp_disable"), {"code": "999999"})
    assert response.status_code == 400
    assert "Deze code klopt niet. Tweestapsverificatie staat nog aan." in response.content.decode()
    assert twofactor.has_two_factor(bewerker)
    response = client.post(reverse("account:totp_disable"), {"code": current_code(device)})
    assert response.status_code == 302
    assert not twofactor.has_two_factor(bewerker)
    assert not StaticToken.objects.filter(device__user=bewerker).exists()


def test_account_page_shows_the_status(client, bewerker):
    client.force_login(bewerker)
    assert "Tweestapsverificatie instellen" in client.get(reverse("account:overview")).content.decode()
    enrolled(bewerker)
    content = client.get(reverse("account:overview")).content.decode()
    assert "Aan" in content
    assert "Nieuwe reservecodes maken" in content


# The requirement (FII_REQUIRE_2FA) for beheerders and staff.


@override_settings(FII_REQUIRE_2FA=True)
def test_required_beheerder_without_device_is_sent_to_enrolment_everywhere(client, beheerder, trajectory):
    log_in_with_password(client, beheerder)
    for url in (reverse("trajectories:portfolio"), trajectory.get_absolute_url(), reverse("account:overview")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("account:totp_enrol")
    # Still allowed: enrolment, the accessibility statement, security.txt, static files and logging out.
    assert client.get(reverse("account:totp_enrol")).status_code == 200
    assert client.get(reverse("accessibility")).status_code == 200
    assert client.get(reverse("security_txt")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@override_settings(FII_REQUIRE_2FA=True)
def test_required_beheerder_can_work_after_enrolling(client, beheerder, trajectory):
    client.force_login(beheerder)
    client.get(reverse("account:totp_enrol"))
    device = TOTPDevice.objects.get(user=beheerder)
    client.post(reverse("account:totp_enrol"), {"code": current_code(device)})
    assert client.get(trajectory.get_absolute_url()).status_code == 200


@override_settings(FII_REQUIRE_2FA=True)
def test_required_beheerder_with_device_but_unverified_session_is_asked_for_a_code(client, beheerder, trajectory):
    device, _codes = enrolled(beheerder)
    client.force_login(beheerder)  # e.g. a session from before the requirement was switched on
    response = client.get(trajectory.get_absolute_url())
    assert response["Location"] == reverse("login_code")
    before = client.session.session_key
    assert client.post(reverse("login_code"), {"code": current_code(device)}).status_code == 302
    assert client.session.session_key != before
    assert client.get(trajectory.get_absolute_url()).status_code == 200


@override_settings(FII_REQUIRE_2FA=True)
def test_requirement_does_not_apply_to_a_bewerker(client, bewerker, trajectory):
    log_in_with_password(client, bewerker)
    assert client.get(trajectory.get_absolute_url()).status_code == 200


@override_settings(FII_REQUIRE_2FA=False)
def test_requirement_off_lets_a_beheerder_work_with_a_password_only(client, beheerder, trajectory):
    log_in_with_password(client, beheerder)
    assert client.get(trajectory.get_absolute_url()).status_code == 200


def test_requirement_is_on_by_default_when_debug_is_off(tmp_path):
    import os
    import subprocess
    import sys

    code = "from django.conf import settings; print(settings.FII_REQUIRE_2FA)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "fii.settings", "SECRET_KEY": "x" * 50}
    env.pop("FII_REQUIRE_2FA", None)
    for debug, expected in (("0", "True"), ("1", "False")):
        result = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            env={**env, "DEBUG": debug},
            capture_output=True,
            text=True,
            check=True,
        )
        assert result.stdout.strip() == expected


@override_settings(FII_REQUIRE_2FA=True)
def test_staff_must_enrol_before_the_back_office(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account:totp_enrol")


@override_settings(FII_REQUIRE_2FA=True)
def test_staff_with_a_verified_session_reach_the_back_office(client, admin_user):
    device, _codes = enrolled(admin_user)
    log_in_with_password_admin = client.post(
        reverse("login"), {"username": admin_user.email, "password": "password", "next": reverse("admin:index")}
    )
    assert log_in_with_password_admin["Location"] == reverse("login_code")
    response = client.post(reverse("login_code"), {"code": current_code(device)})
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


@override_settings(FII_REQUIRE_2FA=True)
def test_back_office_refuses_an_unverified_staff_session_even_without_the_middleware(rf, admin_user):
    from django.contrib import admin
    from django.contrib.sessions.backends.db import SessionStore

    request = rf.get(reverse("admin:index"))
    request.user = admin_user
    admin_user.is_verified = lambda: False
    request.session = SessionStore()
    assert admin.site.has_permission(request) is False
    admin_user.is_verified = lambda: True
    assert admin.site.has_permission(request) is True


def test_the_admin_login_form_is_not_a_way_around_the_code(client):
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=%2Fadmin%2F"
