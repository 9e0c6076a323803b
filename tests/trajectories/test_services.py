import pytest

from tests.factories import make_trajectory
from trajectories import services
from trajectories.models import PhaseState, PhaseTransition, Progress, SubphaseState


def statuses(trajectory):
    return dict(PhaseState.objects.filter(trajectory=trajectory).values_list("phase", "status"))


def test_create_marks_earlier_phases_skipped_and_starts_the_start_phase(municipality, bewerker):
    t = make_trajectory(owner=municipality, by=bewerker, start_phase="innoveren")
    assert statuses(t) == {
        "signaleren": "overgeslagen",
        "verkennen": "overgeslagen",
        "innoveren": "bezig",
        "versterken": "niet_gestart",
        "implementeren": "niet_gestart",
        "borgen": "niet_gestart",
    }
    assert t.current_phase == "innoveren"
    assert SubphaseState.objects.filter(trajectory=t).count() == 15
    assert set(
        SubphaseState.objects.filter(trajectory=t, subphase__in=["1a", "2c"]).values_list("status", flat=True)
    ) == {"overgeslagen"}
    start = t.transitions.get()
    assert (start.from_phase, start.to_phase, start.created_by) == ("", "innoveren", bewerker)
    assert start.is_start


def test_moving_forward_with_completion_records_history(trajectory, bewerker):
    transition = services.trajectory_move(
        trajectory=trajectory,
        by=bewerker,
        reason="Wijkteam gekozen",
        to_phase="innoveren",
        complete_current=True,
        open_points_confirmed=True,  # its checklist is not assessed yet
        completion_note="Beide organisaties zijn eigenaar.",
    )
    trajectory.refresh_from_db()
    assert trajectory.current_phase == "innoveren"
    assert statuses(trajectory)["verkennen"] == "afgerond"
    assert statuses(trajectory)["innoveren"] == "bezig"
    assert PhaseState.objects.get(trajectory=trajectory, phase="verkennen").completion_note.startswith("Beide")
    assert (transition.from_phase, transition.to_phase, transition.direction) == (
        "verkennen",
        "innoveren",
        "forward",
    )
    assert transition.from_status == Progress.AFGEROND


def test_going_back_reopens_a_completed_phase(trajectory, bewerker):
    services.trajectory_move(
        trajectory=trajectory,
        by=bewerker,
        reason="r",
        to_phase="innoveren",
        complete_current=True,
        open_points_confirmed=True,  # its checklist is not assessed yet
        completion_note="n",
    )
    back = services.trajectory_move(trajectory=trajectory, by=bewerker, reason="Nieuwe directeur", to_phase="verkennen")
    assert back.direction == "back"
    assert back.is_reopening
    assert statuses(trajectory)["verkennen"] == "bezig"
    assert statuses(trajectory)["innoveren"] == "bezig"  # left without completing: still in progress
    assert PhaseState.objects.get(trajectory=trajectory, phase="verkennen").completed_at is None


def test_completing_without_moving(trajectory, bewerker):
    t = services.trajectory_move(
        trajectory=trajectory,
        by=bewerker,
        reason="Klaar",
        to_phase=None,
        complete_current=True,
        open_points_confirmed=True,  # its checklist is not assessed yet
        completion_note="ok",
    )
    assert t.is_completion_only
    assert statuses(trajectory)["verkennen"] == "afgerond"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"reason": " ", "to_phase": "innoveren"},
        {"reason": "x", "to_phase": None},
        {"reason": "x", "to_phase": "verkennen"},
        {"reason": "x", "to_phase": "nergens"},
    ],
)
def test_invalid_moves_are_refused(trajectory, bewerker, kwargs):
    with pytest.raises(services.TransitionError):
        services.trajectory_move(trajectory=trajectory, by=bewerker, **kwargs)
    assert trajectory.transitions.count() == 1


def test_transitions_are_append_only(trajectory):
    row = PhaseTransition.objects.get(trajectory=trajectory)
    row.reason = "herschreven"
    with pytest.raises(ValueError, match="append-only"):
        row.save()
    with pytest.raises(ValueError, match="append-only"):
        row.delete()


def test_assignment_update_writes_commissioner_on_trajectory(trajectory, bewerker):
    services.assignment_update(
        trajectory=trajectory, by=bewerker, commissioner="Wethouder Zorg", fields={"goal": "Minder schulden"}
    )
    trajectory.refresh_from_db()
    assert trajectory.commissioner == "Wethouder Zorg"
    assert trajectory.assignment.goal == "Minder schulden"
    assert trajectory.assignment.updated_by == bewerker
