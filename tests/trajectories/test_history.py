"""Change history (django-simple-history) on the domain models, and the per-object history page."""

from django.urls import reverse
from django.utils import timezone

from tests.factories import OrganisationFactory
from trajectories import services
from trajectories.models import ChecklistItem, PhaseState, Review, ReviewItem, Trajectory


def test_editing_a_trajectory_records_who_and_what_and_the_page_shows_it_in_dutch(client, trajectory, bewerker):
    client.force_login(bewerker)
    services.trajectory_update(
        trajectory=trajectory,
        by=bewerker,
        expected_version=trajectory.version,
        fields={"title": "Schuldhulp Later", "status": "gepauzeerd"},
        participants=[],
    )
    row = Trajectory.revisions.filter(id=trajectory.pk).latest("history_date")
    assert row.title == "Schuldhulp Later"
    response = client.get(reverse("trajectories:history", args=[trajectory.pk, "traject", trajectory.pk]))
    assert response.status_code == 200
    text = response.text
    assert "Titel" in text and "Schuldhulp Vroeg" in text and "Schuldhulp Later" in text
    assert "Gepauzeerd" in text  # the display value of the choice, not the code


def test_history_user_is_set_from_the_request(client, trajectory, bewerker):
    client.force_login(bewerker)
    client.post(
        reverse("trajectories:subphase_edit", args=[trajectory.pk, "2a"]),
        {"status": "bezig", "notes": "Eerste verkenning"},
    )
    row = trajectory.subphase_states.get(subphase="2a").revisions.latest("history_date")
    assert row.history_user == bewerker


def test_bulk_writes_record_history(trajectory, bewerker):
    # trajectory_create bulk-inserts phase states and the first checklist; review_start its items.
    assert PhaseState.revisions.filter(trajectory_id=trajectory.pk).count() == 6
    assert ChecklistItem.revisions.filter(trajectory_id=trajectory.pk).exists()
    review = services.review_start(
        trajectory=trajectory, by=bewerker, held_on=timezone.localdate(), phases=[trajectory.current_phase]
    )
    assert ReviewItem.revisions.filter(review_id=review.pk).count() == review.items.count()


def test_queryset_updates_record_history(trajectory, bewerker):
    review = services.review_start(
        trajectory=trajectory, by=bewerker, held_on=timezone.localdate(), phases=[trajectory.current_phase]
    )
    before = Review.revisions.filter(id=review.pk).count()
    services.review_update(
        review=review,
        by=bewerker,
        expected_version=review.version,
        held_on=review.held_on,
        summary="Goed overleg",
        other_attendees="",
        attendees=[],
    )
    assert Review.revisions.filter(id=review.pk).count() == before + 1
    assert Review.revisions.filter(id=review.pk).latest("history_date").summary == "Goed overleg"


def test_history_of_an_object_of_another_trajectory_is_404(client, trajectory, bewerker, outsider, outsider_org):
    from tests.factories import make_trajectory

    other = make_trajectory(owner=outsider_org, by=outsider, title="Elders")
    action = services.action_create(trajectory=other, by=outsider, description="Geheim")
    client.force_login(bewerker)
    assert client.get(reverse("trajectories:history", args=[trajectory.pk, "actie", action.pk])).status_code == 404
    assert client.get(reverse("trajectories:history", args=[other.pk, "actie", action.pk])).status_code == 404
    assert client.get(reverse("trajectories:history", args=[trajectory.pk, "onbekend", 1])).status_code == 404


def test_history_of_an_action_shows_changes_newest_first(client, trajectory, bewerker):
    action = services.action_create(trajectory=trajectory, by=bewerker, description="Bellen")
    services.action_close(action=action, by=bewerker, note="Gebeld", expected_version=action.version)
    client.force_login(bewerker)
    response = client.get(reverse("trajectories:history", args=[trajectory.pk, "actie", action.pk]))
    text = response.text
    assert text.index("Gewijzigd") < text.index("Aangemaakt")
    assert "Gebeld" in text


def test_history_page_is_linked_from_the_main_pages(client, trajectory, bewerker):
    action = services.action_create(trajectory=trajectory, by=bewerker, description="Bellen")
    review = services.review_start(
        trajectory=trajectory, by=bewerker, held_on=timezone.localdate(), phases=[trajectory.current_phase]
    )
    client.force_login(bewerker)
    pages = {
        trajectory.get_absolute_url(): ("traject", trajectory.pk),
        reverse("trajectories:action", args=[trajectory.pk, action.pk]): ("actie", action.pk),
        review.get_absolute_url(): ("stoplicht", review.pk),
    }
    for url, (kind, pk) in pages.items():
        assert reverse("trajectories:history", args=[trajectory.pk, kind, pk]) in client.get(url).text, url


def test_history_page_stays_within_the_query_budget(client, trajectory, bewerker, django_assert_max_num_queries):
    for n in range(5):
        services.trajectory_update(
            trajectory=trajectory,
            by=bewerker,
            expected_version=trajectory.version,
            fields={"title": f"Titel {n}", "receiving_organisation": OrganisationFactory(name=f"Ontvanger {n}")},
            participants=[],
        )
    client.force_login(bewerker)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("trajectories:history", args=[trajectory.pk, "traject", trajectory.pk]))
    assert response.status_code == 200
    assert "Ontvanger 4" in response.text
