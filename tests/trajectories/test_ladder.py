"""Issue 19: level 0 on the effectiveness ladder, more databases (with "other") and the recognition level of
the Erkenningscommissie, recorded with its date on a version of the method description."""

from django.urls import reverse
from pytest_django.asserts import assertContains

from fii.model import EffectivenessLevel, InterventionDatabase, RecognitionLevel

BASE = {
    "goal": "Schoolprestaties van jonge kinderen verbeteren",
    "target_group": "Ouders van kinderen in groep 1 tot en met 4",
    "approach": "Huisbezoeken",
    "components": "Bezoekt het gezin thuis",
    "effectiveness": "impliciet",
    "registration_status": "niet_aangemeld",
    "recognition": "geen",
    "based_on": "",
}


def test_ladder_starts_at_implicit_knowledge_and_databases_include_other():
    assert EffectivenessLevel.values[0] == "impliciet"
    assert set(InterventionDatabase.values) >= {
        "nji",
        "movisie",
        "loket_gezond_leven",
        "justitiele_interventies",
        "anders",
    }
    assert RecognitionLevel.values == [
        "geen",
        "goed_onderbouwd",
        "eerste_aanwijzingen",
        "goede_aanwijzingen",
        "sterke_aanwijzingen",
    ]


def test_other_database_needs_its_name_and_a_recognition_needs_its_date(client, bewerker, trajectory):
    client.force_login(bewerker)
    url = reverse("trajectories:method_edit", args=[trajectory.pk])
    page = client.get(url)
    assertContains(page, "Impliciete kennis (niveau 0)")
    assertContains(page, "Loket Gezond Leven")
    refused = client.post(url, {**BASE, "database": "anders", "recognition": "eerste_aanwijzingen"})
    assert refused.status_code == 400
    assertContains(refused, "Noem de databank.", status_code=400)
    assertContains(refused, "Geef de datum van de erkenning.", status_code=400)
    assertContains(refused, "Ouders van kinderen in groep 1 tot en met 4", status_code=400)  # input kept
    assert not trajectory.method_versions.exists()
    data = {
        **BASE,
        "database": "nji",
        "registration_status": "opgenomen",
        "registration_date": "2021-05-01",
        "recognition": "eerste_aanwijzingen",
        "recognition_date": "2021-05-01",
    }
    assert client.post(url, data).status_code == 302
    version = trajectory.method_versions.get()
    assert (version.effectiveness, version.recognition) == ("impliciet", "eerste_aanwijzingen")
    shown = client.get(reverse("trajectories:method", args=[trajectory.pk]))
    assertContains(shown, "Effectief volgens eerste aanwijzingen (1 mei 2021)")
    assertContains(shown, "Impliciete kennis (niveau 0)")


def test_a_recognition_needs_a_database(client, bewerker, trajectory):
    client.force_login(bewerker)
    url = reverse("trajectories:method_edit", args=[trajectory.pk])
    data = {**BASE, "database": "geen", "recognition": "goed_onderbouwd", "recognition_date": "2022-01-01"}
    refused = client.post(url, data)
    assert refused.status_code == 400
    assertContains(refused, "Kies de databank waarin de interventie is erkend.", status_code=400)
