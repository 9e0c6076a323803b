"""Forgotten and changed passwords (organisations/passwords.py): no enumeration, throttling, single use,
limited validity, other sessions end, OIDC-only accounts are sent to their own login."""

import datetime as dt
import re

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.test import Client
from django.urls import reverse
from django.utils import translation

from organisations.models import ExternalIdentity, OutgoingMail
from tests.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dutch():
    """A request to an /en/ page leaves English active in the test's thread; every test starts in Dutch."""
    translation.activate("nl")
    yield
    translation.activate("nl")


NEW = "Nieuw-wachtwoord-voor-2027"


def request_reset(client, email, **extra):
    return client.post(reverse("password_reset"), {"email": email}, **extra)


def reset_link(mail: OutgoingMail) -> str:
    (url,) = set(re.findall(r"https?://\S+/wachtwoord-herstellen/\S+/", mail.text))
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def set_new_password(client, link, password=NEW):
    response = client.get(link)  # Django moves the token into the session and redirects
    assert response.status_code == 302
    return client.post(response["Location"], {"new_password1": password, "new_password2": password})


def test_login_page_offers_forgot_password(client):
    page = client.get(reverse("login")).content.decode()
    assert "Wachtwoord vergeten?" in page and reverse("password_reset") in page


def test_known_and_unknown_addresses_get_the_same_answer(client, lezer):
    known = request_reset(client, lezer.email.upper())
    unknown = request_reset(client, "niemand@testdam.nl")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert "Controleer uw e-mail" in client.get(known["Location"]).content.decode()
    (mail,) = OutgoingMail.objects.all()
    assert mail.to == lezer.email
    assert mail.subject == "Kies een nieuw wachtwoord voor FII-trajecten"
    assert reset_link(mail) in mail.html


def test_reset_sets_the_password_ends_other_sessions_and_works_once(client, lezer):
    elsewhere = Client()
    elsewhere.force_login(lezer)
    assert elsewhere.get(reverse("account:overview")).status_code == 200
    request_reset(client, lezer.email)
    link = reset_link(OutgoingMail.objects.get())
    response = set_new_password(client, link)
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_complete")
    lezer.refresh_from_db()
    assert lezer.check_password(NEW)
    assert elsewhere.get(reverse("account:overview")).status_code == 302  # logged out there
    login = client.post(reverse("login"), {"username": lezer.email, "password": NEW})
    assert login.status_code == 302 and login["Location"] == reverse("trajectories:my_week")
    client.logout()
    again = client.get(link)
    assert again.status_code == 200 and "Deze link werkt niet meer" in again.content.decode()


def test_reset_link_expires_after_an_hour(client, lezer, monkeypatch):
    request_reset(client, lezer.email)
    link = reset_link(OutgoingMail.objects.get())
    later = dt.datetime.now() + dt.timedelta(minutes=61)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)
    response = client.get(link)
    assert response.status_code == 200 and "Deze link werkt niet meer" in response.content.decode()
    lezer.refresh_from_db()
    assert lezer.check_password(PASSWORD)


def test_weak_new_password_is_refused_at_the_field(client, lezer):
    request_reset(client, lezer.email)
    response = set_new_password(client, reset_link(OutgoingMail.objects.get()), password="wachtwoord")
    assert response.status_code == 200
    assert "te kort" in " ".join(response.context["form"].errors["new_password2"])
    lezer.refresh_from_db()
    assert lezer.check_password(PASSWORD)


@pytest.mark.parametrize("email", ["lezer@testdam.nl", "niemand@testdam.nl"])
def test_requests_for_one_address_are_throttled_whether_or_not_it_exists(client, lezer, settings, email):
    settings.FII_PASSWORD_RESET_PER_ADDRESS = 3
    statuses = [request_reset(client, email).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    response = request_reset(client, email)
    assert "Te veel aanvragen" in response.content.decode()
    assert OutgoingMail.objects.count() == (3 if email == lezer.email else 0)


def test_requests_from_one_ip_address_are_throttled(client, settings):
    settings.FII_PASSWORD_RESET_PER_IP = 2
    statuses = [request_reset(client, f"iemand{n}@testdam.nl").status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    other_ip = request_reset(client, "iemand9@testdam.nl", REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == 302


def test_oidc_only_account_is_told_to_use_its_organisations_login(client, settings):
    user = UserFactory(email="oidc@testdam.nl")
    user.set_unusable_password()
    user.save()
    ExternalIdentity.objects.create(user=user, issuer="https://login.testdam.nl", subject="abc")
    response = request_reset(client, "oidc@testdam.nl")
    assert response["Location"] == reverse("password_reset_done")
    (mail,) = OutgoingMail.objects.all()
    assert "geen wachtwoord" in mail.text and "wachtwoord-herstellen" not in mail.text
    assert reverse("login") in mail.text


def test_reset_mail_follows_the_language_of_the_page(client, lezer):
    client.post("/en" + reverse("password_reset"), {"email": lezer.email})
    mail = OutgoingMail.objects.get()
    assert mail.language == "en" and mail.subject == "Choose a new password for FII-trajecten"
    assert "/en/wachtwoord-herstellen/" in mail.text


def test_password_change_needs_the_current_password_and_ends_other_sessions(client, lezer):
    elsewhere = Client()
    elsewhere.force_login(lezer)
    client.force_login(lezer)
    url = reverse("account:password_change")
    assert "Wachtwoord wijzigen" in client.get(reverse("account:overview")).content.decode()
    wrong = client.post(url, {"old_password": "fout", "new_password1": NEW, "new_password2": NEW})
    assert wrong.status_code == 200 and wrong.context["form"].errors["old_password"]
    lezer.refresh_from_db()
    assert lezer.check_password(PASSWORD)
    response = client.post(url, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response["Location"] == reverse("account:overview")
    lezer.refresh_from_db()
    assert lezer.check_password(NEW)
    assert client.get(reverse("account:overview")).status_code == 200  # this session stays
    assert elsewhere.get(reverse("account:overview")).status_code == 302  # the other one ended


def test_oidc_only_account_has_no_password_to_change(client):
    user = UserFactory(email="oidc@testdam.nl")
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    response = client.get(reverse("account:password_change"), follow=True)
    assert "geen wachtwoord" in response.content.decode()
