"""Issue 19, figure 3: the financing structure is no exclusion criterion. The figure-3 question per structure stays,
and its answer says what the implementation process needs (bridge financing, structural funding talks, …); the
comparison shows that, never a yes/partly/no score. Existing financing ratings move without loss (migration 0022).
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from pytest_django.asserts import assertContains

from fii.model import SHORTLIST_CRITERIA, Criterion, FinancingNeed
from organisations.models import Organisation
from tests.factories import OrganisationFactory
from trajectories import services


@pytest.fixture
def funded_externally(trajectory, bewerker):
    organisation = OrganisationFactory(
        name="Stichting Buurtkracht", kind=Organisation.Kind.STICHTING, financing="extern"
    )
    return services.candidate_add(trajectory=trajectory, by=bewerker, organisation=organisation)


def assess_data(candidate, **extra):
    """The assessment form as posted, with the candidate's version as the form loaded it (conflict-safe)."""
    data = {f"answer_{code}": "onbekend" for code in Criterion.values}
    data.update({"financing": "extern", "financing_need": "onbekend", "financing_note": ""})
    data["version"] = candidate.version
    data.update(extra)
    return data


def test_financing_is_not_among_the_scored_criteria():
    assert "financiering" not in Criterion.values
    assert all(spec.code != "financiering" for spec in SHORTLIST_CRITERIA)


def test_assessing_records_what_the_process_needs_and_no_financing_score(
    client, trajectory, bewerker, funded_externally
):
    client.force_login(bewerker)
    url = reverse("trajectories:candidate_assess", args=[trajectory.pk, funded_externally.pk])
    form_page = client.get(url)
    # The figure-3 question for an externally funded organisation stays on the form.
    assertContains(form_page, "Wie financiert de organisatie")
    response = client.post(
        url,
        assess_data(
            funded_externally, financing_need="overbrugging", financing_note="  Fonds wil eerst resultaten zien.  "
        ),
    )
    assert response.status_code == 302
    funded_externally.refresh_from_db()
    assert funded_externally.financing_need == FinancingNeed.OVERBRUGGING
    assert funded_externally.financing_note == "Fonds wil eerst resultaten zien."
    assert not funded_externally.ratings.filter(criterion="financiering").exists()
    detail = client.get(funded_externally.get_absolute_url())
    assertContains(detail, "Overbruggingsfinanciering tussen ontwikkeling en implementatie")


def test_an_unknown_process_need_is_refused_next_to_the_field_with_the_input_kept(
    client, trajectory, bewerker, funded_externally
):
    client.force_login(bewerker)
    url = reverse("trajectories:candidate_assess", args=[trajectory.pk, funded_externally.pk])
    response = client.post(
        url, assess_data(funded_externally, financing_need="uitsluiten", financing_note="Mijn notitie")
    )
    assertContains(response, "Selecteer een geldige keuze", status_code=400)
    assertContains(response, "Mijn notitie", status_code=400)


def test_comparison_shows_the_process_need_per_candidate_not_a_score(
    client, trajectory, bewerker, lezer, funded_externally
):
    statutory = services.candidate_add(
        trajectory=trajectory,
        by=bewerker,
        organisation=OrganisationFactory(name="Welzijn Noord", kind=Organisation.Kind.WELZIJN, financing="wettelijk"),
    )
    services.candidate_rate(
        candidate=funded_externally, by=bewerker, facts={"financing_need": "financiers"}, ratings={}
    )
    services.candidate_rate(candidate=statutory, by=bewerker, facts={"financing_need": "structureel"}, ratings={})
    client.force_login(lezer)
    page = client.get(reverse("trajectories:shortlist_compare", args=[trajectory.pk])).content.decode()
    row = page[page.index("financing-need--") - 400 :]
    assert "Gesprekken met de financiers" in page and "Gesprekken over structurele financiering" in page
    # Each candidate's figure-3 question follows its structure.
    assert "Wie financiert de organisatie" in page and "Begrijpt de organisatie de visie" in page
    # The financing row carries no yes/partly/no mark.
    financing_cells = row[: row.index("</tr>")]
    assert "check--" not in financing_cells


def migrate(targets):
    """Migrate trajectories to ``targets`` with organisations at its newest state (its rows need all its fields)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets + [key for key in executor.loader.graph.leaf_nodes() if key[0] == "organisations"]
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.migrations
@pytest.mark.django_db(transaction=True)
def test_migration_moves_financing_ratings_onto_the_candidate_without_loss():
    before = [("trajectories", "0019_edit_versions")]
    after = [("trajectories", "0020_financing_process_needs")]
    try:
        apps = migrate(before)
        Organisation = apps.get_model("organisations", "Organisation")
        Trajectory = apps.get_model("trajectories", "Trajectory")
        Candidate = apps.get_model("trajectories", "Candidate")
        CandidateRating = apps.get_model("trajectories", "CandidateRating")
        owner = Organisation.objects.create(name="Gemeente Migratie")
        trajectory = Trajectory.objects.create(
            owner=owner, title="Migratie", start_phase="verkennen", current_phase="verkennen"
        )
        answers = {"ja": "Wmo past.", "deels": "Subsidie knelt.", "nee": "", "onbekend": "Nog uitzoeken."}
        ids = {}
        for answer, note in answers.items():
            candidate = Candidate.objects.create(
                trajectory=trajectory, organisation=Organisation.objects.create(name=f"Kandidaat {answer}")
            )
            CandidateRating.objects.create(candidate=candidate, criterion="financiering", answer=answer, note=note)
            CandidateRating.objects.create(candidate=candidate, criterion="leerklimaat", answer="ja", note="blijft")
            ids[answer] = candidate.pk
        apps = migrate(after)
        Candidate = apps.get_model("trajectories", "Candidate")
        CandidateRating = apps.get_model("trajectories", "CandidateRating")
        moved = {answer: Candidate.objects.get(pk=pk) for answer, pk in ids.items()}
        assert moved["ja"].financing_need == "geen"
        assert {moved[a].financing_need for a in ("deels", "nee", "onbekend")} == {"onbekend"}
        assert (
            moved["deels"].financing_note == "Financiering eerder als criterium beoordeeld met: deels.\nSubsidie knelt."
        )
        assert moved["nee"].financing_note == "Financiering eerder als criterium beoordeeld met: nee."
        assert moved["onbekend"].financing_note == "Nog uitzoeken."
        assert not CandidateRating.objects.filter(criterion="financiering").exists()
        assert CandidateRating.objects.filter(criterion="leerklimaat").count() == 4  # the other criteria stay

        apps = migrate(before)  # and back: the ratings return as they were
        CandidateRating = apps.get_model("trajectories", "CandidateRating")
        back = {r.candidate_id: (r.answer, r.note) for r in CandidateRating.objects.filter(criterion="financiering")}
        assert back == {ids[answer]: (answer, note) for answer, note in answers.items()}
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(
            [key for key in executor.loader.graph.leaf_nodes() if key[0] in ("trajectories", "organisations")]
        )
