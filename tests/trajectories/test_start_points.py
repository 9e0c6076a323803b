"""Issue 19, figure 2: every trajectory reaches the plan of approach and the ownership balance whatever its start
phase, and its page shows the points of attention of its start point.

Why a phase-3 start left them out of reach: the plan and the balance were linked only from phase 2's page, which
such a trajectory skips, and the balance counts the receiving side only once a receiving organisation is recorded,
which only 2b's choice does. The trajectory page now carries both, and says how to record the organisation.
"""

import pytest
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from fii.model import RECORD_RECEIVING, START_POINTS, recommended_start_phase, start_point
from organisations.models import Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, make_trajectory
from trajectories import selectors, services

CELLS = sorted(START_POINTS)  # (has_commissioner, receiving_identified)


def dutch(text) -> str:
    with translation.override("nl"):
        return str(text)


@pytest.fixture
def started(request, municipality, bewerker):
    has_commissioner, receiving_identified = request.param
    phase = recommended_start_phase(has_commissioner=has_commissioner, receiving_identified=receiving_identified)
    return make_trajectory(
        owner=municipality,
        by=bewerker,
        start_phase=phase,
        has_commissioner=has_commissioner,
        receiving_identified=receiving_identified,
    )


def test_every_cell_of_figure_2_has_points_and_a_source():
    assert len(START_POINTS) == 4
    assert [cell for cell in CELLS if START_POINTS[cell].in_figure] == [(False, False), (True, False), (True, True)]
    for point in START_POINTS.values():
        assert point.points and "Handreiking" in str(point.source)


def cell_id(cell) -> str:
    return f"commissioned-{cell[0]}-identified-{cell[1]}"


@pytest.mark.parametrize("started", CELLS, indirect=True, ids=cell_id)
def test_trajectory_page_links_plan_and_balance_and_shows_its_points_of_attention(client, bewerker, started):
    client.force_login(bewerker)
    page = client.get(started.get_absolute_url())
    plan_url = reverse("trajectories:plan", args=[started.pk])
    assertContains(page, f'href="{plan_url}"')
    assertContains(page, 'id="ownership-heading"')
    point = start_point(has_commissioner=started.has_commissioner, receiving_identified=started.receiving_identified)
    for text in point.points:
        assertContains(page, dutch(text))
    assertContains(page, dutch(point.source))
    # The plan page itself works whatever the start phase, and a task can be planned on it.
    assert client.get(plan_url).status_code == 200
    response = client.post(
        reverse("trajectories:plan_task_create", args=[started.pk]), {"task-description": "Kick-off plannen"}
    )
    assert response.status_code == 302
    assert started.actions.filter(description="Kick-off plannen").exists()


def test_a_phase_3_start_gets_a_receiving_side_in_the_balance_once_recorded(client, municipality, beheerder, bewerker):
    trajectory = make_trajectory(
        owner=municipality, by=bewerker, start_phase="innoveren", has_commissioner=True, receiving_identified=True
    )
    assert trajectory.phase_states.get(phase="verkennen").status == "overgeslagen"
    client.force_login(bewerker)
    page = client.get(trajectory.get_absolute_url())
    assertContains(page, "ownership-card__no-receiving")
    assertContains(page, reverse("trajectories:shortlist", args=[trajectory.pk]))
    assertContains(page, dutch(RECORD_RECEIVING))
    receiving = OrganisationFactory(name="Stichting Aanzet Demo")
    candidate = services.candidate_add(trajectory=trajectory, by=bewerker, organisation=receiving)
    services.candidate_choose(candidate=candidate, by=beheerder, rationale="Was de opdrachtgever al.")
    trajectory.refresh_from_db()
    member = MembershipFactory(
        user=UserFactory(email="uitvoerder@aanzet.example"), organisation=receiving, role=Role.BEWERKER
    ).user
    services.action_create(trajectory=trajectory, by=bewerker, description="Huisbezoeken plannen", assignee=member)
    assert selectors.ownership_balance(trajectory).receiving == 1
    page = client.get(trajectory.get_absolute_url())
    assertNotContains(page, "ownership-card__no-receiving")
    assertNotContains(page, dutch(RECORD_RECEIVING))  # recorded: the point of attention is done
    assertContains(page, "1 ontvangend")
