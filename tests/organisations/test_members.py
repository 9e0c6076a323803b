import pytest
from django.urls import reverse

from organisations.models import Membership, Role
from tests.factories import UserFactory
from trajectories.access import visible_trajectories


@pytest.fixture
def manager_client(client, beheerder):
    client.force_login(beheerder)
    return client


def test_beheerder_adds_an_existing_user(manager_client, municipality):
    UserFactory(email="nieuw@testdam.nl")
    response = manager_client.post(
        reverse("organisations:detail", args=[municipality.pk]), {"email": "Nieuw@Testdam.nl", "role": "bewerker"}
    )
    assert response.status_code == 302
    assert Membership.objects.get(user__email="nieuw@testdam.nl", organisation=municipality).role == "bewerker"


def test_unknown_email_is_refused_at_the_field_and_kept(manager_client, municipality):
    response = manager_client.post(
        reverse("organisations:detail", args=[municipality.pk]), {"email": "onbekend@testdam.nl", "role": "lezer"}
    )
    assert response.status_code == 200
    assert "Er is geen account" in response.context["add_form"].errors["email"][0]
    assert 'value="onbekend@testdam.nl"' in response.content.decode()


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
