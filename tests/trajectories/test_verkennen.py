"""Phase 2 (Verkennen): shortlist rules, choosing and access, agreements and uploads, the plan of approach."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from fii.model import Criterion
from organisations.models import Organisation, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, make_trajectory
from trajectories import selectors, services
from trajectories.models import (
    Action,
    Agreement,
    Candidate,
    CandidateStatus,
    CandidateStatusChange,
    Plan,
    Trajectory,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def welzijn(db):
    return OrganisationFactory(name="Welzijn Noord", kind=Organisation.Kind.WELZIJN, financing="wettelijk")


@pytest.fixture
def stichting(db):
    return OrganisationFactory(name="Stichting Buurtkracht", kind=Organisation.Kind.STICHTING, financing="extern")


@pytest.fixture
def jeugdwerk(db):
    return OrganisationFactory(name="Jeugdwerk Oost", kind=Organisation.Kind.WELZIJN)


@pytest.fixture
def shortlisted(trajectory, bewerker, welzijn, stichting, jeugdwerk):
    return [
        services.candidate_add(trajectory=trajectory, by=bewerker, organisation=org, motivation=f"Past bij {org}")
        for org in (welzijn, stichting, jeugdwerk)
    ]


def member_of(org, role=Role.BEWERKER, email=None):
    return MembershipFactory(
        user=UserFactory(email=email or f"medewerker@{org.pk}.example.org"), organisation=org, role=role
    ).user


# 2a Shortlist ------------------------------------------------------------------------------------


def test_adding_a_candidate_records_why_in_its_history(trajectory, bewerker, welzijn):
    candidate = services.candidate_add(
        trajectory=trajectory, by=bewerker, organisation=welzijn, motivation="Kent Noord"
    )
    assert candidate.status == CandidateStatus.KANDIDAAT
    assert candidate.financing == "wettelijk"  # starts from the organisation's own setting
    change = candidate.status_changes.get()
    assert (change.from_status, change.to_status, change.reason, change.created_by) == (
        "",
        "kandidaat",
        "Kent Noord",
        bewerker,
    )


def test_a_new_organisation_can_be_put_on_the_shortlist(trajectory, bewerker):
    candidate = services.candidate_add(
        trajectory=trajectory,
        by=bewerker,
        new_organisation={"name": "  Buurtteam West ", "kind": "welzijnsorganisatie", "financing": "extern"},
    )
    assert candidate.organisation.name == "Buurtteam West"
    assert candidate.organisation.financing == "extern"
    assert candidate.organisation.memberships.count() == 0


@pytest.mark.parametrize("case", ["owner", "twice", "existing_name", "neither"])
def test_shortlist_refuses_bad_candidates(case, trajectory, bewerker, welzijn):
    services.candidate_add(trajectory=trajectory, by=bewerker, organisation=welzijn)
    kwargs = {
        "owner": {"organisation": trajectory.owner},
        "twice": {"organisation": welzijn},
        "existing_name": {"new_organisation": {"name": "welzijn noord", "kind": "anders", "financing": "onbekend"}},
        "neither": {},
    }[case]
    with pytest.raises(services.ShortlistError):
        services.candidate_add(trajectory=trajectory, by=bewerker, **kwargs)
    assert trajectory.candidates.count() == 1


@pytest.mark.parametrize(("count", "warning"), [(0, "few"), (1, "few"), (2, ""), (4, ""), (5, "many")])
def test_shortlist_size_warning_outside_two_to_four(count, warning):
    assert selectors.shortlist_size_warning(count) == warning


def test_shortlist_page_warns_gently_but_still_accepts_a_fifth(client, trajectory, bewerker, shortlisted):
    client.force_login(bewerker)
    url = reverse("trajectories:shortlist", args=[trajectory.pk])
    assertNotContains(client.get(url), "notice")
    services.candidate_add(trajectory=trajectory, by=bewerker, organisation=OrganisationFactory(name="Vierde"))
    response = client.post(url, {"new_name": "Vijfde Stichting", "new_kind": "stichting", "new_financing": "extern"})
    assert response.status_code == 302
    assertContains(client.get(url), "diepgaand in gesprek")
    assert trajectory.candidates.count() == 5


def test_add_form_errors_are_dutch_and_keep_the_input(client, trajectory, bewerker, welzijn):
    make_trajectory(owner=trajectory.owner, title="Eerder traject").participants.add(welzijn)  # a known organisation
    client.force_login(bewerker)
    url = reverse("trajectories:shortlist", args=[trajectory.pk])
    response = client.post(url, {"organisation": welzijn.pk, "new_name": "Iets Nieuws", "motivation": "Mijn tekst"})
    assert response.status_code == 400
    assertContains(response, "niet allebei", status_code=400)
    assertContains(response, "Mijn tekst", status_code=400)
    assertContains(response, 'value="Iets Nieuws"', status_code=400)
    assert not trajectory.candidates.exists()
    # The exact name of an existing organisation puts that organisation on the list, never a look-alike.
    response = client.post(url, {"new_name": "WELZIJN NOORD", "new_kind": "anders", "new_financing": "onbekend"})
    assert response.status_code == 302
    assert list(trajectory.candidates.values_list("organisation", flat=True)) == [welzijn.pk]
    response = client.post(url, {"new_name": "Welzijn Noord", "new_kind": "anders", "new_financing": "onbekend"})
    assertContains(response, "staat al op de shortlist", status_code=400)


def test_existing_organisation_list_offers_only_those_the_owner_works_with(client, trajectory, bewerker, welzijn):
    stranger = OrganisationFactory(name="Stichting Onbekend Elders")
    client.force_login(bewerker)
    url = reverse("trajectories:shortlist", args=[trajectory.pk])
    assertNotContains(client.get(url), "Onbekend Elders")
    other = make_trajectory(owner=trajectory.owner, title="Ander traject")
    other.participants.add(stranger)
    assertContains(client.get(url), "Onbekend Elders")


def test_rating_stores_an_answer_and_note_per_criterion(trajectory, bewerker, welzijn):
    candidate = services.candidate_add(trajectory=trajectory, by=bewerker, organisation=welzijn)
    services.candidate_rate(
        candidate=candidate,
        by=bewerker,
        facts={"caseload": 30},
        ratings={"bedoeling": ("ja", "Doel van de burger centraal"), "caseload": ("nee", "")},
    )
    services.candidate_rate(
        candidate=candidate, by=bewerker, facts={}, ratings={"bedoeling": ("deels", "Toch twijfel")}
    )
    ratings = {r.criterion: (r.answer, r.note) for r in candidate.ratings.all()}
    assert ratings == {"bedoeling": ("deels", "Toch twijfel"), "caseload": ("nee", "")}
    candidate.refresh_from_db()
    assert candidate.caseload == 30


def test_assess_form_refuses_a_maximum_below_the_average(client, trajectory, bewerker, welzijn):
    candidate = services.candidate_add(trajectory=trajectory, by=bewerker, organisation=welzijn)
    client.force_login(bewerker)
    data = {f"answer_{code}": "onbekend" for code in Criterion.values}
    data.update({"financing": "wettelijk", "average_length_months": "12", "maximum_length_months": "6"})
    data.update(note_bedoeling="Mijn notitie", version=candidate.version)
    response = client.post(reverse("trajectories:candidate_assess", args=[trajectory.pk, candidate.pk]), data)
    assertContains(response, "korter dan de gemiddelde", status_code=400)
    assertContains(response, "Mijn notitie", status_code=400)
    assert not candidate.ratings.exists()


def test_comparison_shows_every_candidate_criterion_by_criterion(client, trajectory, lezer, bewerker, shortlisted):
    welzijn, stichting, _jeugdwerk = shortlisted
    services.candidate_rate(
        candidate=welzijn, by=bewerker, facts={}, ratings={"leerklimaat": ("nee", "Geen intervisie")}
    )
    services.candidate_rate(candidate=stichting, by=bewerker, facts={}, ratings={"leerklimaat": ("ja", "")})
    services.talk_record(candidate=stichting, by=bewerker, held_on=dt.date(2026, 10, 1), management="Directeur")
    client.force_login(lezer)
    response = client.get(reverse("trajectories:shortlist_compare", args=[trajectory.pk]))
    content = response.content.decode()
    assert content.count('<th scope="col"') == 4  # criterion column + three candidates
    assert "Geen intervisie" in content
    assert "Leerklimaat" in content and "Nog niet beoordeeld" in content
    assert "1 gesprek" in content


@pytest.mark.parametrize("count", [2, 6])
def test_comparison_query_budget_is_flat(client, trajectory, bewerker, django_assert_max_num_queries, count):
    for n in range(count):
        candidate = services.candidate_add(
            trajectory=trajectory, by=bewerker, organisation=OrganisationFactory(name=f"Kandidaat {n}")
        )
        services.candidate_rate(
            candidate=candidate, by=bewerker, facts={}, ratings={code: ("deels", "n") for code in Criterion.values}
        )
        for day in (1, 2):
            services.talk_record(candidate=candidate, by=bewerker, held_on=dt.date(2026, 10, day), executors="Twee")
    client.force_login(bewerker)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("trajectories:shortlist_compare", args=[trajectory.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("trajectories:shortlist", args=[trajectory.pk])).status_code == 200
    with django_assert_max_num_queries(20):  # flat in the candidates; the page also reads subphase work (issue 19)
        assert client.get(reverse("trajectories:phase", args=[trajectory.pk, "verkennen"])).status_code == 200
    candidate = trajectory.candidates.first()
    with django_assert_max_num_queries(12):
        assert client.get(candidate.get_absolute_url()).status_code == 200


# 2b Talks, choice and access ---------------------------------------------------------------------


def test_first_talk_moves_a_candidate_into_talks(trajectory, bewerker, welzijn):
    candidate = services.candidate_add(trajectory=trajectory, by=bewerker, organisation=welzijn)
    services.talk_record(candidate=candidate, by=bewerker, held_on=dt.date(2026, 10, 1), management="Directeur")
    services.talk_record(candidate=candidate, by=bewerker, held_on=dt.date(2026, 10, 8), executors="Uitvoerder")
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.IN_GESPREK
    assert [c.to_status for c in candidate.status_changes.all()] == ["in_gesprek", "kandidaat"]


def test_a_talk_needs_a_participant_and_no_future_date(client, trajectory, bewerker, welzijn):
    candidate = services.candidate_add(trajectory=trajectory, by=bewerker, organisation=welzijn)
    client.force_login(bewerker)
    response = client.post(
        reverse("trajectories:talk_create", args=[trajectory.pk, candidate.pk]),
        {"held_on": "2099-01-01", "learnt": "Wat ik leerde"} | dict.fromkeys(selectors.TALK_QUESTIONS, "ja"),
    )
    assertContains(response, "in de toekomst", status_code=400)
    assertContains(response, "ten minste één niveau", status_code=400)
    assertContains(response, "Wat ik leerde", status_code=400)
    assert not candidate.talks.exists()


def test_choosing_makes_the_receiving_organisation_and_rejects_the_open_ones(trajectory, bewerker, shortlisted):
    welzijn, stichting, jeugdwerk = shortlisted
    services.candidate_set_status(
        candidate=jeugdwerk, by=bewerker, status=CandidateStatus.TERUGGETROKKEN, reason="Geen capaciteit"
    )
    services.candidate_choose(candidate=stichting, by=bewerker, rationale="Beste match op cultuur")
    trajectory.refresh_from_db()
    assert trajectory.receiving_organisation == stichting.organisation
    statuses = dict(Candidate.objects.values_list("organisation__name", "status"))
    assert statuses == {
        "Welzijn Noord": "afgewezen",
        "Stichting Buurtkracht": "gekozen",
        "Jeugdwerk Oost": "teruggetrokken",
    }
    decision = CandidateStatusChange.objects.get(candidate=stichting, to_status="gekozen")
    assert decision.reason == "Beste match op cultuur"
    assert CandidateStatusChange.objects.get(candidate=welzijn, to_status="afgewezen").reason.startswith("Stichting")


def test_choice_rules(trajectory, bewerker, shortlisted):
    welzijn, stichting, _jeugdwerk = shortlisted
    with pytest.raises(services.ShortlistError):
        services.candidate_choose(candidate=welzijn, by=bewerker, rationale="  ")
    services.candidate_choose(candidate=welzijn, by=bewerker, rationale="Past")
    with pytest.raises(services.ShortlistError):  # rejected by the choice, so no longer open
        services.candidate_choose(candidate=stichting, by=bewerker, rationale="Toch deze")
    with pytest.raises(services.ShortlistError):
        services.candidate_set_status(candidate=stichting, by=bewerker, status="gekozen", reason="Via de achterdeur")
    with pytest.raises(services.ShortlistError):
        services.candidate_set_status(candidate=stichting, by=bewerker, status="kandidaat", reason="")


def test_leaving_chosen_ends_the_receiving_role_and_access(client, trajectory, bewerker, welzijn):
    candidate = services.candidate_add(trajectory=trajectory, by=bewerker, organisation=welzijn)
    services.candidate_choose(candidate=candidate, by=bewerker, rationale="Past")
    member = member_of(welzijn)
    client.force_login(member)
    assert client.get(trajectory.get_absolute_url()).status_code == 200
    services.candidate_set_status(candidate=candidate, by=bewerker, status="teruggetrokken", reason="Fusie")
    trajectory.refresh_from_db()
    assert trajectory.receiving_organisation is None
    assert client.get(trajectory.get_absolute_url()).status_code == 404


def test_chosen_organisation_members_get_their_own_role_and_rejected_ones_nothing(
    client, trajectory, beheerder, shortlisted
):
    welzijn, stichting, _ = shortlisted
    client.force_login(beheerder)  # choosing is the giving organisation's beheerders' decision (issue 16)
    response = client.post(
        reverse("trajectories:candidate_choose", args=[trajectory.pk, welzijn.pk]), {"rationale": "Deelt de visie"}
    )
    assert response["Location"] == reverse("trajectories:agreement", args=[trajectory.pk])
    chosen_lezer = member_of(welzijn.organisation, Role.LEZER, "lezer@welzijn.example.org")
    rejected_beheerder = member_of(stichting.organisation, Role.BEHEERDER, "baas@stichting.example.org")
    client.force_login(chosen_lezer)
    assert client.get(trajectory.get_absolute_url()).status_code == 200
    assert client.get(reverse("trajectories:edit", args=[trajectory.pk])).status_code == 403
    client.force_login(rejected_beheerder)
    assert client.get(trajectory.get_absolute_url()).status_code == 404
    assert client.get(reverse("trajectories:shortlist_compare", args=[trajectory.pk])).status_code == 404


def test_choose_page_without_rationale_keeps_nothing_and_says_why(client, trajectory, bewerker, beheerder, welzijn):
    candidate = services.candidate_add(trajectory=trajectory, by=bewerker, organisation=welzijn)
    client.force_login(beheerder)
    response = client.post(
        reverse("trajectories:candidate_choose", args=[trajectory.pk, candidate.pk]), {"rationale": ""}
    )
    assertContains(response, "Licht toe waarom", status_code=400)
    trajectory.refresh_from_db()
    assert trajectory.receiving_organisation is None


def test_status_change_form_error_keeps_the_reason(client, trajectory, bewerker, welzijn):
    candidate = services.candidate_add(trajectory=trajectory, by=bewerker, organisation=welzijn)
    client.force_login(bewerker)
    url = reverse("trajectories:candidate_status", args=[trajectory.pk, candidate.pk])
    response = client.post(url, {"status": "gekozen", "reason": "Mijn reden"})
    assertContains(response, "Mijn reden", status_code=400)
    assert client.post(url, {"status": "afgewezen", "reason": "Te kleine organisatie"}).status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == "afgewezen"


# 2b Agreement and its document -------------------------------------------------------------------


@pytest.fixture
def chosen(trajectory, bewerker, welzijn):
    candidate = services.candidate_add(trajectory=trajectory, by=bewerker, organisation=welzijn)
    services.candidate_choose(candidate=candidate, by=bewerker, rationale="Past")
    trajectory.refresh_from_db()
    return candidate


def agreement_post(client, trajectory, document, **extra):
    data = {"agreed_on": "2026-11-01", "parties": "Gemeente en Welzijn", "terms": "Twee jaar samen", **extra}
    if document is not None:
        data["document"] = document
    return client.post(reverse("trajectories:agreement", args=[trajectory.pk]), data)


def test_agreement_with_signed_pdf_is_served_to_readers_only(client, trajectory, bewerker, lezer, outsider, chosen):
    client.force_login(bewerker)
    response = agreement_post(client, trajectory, SimpleUploadedFile("getekend.pdf", PDF, "application/pdf"))
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.organisation == chosen.organisation
    assert agreement.document_name == "getekend.pdf"
    assert "getekend" not in agreement.document.name  # stored under a random name
    url = reverse("trajectories:agreement_document", args=[trajectory.pk, agreement.pk])
    client.force_login(lezer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="getekend.pdf"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("overeenkomst.docx", PDF, "Alleen pdf-bestanden"),
        ("overeenkomst.pdf", b"MZ\x90\x00 not a pdf at all", "geen pdf-document"),
        ("groot.pdf", PDF + b"x" * 2048, "maximaal"),
    ],
)
def test_agreement_upload_is_validated_and_the_rest_is_kept(
    client, settings, trajectory, bewerker, chosen, name, content, message
):
    settings.FII_MAX_UPLOAD_BYTES = 1024
    client.force_login(bewerker)
    response = agreement_post(client, trajectory, SimpleUploadedFile(name, content))
    assertContains(response, message, status_code=400)
    assertContains(response, "Twee jaar samen", status_code=400)
    assert not Agreement.objects.exists()
    assert not (settings.MEDIA_ROOT / "agreements").exists()


def test_agreement_without_document_and_not_before_a_choice(client, trajectory, bewerker, welzijn):
    client.force_login(bewerker)
    response = agreement_post(client, trajectory, None)
    assertContains(response, "Kies de ontvangende organisatie voordat", status_code=400)
    candidate = services.candidate_add(trajectory=trajectory, by=bewerker, organisation=welzijn)
    services.candidate_choose(candidate=candidate, by=bewerker, rationale="Past")
    assert agreement_post(client, trajectory, None).status_code == 302
    agreement = Agreement.objects.get()
    assert not agreement.document
    assert client.get(reverse("trajectories:agreement_document", args=[trajectory.pk, agreement.pk])).status_code == 404


def test_agreement_document_of_another_trajectory_is_404(client, trajectory, bewerker, chosen, municipality):
    client.force_login(bewerker)
    agreement_post(client, trajectory, SimpleUploadedFile("a.pdf", PDF))
    agreement = Agreement.objects.get()
    other = make_trajectory(owner=municipality, by=bewerker, title="Ander traject")
    assert client.get(reverse("trajectories:agreement_document", args=[other.pk, agreement.pk])).status_code == 404


# 2c Plan of approach, ownership and changes of people ---------------------------------------------


def plan_data(**extra):
    return {
        "horizon": "Elk gezin één vaste hulpverlener",
        "kickoff_on": "2026-10-01",
        "kickoff_participants": "Directies",
        "kickoff_notes": "",
        "meeting_notes": "Eerst inhoud, dan planning",
        "review_interval": "maandelijks",
        "version": 1,
        **extra,
    }


def test_plan_sets_the_stoplight_cadence(client, trajectory, bewerker):
    client.force_login(bewerker)
    response = client.post(reverse("trajectories:plan_edit", args=[trajectory.pk]), plan_data())
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.review_interval == "maandelijks"
    plan = Plan.objects.get(trajectory=trajectory)
    assert (plan.horizon, plan.version, plan.updated_by) == ("Elk gezin één vaste hulpverlener", 2, bewerker)
    assertContains(client.get(reverse("trajectories:plan", args=[trajectory.pk])), "Maandelijks")


def test_plan_stale_save_is_refused_with_both_versions_shown(client, trajectory, bewerker, beheerder):
    client.force_login(beheerder)
    client.post(reverse("trajectories:plan_edit", args=[trajectory.pk]), plan_data(horizon="Versie van de beheerder"))
    client.force_login(bewerker)
    response = client.post(
        reverse("trajectories:plan_edit", args=[trajectory.pk]), plan_data(horizon="Versie van de bewerker")
    )
    assert response.status_code == 409
    assertContains(response, "Versie van de beheerder", status_code=409)
    assertContains(response, "Versie van de bewerker", status_code=409)
    assert Plan.objects.get().horizon == "Versie van de beheerder"
    # Saving again (the form now carries the new version) keeps the bewerker's text.
    assert (
        client.post(
            reverse("trajectories:plan_edit", args=[trajectory.pk]),
            plan_data(horizon="Versie van de bewerker", version=2),
        ).status_code
        == 302
    )
    assert Plan.objects.get().horizon == "Versie van de bewerker"


def test_tasks_take_the_assignees_organisation(trajectory, bewerker, chosen):
    receiving_member = member_of(chosen.organisation)
    milestone = services.milestone_save(trajectory=trajectory, by=bewerker, title="Start", due_on=dt.date(2026, 12, 1))
    mine = services.action_create(trajectory=trajectory, by=bewerker, description="Plannen", assignee=bewerker)
    theirs = services.action_create(
        trajectory=trajectory, by=bewerker, description="Team vormen", assignee=receiving_member, milestone=milestone
    )
    nobody = services.action_create(trajectory=trajectory, by=bewerker, description="Ooit")
    assert (mine.organisation, theirs.organisation, nobody.organisation) == (
        trajectory.owner,
        chosen.organisation,
        None,
    )
    assert theirs.milestone == milestone
    services.action_update(
        action=theirs, by=bewerker, expected_version=None, description="Team vormen", assignee=bewerker, due_on=None
    )
    theirs.refresh_from_db()
    assert theirs.organisation == trajectory.owner
    assert theirs.milestone == milestone  # left out, so kept


@pytest.mark.parametrize(
    ("giving", "receiving", "leans_to"),
    [(0, 0, ""), (2, 0, ""), (3, 0, "gevend"), (3, 1, "gevend"), (2, 1, ""), (2, 2, ""), (1, 3, "ontvangend")],
)
def test_ownership_balance_warns_when_one_side_owns_most(trajectory, bewerker, chosen, giving, receiving, leans_to):
    receiving_member = member_of(chosen.organisation)
    for n in range(giving):
        services.action_create(trajectory=trajectory, by=bewerker, description=f"G{n}", assignee=bewerker)
    for n in range(receiving):
        services.action_create(trajectory=trajectory, by=bewerker, description=f"O{n}", assignee=receiving_member)
    closed = services.action_create(trajectory=trajectory, by=bewerker, description="Klaar", assignee=bewerker)
    services.action_close(action=closed, by=bewerker, note="", expected_version=None)
    balance = selectors.ownership_balance(trajectory)
    assert (balance.giving, balance.receiving, balance.leans_to) == (giving, receiving, leans_to)


def test_plan_page_shows_the_lean_warning(client, trajectory, bewerker, chosen):
    for n in range(3):
        services.action_create(trajectory=trajectory, by=bewerker, description=f"Taak {n}", assignee=bewerker)
    client.force_login(bewerker)
    assertContains(client.get(reverse("trajectories:plan", args=[trajectory.pk])), "te passief")


def test_task_form_errors_keep_the_input(client, trajectory, bewerker):
    client.force_login(bewerker)
    response = client.post(
        reverse("trajectories:plan_task_create", args=[trajectory.pk]),
        {"task-description": "", "task-due_on": "gisteren"},
    )
    assertContains(response, "Beschrijf wat er moet gebeuren", status_code=400)
    assertContains(response, 'value="gisteren"', status_code=400)
    assert not Action.objects.exists()


def test_a_change_of_people_prompts_a_talk_until_recorded(client, trajectory, bewerker):
    client.force_login(bewerker)
    response = client.post(
        reverse("trajectories:people_change_create", args=[trajectory.pk]),
        {
            "change-side": "ontvangend",
            "change-occurred_on": "2026-11-01",
            "change-role": "Teamleider",
            "change-description": "Vertrokken",
        },
    )
    assert response.status_code == 302
    phase_url = reverse("trajectories:phase", args=[trajectory.pk, "verkennen"])
    assertContains(client.get(phase_url), "opnieuw over gedeeld eigenaarschap")
    assertContains(client.get(trajectory.get_absolute_url()), "opnieuw over gedeeld eigenaarschap")
    change = trajectory.people_changes.get()
    url = reverse("trajectories:people_change_revisit", args=[trajectory.pk, change.pk])
    assertContains(
        client.post(url, {"revisited_on": "2026-11-10", "note": ""}), "Beschrijf de uitkomst", status_code=400
    )
    assert client.post(url, {"revisited_on": "2026-11-10", "note": "Nieuwe teamleider doet mee"}).status_code == 302
    assertNotContains(client.get(phase_url), "opnieuw over gedeeld eigenaarschap")


def test_milestone_late_and_reached(trajectory, bewerker, client):
    late = services.milestone_save(trajectory=trajectory, by=bewerker, title="Laat", due_on=dt.date(2020, 1, 1))
    assert late.is_late(today=dt.date(2026, 1, 1))
    client.force_login(bewerker)
    url = reverse("trajectories:milestone_edit", args=[trajectory.pk, late.pk])
    assertContains(
        client.post(url, {"title": "Laat", "due_on": "2020-01-01", "reached_on": "2099-01-01"}),
        "toekomst",
        status_code=400,
    )
    data = {"title": "Laat", "due_on": "2020-01-01", "reached_on": "2020-02-01", "version": late.version}
    assert client.post(url, data).status_code == 302
    late.refresh_from_db()
    assert not late.is_late()


# Report and demo ---------------------------------------------------------------------------------


def test_phase_report_has_the_comparison_the_choice_and_the_plan(client, trajectory, bewerker, shortlisted):
    services.candidate_rate(
        candidate=shortlisted[0], by=bewerker, facts={}, ratings={"sturing": ("ja", "Burger centraal")}
    )
    services.candidate_choose(candidate=shortlisted[0], by=bewerker, rationale="Deelt onze visie")
    trajectory.refresh_from_db()
    services.plan_update(
        trajectory=trajectory, by=bewerker, expected_version=None, review_interval="tweewekelijks", horizon="Stip"
    )
    client.force_login(bewerker)
    response = client.get(reverse("trajectories:phase_report", args=[trajectory.pk, "verkennen"]))
    for text in ("Burger centraal", "Deelt onze visie", "Stichting Buurtkracht", "Stip", "Plan van aanpak (2c)"):
        assertContains(response, text)


def test_demo_has_a_phase_2_trajectory_with_a_realistic_shortlist(demo_data):
    amigos = Trajectory.objects.get(title="Amigo's")
    assert amigos.current_phase == "verkennen"
    statuses = sorted(amigos.candidates.values_list("status", flat=True))
    assert statuses == ["in_gesprek", "in_gesprek", "teruggetrokken"]
    assert all(c.ratings.exists() for c in amigos.candidates.all())
    moeders = Trajectory.objects.get(title="Moeders van Rotterdam")
    chosen = moeders.candidates.get(status="gekozen")
    assert moeders.receiving_organisation == chosen.organisation
    assert moeders.agreements.exists() and moeders.milestones.count() == 3
    assert moeders.people_changes.filter(revisited_on__isnull=True).count() == 1


def test_plan_task_added_on_the_plan_appears_in_the_action_lists(client, trajectory, bewerker):
    milestone = services.milestone_save(
        trajectory=trajectory, by=bewerker, title="Kick-off", due_on=dt.date(2026, 12, 1)
    )
    client.force_login(bewerker)
    response = client.post(
        reverse("trajectories:plan_task_create", args=[trajectory.pk]),
        {"task-description": "Zaal reserveren", "task-assignee": f"u{bewerker.pk}", "task-milestone": milestone.pk},
    )
    assert response.status_code == 302
    task = Action.objects.get(description="Zaal reserveren")
    assert (task.milestone, task.organisation) == (milestone, trajectory.owner)
    assertContains(client.get(reverse("trajectories:actions", args=[trajectory.pk])), "Mijlpaal: Kick-off")
    assertContains(client.get(reverse("trajectories:my_actions")), "Mijlpaal: Kick-off")
    assertContains(client.get(reverse("trajectories:plan", args=[trajectory.pk])), "Zaal reserveren")
