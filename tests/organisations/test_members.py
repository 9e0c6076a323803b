import pytest
from django.urls import reverse

from organisations.access import visible_trajectories
from organisations.models import Membership, Role
from tests.factories import UserFactory


@pytest.fixture
def manager_client(client, beheerder):
    client.force_login(beheerder)
    return client


def test_an_existing_account_is_never_added_without_its_consent(manager_client, municipality):
    """ "Lid toevoegen" is gone: the address of an existing account gets an invitation to accept
    (tests/organisations/test_invitations.py), and the page shows nothing about that account."""
    UserFactory(email="nieuw@testdam.nl", full_name="Nina Nieuw")
    url = reverse("organisations:detail", args=[municipality.pk])
    response = manager_client.post(url, {"email": "Nieuw@Testdam.nl", "role": "bewerker"})
    assert response.status_code == 302
    assert not Membership.objects.filter(user__email="nieuw@testdam.nl", organisation=municipality).exists()
    page = manager_client.get(url).content.decode()
    assert "Nina Nieuw" not in page and "Lid toevoegen" not in page


def test_bewerker_cannot_add_members(client, bewerker, municipality):
    client.force_login(bewerker)
    UserFactory(email="nieuw@testdam.nl")
    response = client.post(
        reverse("organisations:detail", args=[municipality.pk]), {"email": "nieuw@testdam.nl", "role": "beheerder"}
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user__email="nieuw@testdam.nl").exists()


def test_change_role_and_remove(manager_client, municipality, lezer, trajectory):
    membership = Membership.objects.get(user=lezer)
    url = reverse("organisations:member_update", args=[municipality.pk, membership.pk])
    manager_client.post(url, {"role": "bewerker"})
    membership.refresh_from_db()
    assert membership.role == Role.BEWERKER
    manager_client.post(url, {"action": "remove"})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not visible_trajectories(lezer).exists()  # removal takes away access at once


def test_last_beheerder_cannot_be_demoted_or_removed(manager_client, municipality, beheerder):
    membership = Membership.objects.get(user=beheerder)
    url = reverse("organisations:member_update", args=[municipality.pk, membership.pk])
    response = manager_client.post(url, {"role": "lezer"}, follow=True)
    assert "minstens één beheerder" in response.content.decode()
    manager_client.post(url, {"action": "remove"})
    membership.refresh_from_db()
    assert membership.role == Role.BEHEERDER


def test_membership_of_another_organisation_is_404(manager_client, municipality, outsider):
    other = Membership.objects.get(user=outsider)
    url = reverse("organisations:member_update", args=[municipality.pk, other.pk])
    assert manager_client.post(url, {"action": "remove"}).status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()
