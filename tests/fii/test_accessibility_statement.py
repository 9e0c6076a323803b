"""The accessibility statement: the Dutch model form, filled from settings (FII_ACCESSIBILITY_*)."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def configured(settings):
    settings.FII_ACCESSIBILITY_ORGANISATION = "Gemeente Testdam"
    settings.FII_ACCESSIBILITY_SCOPE = "https://fii.testdam.nl"
    settings.FII_ACCESSIBILITY_STATUS = "B"
    settings.FII_ACCESSIBILITY_DATE = dt.date(2027, 3, 14)
    settings.FII_ACCESSIBILITY_CONTACT = "digitoegankelijk@testdam.nl"
    settings.FII_ACCESSIBILITY_AUDIT_URL = "https://testdam.nl/onderzoek-fii.pdf"
    return settings


def test_statement_shows_the_configured_body_scope_status_date_and_contact(client, configured, db):
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    assertContains(response, "Gemeente Testdam wil dat iedereen")
    assertContains(response, "https://fii.testdam.nl")
    assertContains(response, "Status B")
    assertContains(response, "nog niet aan alle eisen voldoet")
    assertContains(response, "14 maart 2027")
    assertContains(response, 'href="mailto:digitoegankelijk@testdam.nl"')
    assertContains(response, 'href="https://testdam.nl/onderzoek-fii.pdf"')
    # With an audit behind it, the statement no longer says that none was done.
    assertNotContains(response, "Er is nog geen onafhankelijk")


def test_default_statement_is_status_d_for_this_address_and_lists_the_limitations(client, db):
    response = client.get(reverse("accessibility"))
    assertContains(response, "Status D")
    assertContains(response, "en er is er ook geen gepland")
    assertContains(response, "http://testserver/")  # no scope set: the address the statement is served at
    assertContains(response, "Bekende beperkingen")
    assertContains(response, "Er is nog geen onafhankelijk")
    assertContains(response, "FII_ACCESSIBILITY_ORGANISATION")  # says plainly what the operator has to set


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("FII_ACCESSIBILITY_STATUS", "E", "must be A, B, C or D"),
        ("FII_ACCESSIBILITY_DATE", "14-03-2027", "a date like"),
    ],
)
def test_a_wrong_status_or_date_stops_the_start(variable, value, message):
    env = {**os.environ, variable: value, "DJANGO_SETTINGS_MODULE": "fii.settings"}
    result = subprocess.run(  # noqa: S603 — our own interpreter and settings module
        [sys.executable, "-c", "import fii.settings"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert message in result.stderr
