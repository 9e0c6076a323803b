"""Change history (django-simple-history) on the domain models, and the per-object history page."""

import pytest
from django.urls import reverse
from django.utils import timezone

import tests.test_permissions as tp
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
    row = Trajectory.history_records.filter(id=trajectory.pk).latest("history_date")
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
        {"status": "bezig", "notes": "Eerste verkenning", "version": 1},
    )
    row = trajectory.subphase_states.get(subphase="2a").history_records.latest("history_date")
    assert row.history_user == bewerker


def test_bulk_writes_record_history(trajectory, bewerker):
    # trajectory_create bulk-inserts phase states and the first checklist; review_start its items.
    assert PhaseState.history_records.filter(trajectory_id=trajectory.pk).count() == 6
    assert ChecklistItem.history_records.filter(trajectory_id=trajectory.pk).exists()
    review = services.review_start(
        trajectory=trajectory, by=bewerker, held_on=timezone.localdate(), phases=[trajectory.current_phase]
    )
    assert ReviewItem.history_records.filter(review_id=review.pk).count() == review.items.count()


def test_queryset_updates_record_history(trajectory, bewerker):
    review = services.review_start(
        trajectory=trajectory, by=bewerker, held_on=timezone.localdate(), phases=[trajectory.current_phase]
    )
    before = Review.history_records.filter(id=review.pk).count()
    services.review_update(
        review=review,
        by=bewerker,
        expected_version=review.version,
        held_on=review.held_on,
        summary="Goed overleg",
        other_attendees="",
        attendees=[],
    )
    assert Review.history_records.filter(id=review.pk).count() == before + 1
    assert Review.history_records.filter(id=review.pk).latest("history_date").summary == "Goed overleg"


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


LINKED_PAGES = {
    # url name of a page with its own object: (args builder from the permission matrix, history slug)
    "trajectories:stakeholder": (tp.stakeholder_args, "sleutelfiguur"),
    "trajectories:team_member": (tp.team_member_args, "teamlid"),
    "trajectories:candidate": (tp.candidate_args, "kandidaat"),
    "trajectories:milestone_edit": (tp.milestone_args, "mijlpaal"),
    "trajectories:people_change_revisit": (tp.people_change_args, "wisseling"),
    "trajectories:professional_state": (tp.professional_args, "professional"),
    "trajectories:fidelity": (tp.fidelity_args, "borgingschecklist"),
    "trajectories:cfir": (tp.cfir_args, "cfir"),
    "trajectories:action": (tp.action_args, "actie"),
    "trajectories:review": (tp.review_args, "stoplicht"),
}


@pytest.mark.parametrize("name", sorted(LINKED_PAGES))
def test_object_pages_link_to_their_history_and_it_opens(name, client, trajectory, bewerker):
    args_for, kind = LINKED_PAGES[name]
    args = args_for(trajectory)
    client.force_login(bewerker)
    page = client.get(reverse(name, args=args))
    assert page.status_code == 200
    history_url = reverse("trajectories:history", args=[trajectory.pk, kind, args[-1]])
    assert history_url in page.text
    assert client.get(history_url).status_code == 200


def test_stoplight_change_adds_one_history_insert(client, trajectory, bewerker):
    review = services.review_start(
        trajectory=trajectory, by=bewerker, held_on=timezone.localdate(), phases=[trajectory.current_phase]
    )
    item = review.items.first()
    url = reverse("trajectories:review_item", args=[trajectory.pk, review.pk, item.pk])
    client.force_login(bewerker)
    client.post(url, {"colour": "groen"}, HTTP_HX_REQUEST="true")  # warm-up: the overall light changes too
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"colour": "rood"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    history_inserts = [q["sql"] for q in queries.captured_queries if 'INSERT INTO "trajectories_historical' in q["sql"]]
    # the item, and the review whose overall light went from green/grey to red: one INSERT per changed row
    assert 1 <= len(history_inserts) <= 2
    assert ReviewItem.history_records.filter(id=item.pk).latest("history_date").colour == "rood"


def test_every_tracked_model_builds_its_history_manager_class_once():
    """fii.lib.history's HistoricalRecords on every tracked model: a model importing simple-history's own would
    build a manager class on every save again (bench/light_change.py)."""
    from django.apps import apps

    from fii.lib.history import HistoryManager
    from trajectories.history import is_tracked

    tracked = [m for app in ("organisations", "trajectories") for m in apps.get_app_config(app).get_models()]
    tracked = [m for m in tracked if is_tracked(m)]
    assert ReviewItem in tracked and len(tracked) > 30
    for model in tracked:
        descriptor = model.__dict__[model._meta.simple_history_manager_attribute]
        assert descriptor.manager_class is HistoryManager, model._meta.label


def test_history_managers_share_a_class_and_stay_bound_to_their_object(trajectory, bewerker):
    review = services.review_start(
        trajectory=trajectory, by=bewerker, held_on=timezone.localdate(), phases=[trajectory.current_phase]
    )
    first, second = review.items.order_by("pk")[:2]
    services.review_item_set(review_item=first, by=bewerker, colour="rood")
    managers = first.history_records, second.history_records, ReviewItem.history_records
    assert type(managers[0]) is type(managers[1]) is type(managers[2])
    assert managers[0] is not managers[1]
    assert managers[0].instance == first and managers[1].instance == second and managers[2].instance is None
    assert [row.colour for row in managers[0].order_by("history_date")][-1] == "rood"
    assert {row.id for row in managers[0].all()} == {first.pk}
    assert {row.id for row in managers[1].all()} == {second.pk}
    assert managers[2].filter(id__in=[first.pk, second.pk]).count() == managers[0].count() + managers[1].count()
    assert managers[0].most_recent().colour == "rood"  # a HistoryManager method on the shared class
    assert [row.colour for row in managers[0].latest_of_each()] == ["rood"]  # a HistoricalQuerySet method too
