"""The permission policy (trajectories/policy.py): who may do what to a trajectory."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from organisations.access import may_manage
from organisations.models import Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from trajectories import services
from trajectories.access import get_trajectory_for_user
from trajectories.policy import Do, may, may_create_trajectory, needed_role, new_trajectory_owners, view_or_edit

EVERYTHING = set(Do)


@pytest.fixture
def receiving_beheerder(trajectory):
    """A beheerder of the receiving organisation: high role on the trajectory, but not its owner's."""
    receiving = OrganisationFactory(name="Stichting Ontvangst")
    trajectory.receiving_organisation = receiving
    trajectory.save()
    return MembershipFactory(
        user=UserFactory(email="beheerder@ontvangst.nl"), organisation=receiving, role=Role.BEHEERDER
    ).user


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("beheerder", EVERYTHING),
        ("receiving_beheerder", {Do.VIEW, Do.EDIT, Do.REOPEN_REVIEW}),  # not the giving organisation's record
        ("bewerker", {Do.VIEW, Do.EDIT}),
        ("lezer", {Do.VIEW}),
        ("outsider", set()),
    ],
)
def test_each_role_may_do_exactly_its_actions(trajectory, persona, allowed, personas, receiving_beheerder):
    user = receiving_beheerder if persona == "receiving_beheerder" else personas[persona]
    assert {action for action in Do if may(user, action, trajectory)} == allowed
    if allowed:  # the scoped look-up sets the user's role; the policy answers the same from it
        loaded = get_trajectory_for_user(user, trajectory.pk)
        assert {action for action in Do if may(user, action, loaded)} == allowed


def test_an_archived_trajectory_may_be_read_restored_and_exported_but_not_edited(trajectory, beheerder):
    services.trajectory_archive(trajectory=trajectory, by=beheerder, reason="Klaar")
    trajectory.refresh_from_db()
    giving_organisation_only = {Do.ARCHIVE, Do.EXPORT, Do.MANAGE_PARTICIPANTS}
    assert {action for action in Do if may(beheerder, action, trajectory)} == {Do.VIEW} | giving_organisation_only


def test_the_receiving_beheerder_gets_403_on_archive_and_export(client, trajectory, receiving_beheerder):
    client.force_login(receiving_beheerder)
    assert client.get(reverse("trajectories:archive", args=[trajectory.pk])).status_code == 403
    assert client.get(reverse("trajectories:trajectory_export", args=[trajectory.pk])).status_code == 403


def test_the_archive_list_offers_restore_only_to_the_giving_beheerder(client, trajectory, beheerder, bewerker):
    services.trajectory_archive(trajectory=trajectory, by=beheerder, reason="Klaar")
    restore = reverse("trajectories:restore", args=[trajectory.pk])
    for user, offered in ((beheerder, True), (bewerker, False)):
        client.force_login(user)
        page = client.get(reverse("trajectories:archive_list"))
        assert page.status_code == 200
        assert (restore in page.content.decode()) is offered


def test_each_action_names_the_least_role_it_needs():
    assert {action: needed_role(action) for action in Do} == {
        Do.VIEW: Role.LEZER,
        Do.EDIT: Role.BEWERKER,
        Do.REOPEN_REVIEW: Role.BEHEERDER,
        Do.ARCHIVE: Role.BEHEERDER,
        Do.EXPORT: Role.BEHEERDER,
        Do.MANAGE_PARTICIPANTS: Role.BEHEERDER,
    }


@pytest.mark.parametrize(("method", "action"), [("GET", Do.VIEW), ("HEAD", Do.VIEW), ("POST", Do.EDIT)])
def test_a_page_that_changes_on_post_asks_to_edit_only_then(rf, method, action):
    assert view_or_edit(rf.generic(method, "/")) == action


@pytest.mark.parametrize("action", [Do.ARCHIVE, Do.EXPORT, Do.MANAGE_PARTICIPANTS])
def test_the_look_up_refuses_the_giving_organisations_actions_to_the_receiving_beheerder(
    trajectory, beheerder, receiving_beheerder, action
):
    with pytest.raises(PermissionDenied):
        get_trajectory_for_user(receiving_beheerder, trajectory.pk, do=action)
    assert get_trajectory_for_user(beheerder, trajectory.pk, do=action).pk == trajectory.pk


@pytest.mark.parametrize(
    ("persona", "status"), [("bewerker", None), ("lezer", PermissionDenied), ("outsider", Http404)]
)
def test_the_look_up_for_editing_answers_403_to_a_reader_and_404_to_an_outsider(trajectory, personas, persona, status):
    if status is None:
        assert get_trajectory_for_user(personas[persona], trajectory.pk, do=Do.EDIT).user_role == Role.BEWERKER
    else:
        with pytest.raises(status):
            get_trajectory_for_user(personas[persona], trajectory.pk, do=Do.EDIT)


@pytest.mark.parametrize("persona", ["beheerder", "receiving_beheerder", "bewerker", "lezer", "outsider"])
@pytest.mark.parametrize("do", [Do.VIEW, Do.EDIT])
def test_the_look_up_without_the_organisations_rows_answers_alike(
    trajectory, personas, receiving_beheerder, persona, do
):
    """``organisations=False`` (the light change) reads the owning and receiving organisations' ids only: the
    same role, the same refusals, and neither organisation's row loaded."""
    user = receiving_beheerder if persona == "receiving_beheerder" else personas[persona]

    def look_up(**kwargs):
        try:
            return get_trajectory_for_user(user, trajectory.pk, do=do, participants=False, **kwargs)
        except (Http404, PermissionDenied) as refused:
            return type(refused)

    full, light = look_up(), look_up(organisations=False)
    if isinstance(full, type):
        assert light is full
        return
    assert (light.user_role, light.actual_role) == (full.user_role, full.actual_role)
    assert {"owner", "receiving_organisation"} <= full._state.fields_cache.keys()
    assert not {"owner", "receiving_organisation"} & light._state.fields_cache.keys()


@pytest.mark.parametrize(
    ("persona", "manages", "creates_here", "creates"),
    [
        ("beheerder", True, True, True),
        ("bewerker", False, True, True),
        ("lezer", False, False, False),
        ("outsider", False, False, True),  # a bewerker of another organisation creates for that one
    ],
)
def test_organisation_rules(trajectory, personas, persona, manages, creates_here, creates):
    user = personas[persona]
    assert may_manage(user, trajectory.owner_id) is manages
    assert may_manage(user, None) is False
    assert (trajectory.owner in new_trajectory_owners(user)) is creates_here
    assert may_create_trajectory(user) is creates
