"""Issue 19: the demo cases say what the handreiking says about them (target group, partners, databank and
recognition level, the key figures the case stresses). README and ``_sources`` in fixtures/demo.json say what is
taken from the handreiking and what is invented."""

import json
from pathlib import Path

from django.conf import settings

from trajectories.models import Trajectory

CASES = ("Samen Leren", "Amigo's", "Children's Zone", "Vindplaats Schulden", "Moeders van Rotterdam")


def test_samen_leren_is_home_visits_for_parents_of_groups_1_to_4_recognised_in_the_nji_databank(demo_data):
    trajectory = Trajectory.objects.get(title="Samen Leren")
    method = trajectory.method_versions.order_by("-number").first()
    assert "groep 1 tot en met 4" in method.target_group and "Ouders" in method.target_group
    assert "aan huis" in trajectory.intervention_name
    assert (method.database, method.recognition) == ("nji", "eerste_aanwijzingen")
    assert trajectory.receiving_organisation.name == "Stichting Aanzet"


def test_amigos_are_youth_care_workers_at_school_for_children_of_8_to_13(demo_data):
    trajectory = Trajectory.objects.get(title="Amigo's")
    assert "8 tot 13" in trajectory.intervention_name and "op school" in trajectory.intervention_name
    text = " ".join(c.motivation for c in trajectory.candidates.all())
    assert "maatje" not in text.lower() and "vrijwilliger" not in text.lower()


def test_children_zone_teaches_parents_money_parenting_health_and_work(demo_data):
    name = Trajectory.objects.get(title="Children's Zone").intervention_name
    assert all(word in name for word in ("ouders", "geld", "opvoeding", "gezondheid", "werk"))


def test_vindplaats_schulden_finds_arrears_at_the_four_sources_the_handreiking_names(demo_data):
    question = Trajectory.objects.get(title="Vindplaats Schulden").assignment.innovation_question
    for source in ("wooncorporaties", "energiemaatschappijen", "zorgverzekeraars", "gemeentelijke belastingen"):
        assert source in question


def test_moeders_van_rotterdam_counts_several_wethouders_among_its_key_figures(demo_data):
    trajectory = Trajectory.objects.get(title="Moeders van Rotterdam")
    wethouders = trajectory.stakeholders.filter(level="wethouder", influence__gte=4)
    assert wethouders.count() >= 2


def test_every_case_says_what_is_sourced_and_what_is_invented():
    data = json.loads((Path(settings.BASE_DIR) / "fixtures" / "demo.json").read_text(encoding="utf-8"))
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    for case in CASES:
        assert "Invented:" in data["_sources"][case]
        assert f"| {case} |" in readme
