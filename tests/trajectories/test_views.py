import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.factories import make_trajectory
from trajectories import services
from trajectories.models import PhaseState, SubphaseState, Trajectory


def create_data(**overrides):
    data = {
        "title": "Vroeg Eropaf",
        "intervention_name": "Huisbezoek bij achterstand",
        "commissioner": "Wethouder Armoede",
        "start_date": "2026-01-05",
        "end_date": "2027-01-05",
        "has_commissioner": "yes",
        "receiving_identified": "no",
        "start_phase": "",
        "override_reason": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def editor_client(client, bewerker):
    client.force_login(bewerker)
    return client


def test_create_trajectory_at_recommended_start(editor_client, municipality):
    response = editor_client.post(reverse("trajectories:create"), create_data(owner=municipality.pk))
    t = Trajectory.objects.get(title="Vroeg Eropaf")
    assertRedirects(response, t.get_absolute_url())
    assert t.owner == municipality
    assert t.start_phase == t.current_phase == "verkennen"
    assert PhaseState.objects.get(trajectory=t, phase="signaleren").status == "overgeslagen"


def test_owner_must_be_one_of_the_users_organisations(editor_client, outsider_org):
    response = editor_client.post(reverse("trajectories:create"), create_data(owner=outsider_org.pk))
    assert response.status_code == 200
    assert "owner" in response.context["form"].errors
    assert not Trajectory.objects.exists()


def test_override_needs_a_reason_and_keeps_the_input(editor_client, municipality):
    response = editor_client.post(
        reverse("trajectories:create"), create_data(owner=municipality.pk, start_phase="signaleren")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "override_reason" in errors
    assert "Verkennen" in errors["override_reason"][0]
    assertContains(response, 'value="Huisbezoek bij achterstand"')
    response = editor_client.post(
        reverse("trajectories:create"),
        create_data(owner=municipality.pk, start_phase="signaleren", override_reason="Opdracht nog vaag"),
    )
    t = Trajectory.objects.get()
    assert t.start_phase == "signaleren"
    assert t.transitions.get().reason == "Opdracht nog vaag"


def test_invalid_create_input_gets_dutch_errors_at_the_fields_and_keeps_input(editor_client, municipality):
    response = editor_client.post(
        reverse("trajectories:create"),
        create_data(owner=municipality.pk, title="", end_date="2025-01-01", has_commissioner=""),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["title"] == ["Geef het traject een titel."]
    assert errors["end_date"] == ["De geplande einddatum ligt vóór de startdatum."]
    assert errors["has_commissioner"] == ["Beantwoord deze vraag."]
    html = response.content.decode()
    assert 'id="error_1_id_title"' in html or "invalid-feedback" in html
    assert 'value="Huisbezoek bij achterstand"' in html
    assert 'value="Wethouder Armoede"' in html
    assert not Trajectory.objects.exists()


def test_start_point_recommendation_partial(editor_client):
    url = reverse("trajectories:create")
    response = editor_client.get(
        url, {"has_commissioner": "yes", "receiving_identified": "yes"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="start-point"')
    assert "<strong>Innoveren</strong>" in html
    response = editor_client.get(url, {"has_commissioner": "no", "receiving_identified": "no"}, HTTP_HX_REQUEST="true")
    assert "<strong>Verkennen</strong>" in response.content.decode()


def test_edit_refuses_end_before_start(editor_client, trajectory):
    url = reverse("trajectories:edit", args=[trajectory.pk])
    response = editor_client.post(
        url,
        {"title": "Nieuwe titel", "start_date": "2026-05-01", "end_date": "2026-04-01", "status": "actief"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == ["De geplande einddatum ligt vóór de startdatum."]
    assertContains(response, 'value="Nieuwe titel"')
    trajectory.refresh_from_db()
    assert trajectory.title == "Schuldhulp Vroeg"


def test_subphase_edit_with_htmx_returns_the_display_partial(editor_client, trajectory):
    url = reverse("trajectories:subphase_edit", args=[trajectory.pk, "2a"])
    form = editor_client.get(url, HTTP_HX_REQUEST="true")
    assert form.content.decode().lstrip().startswith('<section id="subphase-2a"')
    assertContains(form, f'hx-post="{url}"')
    data = {"status": "bezig", "notes": "Drie kandidaten", "version": 1}
    response = editor_client.post(url, data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="subphase-2a"')
    assert "Drie kandidaten" in html
    assert "data-announce" in html
    state = SubphaseState.objects.get(trajectory=trajectory, subphase="2a")
    assert (state.status, state.notes, state.updated_by.email) == (
        "bezig",
        "Drie kandidaten",
        "bewerker@testdam.nl",
    )


def test_subphase_edit_without_javascript_redirects_to_the_phase(editor_client, trajectory):
    url = reverse("trajectories:subphase_edit", args=[trajectory.pk, "2b"])
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(url, {"status": "afgerond", "notes": "Akkoord", "version": 1})
    assertRedirects(
        response,
        reverse("trajectories:phase", args=[trajectory.pk, "verkennen"]) + "#subphase-2b",
        fetch_redirect_response=False,
    )
    assert SubphaseState.objects.get(trajectory=trajectory, subphase="2b").notes == "Akkoord"


def test_unknown_subphase_or_phase_is_404(editor_client, trajectory):
    assert editor_client.get(reverse("trajectories:subphase_edit", args=[trajectory.pk, "9z"])).status_code == 404
    assert editor_client.get(reverse("trajectories:phase", args=[trajectory.pk, "dromen"])).status_code == 404


def test_phase_one_assignment_validation(editor_client, trajectory):
    url = reverse("trajectories:assignment_edit", args=[trajectory.pk])
    response = editor_client.post(
        url,
        {
            "commissioner": "Wethouder Zorg",
            "goal": "Minder huisuitzettingen",
            "budget": "-100",
            "capacity_fte": "-1",
            "frame_start": "2026-06-01",
            "frame_end": "2026-01-01",
            "is_realistic": "ja",
            "is_ambitious": "onbekend",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["budget"] == ["Het budget kan niet negatief zijn."]
    assert errors["capacity_fte"] == ["De capaciteit kan niet negatief zijn."]
    assert errors["frame_end"] == ["Het einde van de periode ligt vóór het begin."]
    assertContains(response, "Minder huisuitzettingen")
    trajectory.assignment.refresh_from_db()
    assert trajectory.assignment.goal == ""


def test_phase_one_assignment_saves_and_shows(editor_client, trajectory):
    url = reverse("trajectories:assignment_edit", args=[trajectory.pk])
    response = editor_client.post(
        url,
        {
            "version": 1,
            "trajectory_version": trajectory.version,  # the commissioner is the trajectory's
            "commissioner": "Wethouder Zorg",
            "question_origin": "praktijk",
            "innovation_question": "Hoe vinden we gezinnen eerder?",
            "budget": "125000.50",
            "capacity_fte": "2.5",
            "is_realistic": "deels",
            "realistic_note": "Capaciteit krap",
            "is_ambitious": "ja",
        },
    )
    assert response.status_code == 302
    page = editor_client.get(reverse("trajectories:phase", args=[trajectory.pk, "signaleren"]))
    assertContains(page, "Hoe vinden we gezinnen eerder?")
    assertContains(page, "€ 125.000,50")  # Dutch number format
    assertContains(page, "Wethouder Zorg")
    assertContains(page, "Capaciteit krap")


def test_transition_form_requires_reason_and_completion_note(editor_client, trajectory):
    url = reverse("trajectories:transition", args=[trajectory.pk])
    response = editor_client.post(url, {"to_phase": "innoveren", "complete_current": "on", "reason": ""})
    errors = response.context["form"].errors
    assert errors["reason"] == ["Geef een reden voor deze stap; deze verschijnt in de tijdlijn."]
    assert "completion_note" in errors
    response = editor_client.post(url, {"to_phase": "", "reason": "Zomaar"})
    assert "to_phase" in response.context["form"].errors
    trajectory.refresh_from_db()
    assert trajectory.current_phase == "verkennen"


def test_transition_moves_and_shows_in_timeline(editor_client, trajectory):
    url = reverse("trajectories:transition", args=[trajectory.pk])
    response = editor_client.post(
        url,
        {
            "to_phase": "innoveren",
            "complete_current": "on",
            "completion_note": "Getekend",
            "reason": "Stuurgroep akkoord",
            "confirm_open_points": "on",  # the verkennen checklist is not assessed yet
        },
    )
    assertRedirects(response, trajectory.get_absolute_url() + "#timeline", fetch_redirect_response=False)
    page = editor_client.get(trajectory.get_absolute_url())
    assertContains(page, "Stuurgroep akkoord")
    assert page.context["trajectory"].current_phase == "innoveren"


def test_portfolio_filters_and_paginates(client, beheerder, municipality):
    for i in range(30):
        make_trajectory(owner=municipality, title=f"Traject {i:02d}", start_phase="innoveren" if i % 2 else "verkennen")
    client.force_login(beheerder)
    url = reverse("trajectories:portfolio")
    page1 = client.get(url)
    assert page1.context["page"].paginator.count == 30
    assert len(page1.context["page"].object_list) == 25
    filtered = client.get(url, {"phase": "innoveren"})
    assert filtered.context["page"].paginator.count == 15
    searched = client.get(url, {"q": "Traject 07"}, HTTP_HX_REQUEST="true")
    html = searched.content.decode()
    assert html.lstrip().startswith('<div id="portfolio-results"')
    assert "Traject 07" in html and "Traject 08" not in html
    assert client.get(url, {"status": "gestopt"}).context["page"].paginator.count == 0


def test_portfolio_query_count_does_not_grow_with_rows(client, beheerder, municipality, django_assert_max_num_queries):
    for i in range(25):
        make_trajectory(owner=municipality, title=f"Traject {i:02d}")
    client.force_login(beheerder)
    with django_assert_max_num_queries(11):  # 11: a beheerder's notices (issue 16)
        client.get(reverse("trajectories:portfolio"))


def test_detail_and_phase_pages_query_budget(client, beheerder, trajectory, django_assert_max_num_queries):
    client.force_login(beheerder)
    with django_assert_max_num_queries(12):
        assert client.get(trajectory.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("trajectories:phase", args=[trajectory.pk, "signaleren"])).status_code == 200


def test_english_is_served_under_en(client, beheerder, trajectory):
    client.force_login(beheerder)
    dutch_url = trajectory.get_absolute_url()
    response = client.get("/en" + dutch_url)
    assertContains(response, '<html lang="en">')
    assertContains(response, "Giving organisation")
    dutch = client.get(dutch_url)
    assertContains(dutch, '<html lang="nl">')
    assertContains(dutch, "Gevende organisatie")
    assertNotContains(dutch, "Giving organisation")


def test_lezer_sees_no_edit_controls(client, lezer, trajectory):
    client.force_login(lezer)
    response = client.get(trajectory.get_absolute_url())
    assertNotContains(response, reverse("trajectories:transition", args=[trajectory.pk]))
    assertNotContains(response, reverse("trajectories:edit", args=[trajectory.pk]))


def edit_data(trajectory, **extra):
    return {
        "title": trajectory.title,
        "start_date": trajectory.start_date.isoformat(),
        "status": "actief",
        "review_interval": "tweewekelijks",
        "version": 1,
        **extra,
    }


def test_edit_saves_and_raises_the_version(editor_client, trajectory):
    url = reverse("trajectories:edit", args=[trajectory.pk])
    assertContains(editor_client.get(url), 'name="version" value="1"')
    assert editor_client.post(url, edit_data(trajectory, title="Nieuwe titel")).status_code == 302
    trajectory.refresh_from_db()
    assert (trajectory.title, trajectory.version) == ("Nieuwe titel", 2)


def test_a_stale_edit_is_refused_and_shows_both_versions(editor_client, trajectory, beheerder):
    url = reverse("trajectories:edit", args=[trajectory.pk])
    # A colleague sets the review cadence through the plan of approach after this form was opened.
    services.plan_update(
        trajectory=trajectory, by=beheerder, expected_version=None, review_interval="per_kwartaal", horizon="Stip"
    )
    response = editor_client.post(url, edit_data(trajectory, title="Mijn titel"))
    assert response.status_code == 409
    assertContains(response, "Mijn titel", status_code=409)  # the user's input is kept
    assertContains(response, "Per kwartaal", status_code=409)  # and the saved version is shown
    trajectory.refresh_from_db()
    assert (trajectory.title, trajectory.review_interval) == ("Schuldhulp Vroeg", "per_kwartaal")
    assertContains(response, 'name="version" value="2"', status_code=409)
    assert editor_client.post(url, edit_data(trajectory, title="Mijn titel", version=2)).status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.title == "Mijn titel"
