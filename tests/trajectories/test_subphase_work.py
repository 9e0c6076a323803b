"""Issue 19: subphase statuses follow the work. A subphase with recorded work shows as in progress, and the
page suggests "completed" when its tools hold what its completion asks; only the team sets it."""

import datetime as dt

from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from organisations.models import Organisation
from trajectories import services
from trajectories.models import SubphaseState
from trajectories.selectors_phases import subphase_work


def add_candidate(trajectory, by, name):
    return services.candidate_add(trajectory=trajectory, by=by, organisation=Organisation.objects.create(name=name))


def status(trajectory, code):
    return SubphaseState.objects.get(trajectory=trajectory, subphase=code).status


def test_a_shortlist_puts_2a_in_progress_and_a_second_candidate_suggests_completion(client, bewerker, trajectory):
    url = reverse("trajectories:phase", args=[trajectory.pk, "verkennen"])
    client.force_login(bewerker)
    assert not subphase_work(trajectory, "verkennen")["2a"]["recorded"]
    add_candidate(trajectory, bewerker, "Welzijn Noord")
    work = subphase_work(trajectory, "verkennen")["2a"]
    assert work["recorded"] and not work["complete"]
    page = client.get(url)
    assertContains(page, "Bezig omdat er werk voor is vastgelegd")
    assertNotContains(page, "Bevestigen: 2a afgerond")
    add_candidate(trajectory, bewerker, "Stichting Zuid")
    page = client.get(url)
    assertContains(page, "Klaar om af te ronden?")
    assertContains(page, "Bevestigen: 2a afgerond")
    assert status(trajectory, "2a") == "niet_gestart"  # nothing is set behind the team's back
    version = trajectory.subphase_states.get(subphase="2a").version
    response = client.post(
        reverse("trajectories:subphase_edit", args=[trajectory.pk, "2a"]), {"status": "afgerond", "version": version}
    )
    assert response.status_code == 302
    assert status(trajectory, "2a") == "afgerond"
    assertNotContains(client.get(url), "Bevestigen: 2a afgerond")


def test_ongoing_subphases_show_progress_but_never_a_completion_suggestion(trajectory, bewerker):
    stakeholder = services.stakeholder_add(
        trajectory=trajectory,
        by=bewerker,
        person_fields={"name": "Wethouder Jansen"},
        side="derden",
        level="wethouder",
        influence=5,
        support="neutraal",
        desired_support="steunend",
    )
    services.contact_record(stakeholder=stakeholder, by=bewerker, date=dt.date(2026, 10, 1), kind="gesprek")
    work = subphase_work(trajectory, "versterken")
    assert work["4b"] == {"recorded": True, "complete": False, "basis": work["4b"]["basis"]}
    assert work["4a"]["recorded"] and not work["4a"]["complete"]  # no key figure on both sides yet


def test_phase_1_fields_make_1b_in_progress_and_complete_when_all_four_are_there(client, bewerker, trajectory):
    assignment = trajectory.assignment
    assignment.innovation_question = "Hoe bereiken we gezinnen met schulden eerder?"
    assignment.save()
    work = subphase_work(trajectory, "signaleren")
    assert work["1b"]["recorded"] and not work["1b"]["complete"]
    assignment.goal, assignment.target_group, assignment.problem_definition = "Eerder hulp", "Gezinnen", "Te laat"
    assignment.save()
    assert subphase_work(trajectory, "signaleren")["1b"]["complete"]
    # This trajectory started in phase 2, so 1b was skipped: a skipped subphase gets no suggestion.
    client.force_login(bewerker)
    page = client.get(reverse("trajectories:phase", args=[trajectory.pk, "signaleren"]))
    assertNotContains(page, "Bevestigen: 1b")
    trajectory.subphase_states.filter(subphase="1b").update(status="niet_gestart")
    page = client.get(reverse("trajectories:phase", args=[trajectory.pk, "signaleren"]))
    assertContains(page, "Bevestigen: 1b")


def test_phase_pages_stay_within_their_query_budget(client, lezer, trajectory, bewerker, django_assert_max_num_queries):
    add_candidate(trajectory, bewerker, "Welzijn Noord")
    client.force_login(lezer)
    for phase in ("signaleren", "verkennen", "innoveren", "versterken", "implementeren", "borgen"):
        with django_assert_max_num_queries(40):
            assert client.get(reverse("trajectories:phase", args=[trajectory.pk, phase])).status_code == 200
