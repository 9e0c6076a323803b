import pytest

from fii.model import PHASE_OF_SUBPHASE, PHASES, Phase, Subphase, recommended_start_phase


def test_six_phases_and_fifteen_subphases_in_model_order():
    assert [p.code for p in PHASES] == list(Phase)
    assert [p.number for p in PHASES] == [1, 2, 3, 4, 5, 6]
    assert [s.code for p in PHASES for s in p.subphases] == list(Subphase)
    assert len(PHASE_OF_SUBPHASE) == 15


def test_every_phase_and_subphase_has_goal_question_and_criterion():
    for phase in PHASES:
        assert str(phase.goal) and str(phase.completion_criterion)
        for sub in phase.subphases:
            assert sub.code.startswith(str(phase.number))
            assert str(sub.goal) and sub.guiding_questions and str(sub.activities)
            assert sub.phase == phase.code


@pytest.mark.parametrize(
    ("has_commissioner", "receiving_identified", "expected"),
    [
        (True, True, Phase.INNOVEREN),  # figure 2: skip phases 1 and 2
        (True, False, Phase.VERKENNEN),  # figure 2: skip phase 1
        (False, False, Phase.VERKENNEN),  # figure 2: signal from practice, skip phase 1
        (False, True, Phase.VERKENNEN),  # not in the figure: ownership still has to be shared
    ],
)
def test_recommended_start_phase_follows_figure_2(has_commissioner, receiving_identified, expected):
    assert (
        recommended_start_phase(has_commissioner=has_commissioner, receiving_identified=receiving_identified)
        == expected
    )
