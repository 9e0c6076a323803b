"""Issue 19: subphase statuses follow the work. A subphase with recorded work shows as in progress, and the
page suggests "completed" when its tools hold what its completion asks; only the team sets it."""

import datetime as dt
import io

from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from organisations.models import Organisation
from tests.factories import make_trajectory
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
    assert status(trajectory, "2a") == "bezig"  # stored: every page and report shows it, not only this one
    page = client.get(url)
    assertNotContains(page, "Bevestigen: 2a afgerond")
    add_candidate(trajectory, bewerker, "Stichting Zuid")
    page = client.get(url)
    assertContains(page, "Klaar om af te ronden?")
    assertContains(page, "Bevestigen: 2a afgerond")
    assert status(trajectory, "2a") == "bezig"  # "afgerond" is never set behind the team's back
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


# Issue 19: "bezig" is stored when work is recorded -----------------------------------------------------------


def test_filling_in_phase_1_stores_1a_to_1c_as_in_progress_never_completed(municipality, bewerker):
    trajectory = make_trajectory(owner=municipality, by=bewerker, start_phase="signaleren", commissioner="")
    assert [status(trajectory, code) for code in ("1a", "1b", "1c")] == ["niet_gestart"] * 3
    fields = {"innovation_question": "Hoe eerder?", "goal": "Eerder hulp", "target_group": "Gezinnen"}
    fields.update({"problem_definition": "Te laat", "budget": 50000, "scale": "Twee wijken"})
    services.assignment_update(trajectory=trajectory, by=bewerker, commissioner="Wethouder Schuldhulp", fields=fields)
    assert [status(trajectory, code) for code in ("1a", "1b", "1c")] == ["bezig"] * 3
    state = SubphaseState.objects.get(trajectory=trajectory, subphase="1b")
    assert state.updated_by == bewerker
    assert state.history_records.filter(status="bezig").exists()  # the change is in the history
    assert subphase_work(trajectory, "signaleren")["1b"]["complete"]  # complete, yet only suggested


def test_contacts_put_4b_and_evaluations_put_6b_in_progress(trajectory, bewerker):
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
    assert status(trajectory, "4b") == "niet_gestart"
    services.contact_record(stakeholder=stakeholder, by=bewerker, date=dt.date(2026, 10, 1), kind="gesprek")
    assert (status(trajectory, "4a"), status(trajectory, "4b")) == ("bezig", "bezig")
    services.evaluation_record(trajectory=trajectory, by=bewerker, held_on=dt.date(2026, 10, 2), findings="Goed")
    assert status(trajectory, "6b") == "bezig"
    assert status(trajectory, "6a") == "niet_gestart"  # nothing recorded for it


def test_work_never_changes_a_skipped_or_completed_subphase(client, trajectory, bewerker):
    # The trajectory started in phase 2, so phase 1's subphases were skipped: the team's decision stays.
    services.assignment_update(
        trajectory=trajectory, by=bewerker, commissioner="Wethouder", fields={"innovation_question": "Hoe eerder?"}
    )
    assert status(trajectory, "1b") == "overgeslagen"
    services.subphase_update(trajectory=trajectory, subphase="2a", by=bewerker, status="afgerond", notes="")
    add_candidate(trajectory, bewerker, "Welzijn Noord")
    assert status(trajectory, "2a") == "afgerond"


def test_the_upgrade_command_marks_work_recorded_before_statuses_were_stored(municipality, bewerker):
    trajectory = make_trajectory(owner=municipality, by=bewerker, start_phase="signaleren", commissioner="")
    fields = {"innovation_question": "Hoe eerder?", "goal": "Eerder hulp", "target_group": "Gezinnen"}
    services.assignment_update(trajectory=trajectory, by=bewerker, commissioner="Wethouder", fields=fields)
    # As an installation from before stored statuses has it: the work is there, the status is not.
    SubphaseState.objects.filter(trajectory=trajectory).update(status="niet_gestart")
    SubphaseState.objects.filter(trajectory=trajectory, subphase="1c").update(status="overgeslagen")
    out = io.StringIO()
    call_command("follow_subphase_work", stdout=out)
    assert (status(trajectory, "1a"), status(trajectory, "1b")) == ("bezig", "bezig")
    assert status(trajectory, "1c") == "overgeslagen"  # the team's decision stays
    assert status(trajectory, "2a") == "niet_gestart"  # nothing recorded for it
    assert out.getvalue().startswith("2 subphase(s)")
    out = io.StringIO()
    call_command("follow_subphase_work", stdout=out)
    assert out.getvalue().startswith("0 subphase(s)")  # safe to run again
