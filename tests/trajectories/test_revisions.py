"""Cached page parts never outlive their data: every write raises the trajectory's revision."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fii import cache_versions
from organisations.models import Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from trajectories import fragments, revisions, services
from trajectories.models import Action, ChecklistItem, Review, Trajectory

pytestmark = pytest.mark.django_db


def revision(trajectory) -> int:
    return cache_versions.current(revisions.REVISION, trajectory.pk)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def open_review(trajectory, by) -> Review:
    return services.review_start(trajectory=trajectory, by=by, held_on=timezone.localdate(), phases=["verkennen"])


def stakeholder(trajectory, by, name="Wethouder Jansen"):
    return services.stakeholder_add(
        trajectory=trajectory,
        by=by,
        person_fields={"name": name},
        side="derden",
        level="wethouder",
        influence=5,
        support="neutraal",
        desired_support="steunend",
    )


def test_writes_inside_a_trajectory_raise_its_revision(trajectory, bewerker):
    steps = [
        lambda: open_review(trajectory, bewerker),
        lambda: services.review_item_set(
            review_item=Review.objects.get(trajectory=trajectory).items.first(), by=bewerker, colour="rood"
        ),
        lambda: services.action_create(trajectory=trajectory, by=bewerker, description="Bellen"),
        lambda: services.action_close(
            action=Action.objects.get(trajectory=trajectory), by=bewerker, note="", expected_version=None
        ),
        lambda: stakeholder(trajectory, bewerker),
    ]
    seen = revision(trajectory)
    for step in steps:
        step()
        now = revision(trajectory)
        assert now > seen
        seen = now


def test_a_write_in_another_trajectory_leaves_this_one_alone(trajectory, municipality, bewerker):
    other = services.trajectory_create(
        owner=municipality,
        by=bewerker,
        title="Ander traject",
        start_phase="verkennen",
        has_commissioner=True,
        receiving_identified=False,
    )
    before = revision(trajectory)
    services.action_create(trajectory=other, by=bewerker, description="Bellen")
    assert revision(trajectory) == before


def test_a_full_save_of_an_old_instance_does_not_put_back_an_older_revision(trajectory, bewerker):
    loaded = Trajectory.objects.get(pk=trajectory.pk)
    services.action_create(trajectory=trajectory, by=bewerker, description="Bellen")
    raised = revision(trajectory)
    loaded.commissioner = "Wethouder"
    loaded.save()
    assert revision(trajectory) > raised  # the save raised it again instead of writing the old number


def test_reordering_the_checklist_raises_the_revision(trajectory, bewerker):
    first, second = ChecklistItem.objects.filter(trajectory=trajectory, phase="verkennen").order_by("position")[:2]
    before = revision(trajectory)
    services.checklist_item_move(item=second, up=True)
    assert revision(trajectory) > before


def test_participants_added_from_either_side_raise_the_revision(trajectory):
    org = OrganisationFactory(name="Buurtteam Noord")
    before = revision(trajectory)
    trajectory.participants.add(org)
    middle = revision(trajectory)
    assert middle > before
    org.participating_trajectories.remove(trajectory)
    assert revision(trajectory) > middle


def test_trajectory_page_shows_a_change_at_once(trajectory, bewerker):
    client = client_for(bewerker)
    url = reverse("trajectories:detail", args=[trajectory.pk])
    assert "Nieuwe titel" not in client.get(url).text
    assert "Nieuwe titel" not in client.get(url).text  # from the cache now
    services.trajectory_update(
        trajectory=trajectory,
        by=bewerker,
        expected_version=trajectory.version,
        fields={"title": "Nieuwe titel"},
        participants=[],
    )
    assert "Nieuwe titel" in client.get(url).text


def test_cached_page_costs_fewer_queries_and_is_the_same(trajectory, bewerker, django_assert_max_num_queries):
    client = client_for(bewerker)
    url = reverse("trajectories:detail", args=[trajectory.pk])
    first = client.get(url)
    with django_assert_max_num_queries(6):
        second = client.get(url)
    strip = fragments.CSRF_PLACEHOLDER  # neither response may leak the placeholder
    assert strip not in first.text and strip not in second.text
    assert first.text.split("<main", 1)[1].count("<section") == second.text.split("<main", 1)[1].count("<section")


def test_renaming_an_organisation_shows_in_the_portfolio_at_once(trajectory, bewerker, municipality):
    client = client_for(bewerker)
    url = reverse("trajectories:portfolio")
    assert "Gemeente Testdam" in client.get(url).text
    municipality.name = "Gemeente Nieuwdam"
    municipality.save()
    page = client.get(url).text
    assert "Gemeente Nieuwdam" in page and "Gemeente Testdam" not in page


def test_a_new_review_light_shows_in_the_portfolio_at_once(trajectory, bewerker):
    client = client_for(bewerker)
    url = reverse("trajectories:portfolio")
    assert "light--rood" not in client.get(url).text
    review = open_review(trajectory, bewerker)
    services.review_item_set(review_item=review.items.first(), by=bewerker, colour="rood")
    services.review_finalise(review=review, by=bewerker)
    assert "light--rood" in client.get(url).text


def test_a_new_team_member_can_be_chosen_on_the_cached_review_page(trajectory, bewerker, municipality):
    review = open_review(trajectory, bewerker)
    client = client_for(bewerker)
    assert "Nieuwe Collega" not in client.get(review.get_absolute_url()).text
    MembershipFactory(
        user=UserFactory(email="nieuw@testdam.nl", full_name="Nieuwe Collega"),
        organisation=municipality,
        role=Role.BEWERKER,
    )
    assert "Nieuwe Collega" in client.get(review.get_absolute_url()).text


def test_a_renamed_colleague_shows_on_the_cached_review_page(trajectory, bewerker):
    review = open_review(trajectory, bewerker)
    services.review_update(
        review=review,
        by=bewerker,
        expected_version=review.version,
        held_on=review.held_on,
        summary="",
        other_attendees="",
        attendees=[bewerker],
    )
    client = client_for(bewerker)
    client.get(review.get_absolute_url())
    bewerker.full_name = "Bea Bewerker-de Vries"
    bewerker.save()
    assert "Bea Bewerker-de Vries" in client.get(review.get_absolute_url()).text


def test_logging_in_does_not_empty_the_cache_of_every_trajectory(trajectory, bewerker):
    before = revision(trajectory)
    response = Client().post(reverse("login"), {"username": bewerker.email, "password": "correct-horse-battery"})
    assert response.status_code == 302
    bewerker.refresh_from_db()
    assert bewerker.last_login is not None
    assert revision(trajectory) == before


def test_renamed_person_shows_in_the_stakeholder_register(trajectory, bewerker):
    person = stakeholder(trajectory, bewerker).person
    before = revision(trajectory)
    person.name = "Wethouder Pietersen"
    person.save()
    assert revision(trajectory) > before


def test_each_user_gets_their_own_csrf_token_in_a_shared_cached_part(trajectory, bewerker, municipality):
    review = open_review(trajectory, bewerker)
    colleague = MembershipFactory(
        user=UserFactory(email="collega@testdam.nl"), organisation=municipality, role=Role.BEWERKER
    ).user
    first = client_for(bewerker)
    first.get(review.get_absolute_url())  # renders and caches the body
    second = Client(enforce_csrf_checks=True)
    second.force_login(colleague)
    page = second.get(review.get_absolute_url()).text
    assert fragments.CSRF_PLACEHOLDER not in page
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    item = review.items.first()
    url = reverse("trajectories:review_item", args=[trajectory.pk, review.pk, item.pk])
    response = second.post(url, {"colour": "groen", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.colour == "groen"


def test_the_date_is_part_of_every_key(trajectory, monkeypatch):
    today = fragments.key("trajectory", trajectory.pk, 3)
    monkeypatch.setattr(fragments.timezone, "localdate", lambda: dt.date(2030, 1, 1))
    assert fragments.key("trajectory", trajectory.pk, 3) != today


def test_the_role_decides_which_cached_part_a_user_gets(trajectory, bewerker, lezer):
    url = reverse("trajectories:detail", args=[trajectory.pk])
    editor_page = client_for(bewerker).get(url).text
    reader_page = client_for(lezer).get(url).text
    edit_url = reverse("trajectories:edit", args=[trajectory.pk])
    assert edit_url in editor_page
    assert edit_url not in reader_page


def organisation_choices(client) -> list[str]:
    page = client.get(reverse("trajectories:portfolio")).text
    select = page.split('name="organisation"', 1)[1].split("</select>", 1)[0]
    return [option.split(">", 1)[1].split("<", 1)[0] for option in select.split("<option")[2:]]


def test_portfolio_filter_lists_a_new_receiving_organisation_at_once(trajectory, bewerker):
    client = client_for(bewerker)
    assert organisation_choices(client) == ["Gemeente Testdam"]
    receiving = OrganisationFactory(name="Wijkteam Zuid")
    loaded = Trajectory.objects.get(pk=trajectory.pk)
    loaded.receiving_organisation = receiving
    loaded.save()
    assert organisation_choices(client) == ["Gemeente Testdam", "Wijkteam Zuid"]


def test_portfolio_filter_shows_a_renamed_organisation_to_partners(trajectory, bewerker):
    partner = OrganisationFactory(name="Wijkteam Zuid")
    loaded = Trajectory.objects.get(pk=trajectory.pk)
    loaded.receiving_organisation = partner
    loaded.save()
    client = client_for(bewerker)
    assert "Wijkteam Zuid" in organisation_choices(client)
    partner.name = "Wijkteam Zuid-Oost"
    partner.save()
    assert "Wijkteam Zuid-Oost" in organisation_choices(client)


def test_a_participating_organisation_sees_the_trajectory_and_its_owner_at_once(trajectory):
    partner = OrganisationFactory(name="Buurtteam")
    member = MembershipFactory(user=UserFactory(email="b@buurt.nl"), organisation=partner, role=Role.LEZER).user
    client = client_for(member)
    assert organisation_choices(client) == []
    assert client.get(trajectory.get_absolute_url()).status_code == 404
    trajectory.participants.add(partner)
    assert organisation_choices(client) == ["Gemeente Testdam"]
    assert client.get(trajectory.get_absolute_url()).status_code == 200
    partner.participating_trajectories.remove(trajectory)
    assert client.get(trajectory.get_absolute_url()).status_code == 404


def test_portfolio_filter_choices_come_from_the_cache(trajectory, bewerker, django_assert_max_num_queries):
    client = client_for(bewerker)
    client.get(reverse("trajectories:portfolio"))
    with django_assert_max_num_queries(5):  # session, user, count, page; memberships and choices cached
        client.get(reverse("trajectories:portfolio"))
