"""Issue 16: an auditor's hostile tenant and hostile input, each scenario as a test that now fails to leak.

Personas: Gemeente Testdam (beheerder, bewerker, lezer; owner of the trajectory), Gemeente Elders (the
"outsider" beheerder, plus a bewerker made here) that is added to Testdam's trajectory and later removed.
"""

import pytest
from django.urls import reverse

from organisations.models import Notice, Organisation, Person, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, make_trajectory
from trajectories import services
from trajectories.models import Stakeholder

STAKEHOLDER_POST = {"side": "derden", "level": "wethouder", "influence": "5", "support": "neutraal"}


@pytest.fixture
def elders_bewerker(outsider_org):
    return MembershipFactory(
        user=UserFactory(email="bewerker@elders.nl"), organisation=outsider_org, role=Role.BEWERKER
    ).user


@pytest.fixture
def wethouder(trajectory, bewerker):
    """Testdam's wethouder, in Testdam's register (kept by Testdam)."""
    return services.stakeholder_add(
        trajectory=trajectory,
        by=bewerker,
        person_fields={"name": "Wethouder Willemijn", "function": "Wethouder", "email": "w@testdam.nl"},
        side="gevend",
        level="wethouder",
        influence=5,
        support="steunend",
        desired_support="ambassadeur",
    ).person


@pytest.fixture
def elders_trajectory(outsider_org, elders_bewerker):
    return make_trajectory(owner=outsider_org, by=elders_bewerker, title="Elders Eigen Traject")


def _link(client, trajectory, person):
    return client.post(
        reverse("trajectories:stakeholder_add", args=[trajectory.pk]),
        {**STAKEHOLDER_POST, "person": person.pk, "desired_support": "steunend"},
    )


# Finding 1: persons belong to the organisation that keeps them ------------------------------------


def test_outsider_cannot_link_a_person_of_an_organisation_it_shares_nothing_with(
    client, wethouder, elders_trajectory, elders_bewerker
):
    client.force_login(elders_bewerker)
    response = _link(client, elders_trajectory, wethouder)
    assert response.status_code == 400
    assert not Stakeholder.objects.filter(trajectory=elders_trajectory).exists()
    page = client.get(reverse("trajectories:stakeholder_add", args=[elders_trajectory.pk])).content.decode()
    assert "Wethouder Willemijn" not in page


def test_issue_scenario_the_link_becomes_an_own_copy_when_the_sharing_ends(
    client, trajectory, wethouder, elders_trajectory, elders_bewerker, beheerder, outsider_org
):
    services.trajectory_participant_add(trajectory=trajectory, by=beheerder, organisation=outsider_org)
    client.force_login(elders_bewerker)
    # While both take part in Testdam's trajectory, Elders may link the wethouder into its own trajectory.
    assert _link(client, elders_trajectory, wethouder).status_code == 302
    link = Stakeholder.objects.get(trajectory=elders_trajectory)
    assert link.person == wethouder

    # Elders edits its register row, but cannot change Testdam's person record.
    edit = reverse("trajectories:stakeholder_edit", args=[elders_trajectory.pk, link.pk])
    page = client.get(edit).content.decode()
    assert 'name="name"' not in page
    assert "Gemeente Testdam" in page  # who keeps the details is said
    response = client.post(edit, {**STAKEHOLDER_POST, "desired_support": "steunend", "name": "Gekaapt", "notes": "x"})
    assert response.status_code == 302
    wethouder.refresh_from_db()
    assert wethouder.name == "Wethouder Willemijn"

    # The sharing ends: the link turns into Elders' own, separately kept record.
    client.force_login(beheerder)
    url = reverse("trajectories:participant_remove", args=[trajectory.pk, outsider_org.pk])
    assert client.post(url).status_code == 302
    link.refresh_from_db()
    assert link.person != wethouder
    assert link.person.organisation == outsider_org
    assert link.person.name == "Wethouder Willemijn"
    assert list(wethouder.stakeholder_roles.values_list("trajectory_id", flat=True)) == [trajectory.pk]

    # Testdam's later changes and its erasure no longer reach Elders' copy, and the reverse holds too.
    services.person_erase(person=wethouder, by=beheerder)
    link.person.refresh_from_db()
    assert link.person.name == "Wethouder Willemijn"
    export = services.person_export(person=wethouder)
    assert [row["trajectory"] for row in export["trajectories"]] == [trajectory.title]
    # And Elders cannot link Testdam's person again.
    client.force_login(elders_bewerker)
    other = make_trajectory(owner=outsider_org, by=elders_bewerker, title="Nog Een")
    assert wethouder not in services.linkable_persons(trajectory=other, user=elders_bewerker)


def test_erasure_by_the_keeper_reaches_a_link_while_it_is_shared(
    trajectory, wethouder, elders_trajectory, elders_bewerker, beheerder, outsider_org
):
    services.trajectory_participant_add(trajectory=trajectory, by=beheerder, organisation=outsider_org)
    link = services.stakeholder_add(
        trajectory=elders_trajectory,
        by=elders_bewerker,
        person=wethouder,
        side="derden",
        level="wethouder",
        influence=4,
        support="neutraal",
        desired_support="steunend",
    )
    services.person_erase(person=wethouder, by=beheerder)
    link.refresh_from_db()
    assert link.person.is_erased
    # Ending the sharing afterwards keeps the erasure: the copy is anonymous too.
    services.trajectory_participant_remove(trajectory=trajectory, by=beheerder, organisation=outsider_org)
    link.refresh_from_db()
    assert link.person.organisation == outsider_org
    assert link.person.is_erased


def test_service_refuses_a_person_outside_the_sharing(trajectory, wethouder, elders_trajectory, elders_bewerker):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.stakeholder_add(
            trajectory=elders_trajectory,
            by=elders_bewerker,
            person=wethouder,
            side="derden",
            level="wethouder",
            influence=4,
            support="neutraal",
            desired_support="steunend",
        )


def test_service_refuses_person_details_from_another_organisations_member(
    trajectory, wethouder, beheerder, outsider_org, outsider
):
    from django.core.exceptions import PermissionDenied

    services.trajectory_participant_add(trajectory=trajectory, by=beheerder, organisation=outsider_org)
    stakeholder = wethouder.stakeholder_roles.get()
    with pytest.raises(PermissionDenied):
        services.stakeholder_update(stakeholder=stakeholder, by=outsider, person_fields={"name": "Gekaapt"})
    wethouder.refresh_from_db()
    assert wethouder.name == "Wethouder Willemijn"


def test_keeping_organisation_still_edits_its_person(client, trajectory, wethouder, bewerker):
    client.force_login(bewerker)
    stakeholder = wethouder.stakeholder_roles.get()
    edit = reverse("trajectories:stakeholder_edit", args=[trajectory.pk, stakeholder.pk])
    data = {**STAKEHOLDER_POST, "support": "steunend", "desired_support": "ambassadeur", "name": "W. Willemijn"}
    assert client.post(edit, data).status_code == 302
    wethouder.refresh_from_db()
    assert wethouder.name == "W. Willemijn"


# Finding 2: who takes part is the owner's decision -------------------------------------------------


def test_edit_form_no_longer_offers_organisations(client, trajectory, bewerker, outsider_org):
    client.force_login(bewerker)
    page = client.get(reverse("trajectories:edit", args=[trajectory.pk])).content.decode()
    assert "Gemeente Elders" not in page
    assert 'name="participants"' not in page
    assert 'name="receiving_organisation"' not in page
    data = {
        "title": "Schuldhulp Vroeg",
        "start_date": "2026-01-01",
        "status": "actief",
        "review_interval": trajectory.review_interval,
        "version": trajectory.version,
        "participants": [outsider_org.pk],
        "receiving_organisation": outsider_org.pk,
    }
    assert client.post(reverse("trajectories:edit", args=[trajectory.pk]), data).status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.organisation_ids() == {trajectory.owner_id}


ROLES = ["lezer", "bewerker", "beheerder"]


@pytest.mark.parametrize("side", ["owner", "receiving", "participant"])
@pytest.mark.parametrize("role", ROLES)
def test_only_beheerders_of_the_giving_organisation_add_participants(client, trajectory, side, role):
    """Every role in every kind of organisation taking part, against the add and remove actions."""
    org = trajectory.owner if side == "owner" else OrganisationFactory(name=f"Organisatie {side}")
    if side == "receiving":
        trajectory.receiving_organisation = org
        trajectory.save()
    elif side == "participant":
        trajectory.participants.add(org)
    user = MembershipFactory(user=UserFactory(email=f"{role}-{side}@example.nl"), organisation=org, role=role).user
    target = OrganisationFactory(name="Gemeente Doelstad")
    client.force_login(user)
    add = client.post(reverse("trajectories:participant_add", args=[trajectory.pk]), {"organisation": target.pk})
    allowed = side == "owner" and role == "beheerder"
    assert add.status_code == (302 if allowed else 403)
    assert trajectory.participants.filter(pk=target.pk).exists() == allowed
    assert Notice.objects.filter(organisation=target).exists() == allowed
    remove_org = OrganisationFactory(name="Gemeente Wegstad")
    trajectory.participants.add(remove_org)
    remove = client.post(reverse("trajectories:participant_remove", args=[trajectory.pk, remove_org.pk]))
    assert remove.status_code == (302 if allowed else 403)
    assert trajectory.participants.filter(pk=remove_org.pk).exists() != allowed


def test_outsider_gets_404_on_the_organisations_page(client, trajectory, outsider):
    client.force_login(outsider)
    assert client.get(reverse("trajectories:organisations", args=[trajectory.pk])).status_code == 404
    response = client.post(reverse("trajectories:participant_add", args=[trajectory.pk]), {"organisation": 1})
    assert response.status_code == 404


def test_picker_searches_by_name_and_never_lists_every_tenant(client, trajectory, beheerder):
    OrganisationFactory(name="Gemeente Zoekstad")
    OrganisationFactory(name="Stichting Geheim")
    client.force_login(beheerder)
    url = reverse("trajectories:organisations", args=[trajectory.pk])
    assert "Zoekstad" not in client.get(url).content.decode()
    short = client.get(url, {"q": "Zo"}).content.decode()
    assert "Zoekstad" not in short
    assert "Typ ten minste 3 letters" in short
    found = client.get(url, {"q": "zoek"}).content.decode()
    assert "Gemeente Zoekstad" in found
    assert "Stichting Geheim" not in found
    # The same search as an htmx request answers with the results only.
    partial = client.get(url, {"q": "zoek"}, headers={"HX-Request": "true"}).content.decode()
    assert "Gemeente Zoekstad" in partial
    assert "<html" not in partial


def test_added_organisations_beheerders_are_told(client, trajectory, beheerder, outsider, outsider_org):
    client.force_login(beheerder)
    client.post(reverse("trajectories:participant_add", args=[trajectory.pk]), {"organisation": outsider_org.pk})
    notice = Notice.objects.get(organisation=outsider_org)
    assert notice.subject == trajectory.title
    assert notice.by_organisation == "Gemeente Testdam"
    client.force_login(outsider)
    page = client.get(reverse("trajectories:portfolio")).content.decode()
    assert "Gemeente Testdam heeft Gemeente Elders als deelnemende organisatie toegevoegd" in page
    assert reverse("trajectories:detail", args=[trajectory.pk]) in page


def test_choosing_the_receiving_organisation_needs_the_owners_beheerder_and_tells_it(
    client, trajectory, bewerker, beheerder
):
    receiving = OrganisationFactory(name="Welzijn Ontvangt")
    candidate = services.candidate_add(trajectory=trajectory, by=bewerker, organisation=receiving)
    url = reverse("trajectories:candidate_choose", args=[trajectory.pk, candidate.pk])
    client.force_login(bewerker)
    assert client.post(url, {"rationale": "Past"}).status_code == 403
    client.force_login(beheerder)
    assert client.post(url, {"rationale": "Past"}).status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.receiving_organisation == receiving
    assert Notice.objects.filter(organisation=receiving, kind=Notice.Kind.RECEIVING_CHOSEN).exists()


def test_a_receiving_organisations_bewerker_cannot_add_another_municipality(client, trajectory, outsider_org):
    trajectory.receiving_organisation = outsider_org
    trajectory.save()
    user = MembershipFactory(user=UserFactory(email="b@elders.nl"), organisation=outsider_org, role="beheerder").user
    third = Organisation.objects.create(name="Gemeente Derde")
    client.force_login(user)
    response = client.post(reverse("trajectories:participant_add", args=[trajectory.pk]), {"organisation": third.pk})
    assert response.status_code == 403
    assert not trajectory.participants.exists()
    assert Person.objects.count() == 0
