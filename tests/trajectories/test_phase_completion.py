"""Issue 19: completing a phase whose checklist still has red, orange or unassessed points asks for
confirmation and records those points in the transition; nothing is completed behind the team's back."""

import datetime as dt

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from trajectories import services
from trajectories.models import ChecklistItem, PhaseState
from trajectories.selectors_phases import phase_open_points
from trajectories.services.trajectories import TransitionError


def light_all(trajectory, by, colours: dict[int, str]):
    """One finalised review of the current phase: the given positions get a light, the rest green."""
    review = services.review_start(
        trajectory=trajectory, by=by, held_on=dt.date(2026, 10, 1), phases=[trajectory.current_phase]
    )
    for n, row in enumerate(review.items.order_by("position"), start=1):
        services.review_item_set(review_item=row, by=by, colour=colours.get(n, "groen"))
    services.review_finalise(review=review, by=by)
    return review


def test_open_points_are_the_items_not_green_in_their_latest_review(trajectory, bewerker):
    items = list(ChecklistItem.objects.filter(trajectory=trajectory, phase="verkennen").order_by("position"))
    assert len(items) >= 3
    assert len(phase_open_points(trajectory, "verkennen")) == len(items)  # nothing assessed yet
    light_all(trajectory, bewerker, {1: "rood", 2: "oranje"})
    points = phase_open_points(trajectory, "verkennen")
    assert [(p["text"], p["colour"]) for p in points] == [(items[0].text, "rood"), (items[1].text, "oranje")]


def test_completing_with_a_red_item_needs_confirmation_and_keeps_the_points(trajectory, bewerker):
    light_all(trajectory, bewerker, {1: "rood"})
    red = ChecklistItem.objects.filter(trajectory=trajectory, phase="verkennen").order_by("position").first()
    with pytest.raises(TransitionError):
        services.trajectory_move(
            trajectory=trajectory, by=bewerker, reason="Door", to_phase="innoveren", complete_current=True
        )
    assert PhaseState.objects.get(trajectory=trajectory, phase="verkennen").status == "bezig"
    transition = services.trajectory_move(
        trajectory=trajectory,
        by=bewerker,
        reason="Door",
        to_phase="innoveren",
        complete_current=True,
        open_points_confirmed=True,
    )
    assert transition.open_points == f"Rood: {red.text}"


def test_all_green_completes_without_a_question_and_moving_on_records_nothing(trajectory, bewerker):
    light_all(trajectory, bewerker, {})
    done = services.trajectory_move(
        trajectory=trajectory, by=bewerker, reason="Klaar", to_phase="innoveren", complete_current=True
    )
    assert done.open_points == ""
    back = services.trajectory_move(trajectory=trajectory, by=bewerker, reason="Terug", to_phase="verkennen")
    assert back.open_points == ""  # not completing: no question, nothing recorded


def test_the_form_shows_the_open_points_asks_to_confirm_and_the_timeline_keeps_them(client, bewerker, trajectory):
    light_all(trajectory, bewerker, {1: "rood", 3: "oranje"})
    red = ChecklistItem.objects.filter(trajectory=trajectory, phase="verkennen").order_by("position").first()
    client.force_login(bewerker)
    url = reverse("trajectories:transition", args=[trajectory.pk])
    page = client.get(url)
    assertContains(page, "1 rood, 1 oranje, 0 niet beoordeeld")
    assertContains(page, red.text)
    data = {"to_phase": "innoveren", "complete_current": "on", "completion_note": "Getekend", "reason": "Akkoord"}
    refused = client.post(url, data)  # the form comes back (200, as this form always did) with the error
    assert "confirm_open_points" in refused.context["form"].errors
    assertContains(refused, "Bevestig dat u de fase toch afrondt")
    assertContains(refused, "Getekend")  # the input is kept
    trajectory.refresh_from_db()
    assert trajectory.current_phase == "verkennen"
    assert client.post(url, {**data, "confirm_open_points": "on"}).status_code == 302
    transition = trajectory.transitions.first()
    assert transition.open_points.splitlines()[0] == f"Rood: {red.text}"
    detail = client.get(trajectory.get_absolute_url())
    assertContains(detail, "Afgerond met open punten:")
    assertContains(detail, f"Rood: {red.text}")
