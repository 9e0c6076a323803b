"""Issue 19: both CFIR versions, the meaning of M (missing data), the flag on old M ratings and its
migration, the comparison of assessments and the link to a candidate organisation."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from fii.cfir import RATING_RULES, RATING_VALUES, CfirVersion, framework
from organisations.models import Organisation
from tests.factories import make_trajectory
from trajectories import selectors_innoveren as selectors
from trajectories import services

# Reference lists ------------------------------------------------------------------------------------

# Counted by hand from the published tables: (constructs, subconstructs) per domain.
# 2022: Damschroder, Reardon, Opra Widerquist & Lowery, Implementation Science 17:75 — "48 constructs and
# 19 subconstructs"; External Pressure has 3 subconstructs, Structural Characteristics 3, Culture 4, Available
# Resources 3, Assessing Needs 2, Engaging 2, Reflecting & Evaluating 2; Individuals: 9 roles, 4 characteristics.
PUBLISHED_2022 = {"I": (8, 0), "II": (7, 3), "III": (11, 10), "IV": (13, 0), "V": (9, 6)}
# 2009: Damschroder et al., Implementation Science 4:50, table 1 (= figure 10 of the handreiking): 39 in all,
# Implementation Climate 6 and Readiness for Implementation 3 subconstructs, Engaging 4.
PUBLISHED_2009 = {"I": (8, 0), "II": (4, 0), "III": (5, 9), "IV": (5, 0), "V": (4, 4)}


@pytest.mark.parametrize(("version", "published"), [("2022", PUBLISHED_2022), ("2009", PUBLISHED_2009)])
def test_each_version_has_the_published_constructs_and_subconstructs_per_domain(version, published):
    f = framework(version)
    assert {d.code: (len(d.main_constructs), len(d.subconstructs)) for d in f.domains} == published
    assert len(f.constructs) == sum(a + b for a, b in published.values())
    for construct in f.constructs.values():
        if construct.is_sub:  # a subconstruct sits under a construct of its own domain
            assert construct.code.rsplit(".", 1)[0] in f.constructs


def test_updated_cfir_totals_48_constructs_and_19_subconstructs_in_its_renamed_domains():
    f = framework("2022")
    assert sum(len(d.main_constructs) for d in f.domains) == 48
    assert sum(len(d.subconstructs) for d in f.domains) == 19
    assert [d.name for d in f.domains] == [
        "Innovation",
        "Outer Setting",
        "Inner Setting",
        "Individuals",
        "Implementation Process",
    ]
    c = f.constructs
    assert c["IV.I"].name == "Innovation Recipients" and c["IV.I"].group == "Rollen"
    assert c["IV.M"].name == "Motivation" and c["IV.M"].group == "Kenmerken"
    assert c["II.G.3"].name == "Performance-Measurement Pressure"
    assert c["III.D.1"].name == "Human Equality-Centeredness"
    assert c["V.H.2"].name == "Innovation" and c["V.H"].name == "Reflecting & Evaluating"
    assert "Patient Needs & Resources" not in {x.name for x in c.values()}


@pytest.mark.parametrize("version", CfirVersion.values)
def test_every_construct_has_a_dutch_name_and_description_of_its_own(version):
    f = framework(version)
    for construct in f.constructs.values():
        assert construct.nl_name and construct.nl_name != construct.name, construct.code
        assert construct.nl_description.endswith("."), construct.code
        assert construct.nl_description != construct.description
    for domain in f.domains:
        assert domain.nl_name and domain.nl_name != domain.name


def test_the_rating_rules_cover_the_whole_scale_and_say_m_is_missing_data_not_absence():
    assert [value for value, _rule in RATING_RULES] == list(RATING_VALUES)
    rules = dict(RATING_RULES)
    with translation.override("en"):
        assert "Missing data" in str(rules["M"])
        assert "not as M" in str(rules["-2"])  # an absent, needed factor is a negative rating
    with translation.override("nl"):
        assert "Ontbrekende gegevens" in str(rules["M"])


# Versions on assessments ---------------------------------------------------------------------------


def new_assessment(trajectory, by, title="Welzijn Noord", day=dt.date(2026, 10, 1), **kwargs):
    return services.cfir_assessment_create(trajectory=trajectory, by=by, title=title, assessed_on=day, **kwargs)


def test_new_assessments_use_the_updated_cfir_and_refuse_codes_of_the_other_version(trajectory, bewerker):
    assessment = new_assessment(trajectory, bewerker)
    assert assessment.version == "2022"
    services.cfir_rate(assessment=assessment, by=bewerker, ratings={"III.J.1": ("-2", "Geen budget")})
    with pytest.raises(ValueError):  # Readiness: Available Resources is a 2009 subconstruct
        services.cfir_rate(assessment=assessment, by=bewerker, ratings={"III.E.2": ("-2", "")})
    old = new_assessment(trajectory, bewerker, version="2009")
    with pytest.raises(ValueError):
        services.cfir_rate(assessment=old, by=bewerker, ratings={"III.J.1": ("-2", "")})


def test_a_new_assessment_chooses_its_version_on_the_form(client, bewerker, trajectory):
    client.force_login(bewerker)
    url = reverse("trajectories:cfir_list", args=[trajectory.pk])
    page = client.get(url)
    assertContains(page, 'id="id_version_0" required checked', html=False)
    assertContains(page, 'value="2022"', html=False)
    response = client.post(url, {"title": "Volgens figuur 10", "assessed_on": "2026-10-01", "version": "2009"})
    assert response.status_code == 302
    assessment = trajectory.cfir_assessments.get()
    assert assessment.version == "2009"
    rate = client.get(reverse("trajectories:cfir_rate", args=[trajectory.pk, assessment.pk]))
    assertContains(rate, "Leerklimaat")  # 2009: III.D.6 Learning Climate
    assertNotContains(rate, "Innovation Recipients")


# M means missing data -------------------------------------------------------------------------------


def test_m_is_a_gap_in_the_data_and_a_missing_needed_factor_is_a_barrier(client, lezer, trajectory, bewerker):
    assessment = new_assessment(trajectory, bewerker)
    services.cfir_rate(
        assessment=assessment,
        by=bewerker,
        ratings={
            "IV.E": ("-2", "Er is geen trekker"),
            "II.F": ("M", "Niet gevraagd aan de fondsen"),
            "IV.H": ("+1", ""),
        },
    )
    overview = selectors.cfir_overview(assessment)
    assert [b["construct"].code for b in overview["barriers"]] == ["IV.E"]
    assert [m["construct"].code for m in overview["missing"]] == ["II.F"]
    assert "II.F" not in {f["construct"].code for f in overview["facilitators"]}
    client.force_login(lezer)
    page = client.get(assessment.get_absolute_url()).content.decode()
    barriers = page.split('id="barriers-heading"')[1].split('id="facilitators-heading"')[0]
    missing = page.split('id="missing-heading"')[1]
    assert "Trekkers van de invoering" in barriers and "Financiering" not in barriers
    assert "Financiering" in missing and "Niet gevraagd aan de fondsen" in missing


def test_a_flagged_m_stays_until_the_team_changes_or_confirms_it(client, bewerker, trajectory):
    assessment = new_assessment(trajectory, bewerker, version="2009")
    services.cfir_rate(assessment=assessment, by=bewerker, ratings={"V.D": ("M", ""), "I.F": ("M", "")})
    assessment.ratings.update(needs_review=True)  # as the migration leaves M ratings of before
    # Saving other constructs neither clears the flag nor changes the rating.
    services.cfir_rate(assessment=assessment, by=bewerker, ratings={"V.D": ("M", ""), "I.A": ("+1", "")})
    assert assessment.ratings.get(construct="V.D").needs_review
    client.force_login(bewerker)
    url = reverse("trajectories:cfir_rate", args=[trajectory.pk, assessment.pk])
    page = client.get(url)
    assertContains(page, 'name="reviewed_V_D"', html=False)
    assertNotContains(page, 'name="reviewed_I_A"', html=False)
    overview = client.get(assessment.get_absolute_url())
    assertContains(overview, "2 M-scores zijn gegeven toen M nog betekende")
    assessment.refresh_from_db()
    response = client.post(
        url,
        {
            "rating_V_D": "-1",
            "rating_I_F": "M",
            "reviewed_I_F": "on",
            "rating_I_A": "+1",
            "edit_version": assessment.edit_version,
        },
    )
    assert response.status_code == 302
    rows = {r.construct: (r.rating, r.needs_review) for r in assessment.ratings.all()}
    assert rows == {"V.D": ("-1", False), "I.F": ("M", False), "I.A": ("+1", False)}


@pytest.mark.migrations
@pytest.mark.django_db(transaction=True)
def test_migration_makes_old_assessments_2009_and_flags_their_m_ratings_without_scoring_them(municipality, bewerker):
    trajectory = make_trajectory(owner=municipality, by=bewerker, title="Oud traject")
    assessment = new_assessment(trajectory, bewerker, version="2009")
    services.cfir_rate(
        assessment=assessment, by=bewerker, ratings={"V.D": ("M", "Geen evaluatie"), "I.F": ("-2", "Veel stappen")}
    )
    executor = MigrationExecutor(connection)
    executor.migrate([("trajectories", "0015_notifications")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("trajectories", "0016_cfir_versions_and_missing_data")])
    try:
        with connection.cursor() as cursor:  # read raw: the models are ahead of this schema
            cursor.execute(
                "SELECT version, candidate_id FROM trajectories_cfirassessment WHERE id = %s", [assessment.pk]
            )
            assert cursor.fetchone() == ("2009", None)
            cursor.execute("SELECT construct, rating, rationale, needs_review FROM trajectories_cfirrating")
            rows = {c: (r, why, bool(flag)) for c, r, why, flag in cursor.fetchall()}
        assert rows == {"V.D": ("M", "Geen evaluatie", True), "I.F": ("-2", "Veel stappen", False)}
    finally:
        # Later tests in this worker need the whole schema back.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    # A new assessment after the migration is the updated CFIR again.
    assert new_assessment(trajectory, bewerker).version == "2022"


# Comparison -----------------------------------------------------------------------------------------


def test_comparison_marks_changes_between_consecutive_assessments_of_one_version(trajectory, bewerker):
    first = new_assessment(trajectory, bewerker, title="Start", day=dt.date(2026, 1, 1))
    second = new_assessment(trajectory, bewerker, title="Na een jaar", day=dt.date(2027, 1, 1))
    old = new_assessment(trajectory, bewerker, title="Figuur 10", day=dt.date(2025, 6, 1), version="2009")
    services.cfir_rate(
        assessment=first, by=bewerker, ratings={"III.J.1": ("-2", ""), "II.F": ("M", ""), "I.D": ("+2", "")}
    )
    services.cfir_rate(
        assessment=second, by=bewerker, ratings={"III.J.1": ("-1", ""), "II.F": ("+1", ""), "I.D": ("+2", "")}
    )
    comparison = selectors.cfir_comparison([second, old, first])
    assert comparison["version"] == "2022"
    assert [a.title for a in comparison["columns"]] == ["Start", "Na een jaar"]
    assert [a.title for a in comparison["left_out"]] == ["Figuur 10"]
    rows = {r["construct"].code: r for d in comparison["domains"] for r in d["rows"]}
    budget = rows["III.J.1"]["cells"][1]
    assert (budget["changed"], budget["direction"], budget["previous"]) == (True, "better", "−2")
    financing = rows["II.F"]["cells"][1]
    assert financing["changed"] and financing["direction"] == ""  # from missing data: no better or worse
    assert not rows["I.D"]["changed"] and not rows["I.A"]["changed"]
    assert comparison["changes"] == 2


def test_comparison_page_shows_the_chosen_assessments_and_refuses_foreign_ones(
    client, lezer, trajectory, bewerker, municipality, django_assert_max_num_queries
):
    first = new_assessment(trajectory, bewerker, title="Start", day=dt.date(2026, 1, 1))
    second = new_assessment(trajectory, bewerker, title="Na een jaar", day=dt.date(2027, 1, 1))
    services.cfir_rate(assessment=first, by=bewerker, ratings={"IV.E": ("-2", "Geen trekker")})
    services.cfir_rate(assessment=second, by=bewerker, ratings={"IV.E": ("+1", "Projectleider benoemd")})
    other = make_trajectory(owner=municipality, by=bewerker, title="Ander traject")
    foreign = new_assessment(other, bewerker, title="Elders")
    client.force_login(lezer)
    url = reverse("trajectories:cfir_compare", args=[trajectory.pk])
    with django_assert_max_num_queries(20):
        page = client.get(url)
    assertContains(page, "Trekkers van de invoering")
    assertContains(page, "(beter, was −2)")
    assertContains(page, "cfir-compare__cell--changed")
    refused = client.get(url, {"assessments": [first.pk, foreign.pk]})
    assert refused.status_code == 400
    assertNotContains(refused, "Elders", status_code=400)
    assert client.get(url, {"assessments": [first.pk]}).status_code == 200


def test_comparison_query_count_does_not_grow_with_assessments(
    client, lezer, trajectory, bewerker, django_assert_max_num_queries
):
    for i in range(6):
        a = new_assessment(trajectory, bewerker, title=f"Moment {i}", day=dt.date(2026, 1, 1 + i))
        services.cfir_rate(assessment=a, by=bewerker, ratings={"IV.E": ("+1", ""), "III.J.1": ("-1", "")})
    client.force_login(lezer)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("trajectories:cfir_compare", args=[trajectory.pk])).status_code == 200


# Link to a candidate organisation --------------------------------------------------------------------


def test_an_assessment_can_be_about_a_candidate_of_its_own_trajectory_only(client, bewerker, trajectory, municipality):
    candidate = services.candidate_add(
        trajectory=trajectory, by=bewerker, organisation=Organisation.objects.create(name="Welzijn Noord")
    )
    other = make_trajectory(owner=municipality, by=bewerker, title="Ander traject")
    foreign = services.candidate_add(
        trajectory=other, by=bewerker, organisation=Organisation.objects.create(name="Stichting Elders")
    )
    client.force_login(bewerker)
    url = reverse("trajectories:cfir_list", args=[trajectory.pk])
    data = {"title": "Kandidaat Noord", "assessed_on": "2026-10-01", "version": "2022"}
    refused = client.post(url, {**data, "candidate": foreign.pk})
    assert refused.status_code == 400
    assertContains(refused, "Kandidaat Noord", status_code=400)  # the input is kept
    assert not trajectory.cfir_assessments.exists()
    assert client.post(url, {**data, "candidate": candidate.pk}).status_code == 302
    assessment = trajectory.cfir_assessments.get()
    assert assessment.candidate == candidate
    assertContains(client.get(assessment.get_absolute_url()), "Welzijn Noord")
    with pytest.raises(ValueError):
        new_assessment(trajectory, bewerker, candidate=foreign)


def test_english_pages_show_the_framework_name_first_and_the_dutch_name_marked_nl(client, lezer, trajectory, bewerker):
    assessment = new_assessment(trajectory, bewerker)
    services.cfir_rate(assessment=assessment, by=bewerker, ratings={"IV.I": ("M", "")})
    client.force_login(lezer)
    dutch = client.get(assessment.get_absolute_url())
    assertContains(dutch, 'Ontvangers <span class="cfir-en" lang="en">Innovation Recipients</span>', html=False)
    with translation.override("nl"):  # the request activates English; do not leak it into later tests
        english = client.get("/en" + assessment.get_absolute_url())
    assertContains(english, 'Innovation Recipients <span class="cfir-en" lang="nl">Ontvangers</span>', html=False)
    assertContains(english, "Gaps in the data (M)")
