"""Memberships are cached under the user's access version; every change counts from the next request."""

import pytest
from django.test import Client
from django.urls import reverse

from organisations import services
from organisations.access import access_version, memberships_of
from organisations.backends import AccountBackend
from organisations.models import Membership, Role, User
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)


def test_a_lower_role_counts_at_the_next_request(trajectory, bewerker, beheerder):
    client = Client()
    client.force_login(bewerker)
    edit = reverse("trajectories:edit", args=[trajectory.pk])
    assert client.get(edit).status_code == 200
    services.membership_change_role(membership=Membership.objects.get(user=bewerker), role=Role.LEZER)
    assert client.get(edit).status_code == 403


def test_a_new_membership_counts_at_the_next_request(trajectory, outsider):
    client = Client()
    client.force_login(outsider)
    url = trajectory.get_absolute_url()
    assert client.get(url).status_code == 404
    from organisations.invitations import invitation_accept_existing, invitation_create

    invitation = invitation_create(organisation=trajectory.owner, email=outsider.email, role=Role.LEZER, by=None)
    invitation_accept_existing(invitation=invitation, user=outsider)
    assert client.get(url).status_code == 200


def test_memberships_come_from_the_cache_while_nothing_changed(bewerker, django_assert_num_queries):
    memberships_of(fresh(bewerker))
    next_request = AccountBackend().get_user(bewerker.pk)  # as the session's user is loaded: with its version
    with django_assert_num_queries(0):
        assert list(memberships_of(next_request).values()) == [Role.BEWERKER]


def test_a_deleted_organisation_takes_its_memberships_out_of_the_cache(bewerker):
    extra = OrganisationFactory(name="Tijdelijk")
    Membership.objects.create(user=bewerker, organisation=extra, role=Role.BEHEERDER)
    assert extra.pk in memberships_of(fresh(bewerker))
    extra.delete()  # the memberships go by cascade
    assert extra.pk not in memberships_of(fresh(bewerker))


def test_saving_an_old_user_instance_keeps_the_new_access_version(bewerker):
    loaded = fresh(bewerker)
    Membership.objects.create(user=bewerker, organisation=OrganisationFactory(name="Nieuw"), role=Role.LEZER)
    raised = access_version(fresh(bewerker))
    loaded.full_name = "Bea"
    loaded.save()
    assert access_version(fresh(bewerker)) == raised
    assert len(memberships_of(fresh(bewerker))) == 2


def test_a_session_made_before_the_upgrade_goes_on(trajectory, bewerker):
    """Sessions from before the access version moved to the cache's table name Django's ModelBackend: the upgrade
    must not log their users out, and a membership change still counts for them at the next request."""
    client = Client()
    client.force_login(bewerker, backend="django.contrib.auth.backends.ModelBackend")
    edit = reverse("trajectories:edit", args=[trajectory.pk])
    assert client.get(edit).status_code == 200
    services.membership_change_role(membership=Membership.objects.get(user=bewerker), role=Role.LEZER)
    assert client.get(edit).status_code == 403
