"""Two-factor authentication in the browser: enrolment with the key shown as text, then the code step."""

import base64

from django_otp.oath import TOTP
from playwright.sync_api import expect

from .conftest import PASSWORD
from .helpers import goto, submit
from .test_accessibility import axe_violations


def code_for(secret_text: str) -> str:
    secret = secret_text.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{TOTP(key).token():06d}"


def test_enrol_with_the_key_as_text_then_log_in_with_a_backup_code(login_as, bewerker, problems):
    page = login_as(bewerker)
    with page.expect_navigation():
        page.get_by_role("link", name=bewerker.get_full_name()).click()
    with page.expect_navigation():
        page.get_by_role("link", name="Tweestapsverificatie instellen").click()
    expect(page.get_by_role("img", name="QR-code voor uw authenticator-app")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Code uit de app").fill(code_for(page.locator(".totp-secret").inner_text()))
    submit(page)
    expect(page.get_by_text("Tweestapsverificatie staat aan.")).to_be_visible()
    expect(page.locator(".backup-codes code")).to_have_count(10)
    codes = page.locator(".backup-codes code").all_inner_texts()
    assert len(codes) == 10
    assert axe_violations(page) == []

    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/inloggen/")
    page.locator("#id_username").fill(bewerker.email)
    page.locator("#id_password").fill(PASSWORD)
    submit(page)
    assert page.url.endswith("/inloggen/code/")
    expect(page.get_by_role("heading", name="Voer uw code in")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Code").fill(codes[0])
    submit(page)
    assert page.url.removeprefix(problems.origin) == "/"
    expect(page.get_by_text("U hebt een reservecode gebruikt; er zijn er nog 9 over.")).to_be_visible()
    goto(page, "/account/")
