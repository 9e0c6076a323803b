"""A beheerder's notices on the portfolio, kept as a cached part under the version of the organisations' notices
(issue 21, organisations/notices.py): reused while nothing changed, renewed at once when something did."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from organisations.backends import AccountBackend
from organisations.models import Notice, Organisation, User
from organisations.notices import notice_version
from organisations.services import notice_send
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

URL = "/portefeuille/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def tell(organisation, subject: str) -> Notice:
    return notice_send(
        organisation=organisation,
        kind=Notice.Kind.PARTICIPANT_ADDED,
        subject=subject,
        by_organisation="Gemeente Anderstad",
        link="/trajecten/1/",
    )


def page(client, path: str = URL) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.text


def test_a_warm_portfolio_of_a_beheerder_runs_no_statement_for_its_notices(
    trajectory, beheerder, bewerker, municipality, django_assert_num_queries
):
    """Session, user (with its access and notice versions), the page of ids: what a bewerker's warm portfolio
    costs, where reading the notices made it four."""
    tell(municipality, "Melding Eropaf")
    for user in (bewerker, beheerder):
        client = client_for(user)
        assert ("Melding Eropaf" in page(client)) == (user == beheerder)
        with django_assert_num_queries(3):
            assert ("Melding Eropaf" in page(client)) == (user == beheerder)


def test_a_new_notice_shows_at_once(trajectory, beheerder, municipality):
    client = client_for(beheerder)
    tell(municipality, "Eerste traject")
    assert "Eerste traject" in page(client)
    tell(municipality, "Tweede traject")
    shown = page(client)
    assert "Eerste traject" in shown and "Tweede traject" in shown


def test_a_renamed_organisation_shows_in_its_notices_at_once(beheerder, municipality):
    client = client_for(beheerder)
    tell(municipality, "Eerste traject")
    assert "Gemeente Testdam als deelnemende" in page(client)
    renamed = Organisation.objects.get(pk=municipality.pk)
    renamed.name = "Gemeente Nieuwdam"
    renamed.save()
    assert "Gemeente Nieuwdam als deelnemende" in page(client)


def test_another_organisations_notice_never_shows(beheerder, municipality, outsider, outsider_org):
    """One notice each: the two organisations' versions (and so their sums) are equal, only the organisations
    named in the key tell the two parts apart."""
    tell(municipality, "Voor Testdam")
    tell(outsider_org, "Voor Elders")
    mine, theirs = page(client_for(beheerder)), page(client_for(outsider))
    assert "Voor Testdam" in mine and "Voor Elders" not in mine
    assert "Voor Elders" in theirs and "Voor Testdam" not in theirs


def test_a_beheerder_of_two_organisations_sees_the_notices_of_both(beheerder, municipality, outsider_org):
    tell(outsider_org, "Voor Elders")
    client = client_for(beheerder)
    assert "Voor Elders" not in page(client)
    MembershipFactory(user=beheerder, organisation=outsider_org, role="beheerder")
    assert "Voor Elders" in page(client)


def test_the_window_is_thirty_whole_days_and_moves_with_the_date(beheerder, municipality, monkeypatch):
    today = timezone.localdate()
    first_day = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=30), dt.time.min))
    Notice.objects.create(organisation=municipality, kind="deelnemer", subject="Net binnen", created_at=first_day)
    Notice.objects.create(
        organisation=municipality,
        kind="deelnemer",
        subject="Net buiten",
        created_at=first_day - dt.timedelta(seconds=1),
    )
    client = client_for(beheerder)
    shown = page(client)
    assert "Net binnen" in shown and "Net buiten" not in shown
    # The next day the first one has left the window, although nothing was written: the key holds the date.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + dt.timedelta(days=1))
    assert "Net binnen" not in page(client)


def test_each_language_gets_its_own_notices(beheerder, municipality):
    tell(municipality, "Eerste traject")
    client = client_for(beheerder)
    assert "als deelnemende organisatie toegevoegd" in page(client)
    english = page(client, "/en" + URL)
    assert "added Gemeente Testdam as participating organisation" in english
    assert "deelnemende organisatie" not in english
    assert "als deelnemende organisatie toegevoegd" in page(client)


def test_the_notice_version_comes_with_the_session_user_and_counts_only_managed_organisations(
    beheerder, municipality, outsider_org, django_assert_num_queries
):
    def loaded():
        return AccountBackend().get_user(beheerder.pk).notice_version

    assert loaded() == 0
    tell(municipality, "Een")
    tell(outsider_org, "Elders")  # not the beheerder's: no change
    assert loaded() == 1
    tell(municipality, "Twee")
    assert loaded() == 2
    plain = User.objects.get(pk=beheerder.pk)  # a user loaded otherwise (Django's ModelBackend)
    with django_assert_num_queries(1):
        assert notice_version(plain) == 2
