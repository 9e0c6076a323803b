"""Phases 3, 5c and 6 in the browser: a method description with three active components, a fidelity
checklist generated from it with two scored observations, a training in the log, and a partial CFIR
assessment with its overview. Screenshots: ``helpers.shot_fits``."""

from django.urls import reverse
from playwright.sync_api import Page, expect

from .helpers import follow, goto, shot_fits


def post_form(page: Page, form_selector: str, *, status: int = 200) -> None:
    """Submit one form of a page with several, and check the post/redirect/get answer."""
    with page.expect_navigation() as navigation:
        page.locator(form_selector).locator("button[type=submit]").click()
    response = navigation.value
    assert response.status == status, f"{response.url} answered {response.status}"
    if status == 200:
        assert response.request.redirected_from is not None, "the form did not redirect"


def test_method_fidelity_training_and_cfir(login_as, bewerker, trajectory, problems):
    page = login_as(bewerker, viewport={"width": 1280, "height": 800})

    # 3b: a method description with three active components, from the phase page.
    goto(page, reverse("trajectories:phase", args=[trajectory.pk, "innoveren"]))
    follow(page, page.locator("#innoveren").get_by_role("link", name="Methodebeschrijving"))
    follow(page, page.locator("main").get_by_role("link", name="Methodebeschrijving schrijven"))
    page.fill("#id_goal", "Schulden vroeg signaleren en samen aanpakken")
    page.fill("#id_target_group", "Huishoudens met een betalingsachterstand")
    page.fill("#id_approach", "Huisbezoek binnen twee weken na een signaal")
    page.fill(
        "#id_components",
        "Belt binnen twee dagen na het signaal\nBezoekt het gezin thuis\nMaakt samen een plan met de inwoner",
    )
    page.locator("input[name=effectiveness][value=theoretisch]").check()
    post_form(page, "main form")
    expect(page.locator("main")).to_contain_text("Huidige versie 1")
    expect(page.locator("ol.active-components li")).to_have_count(3)
    shot_fits(page, "innoveren-method")

    # 6a: generate a fidelity checklist from it and score two observations.
    goto(page, reverse("trajectories:quality", args=[trajectory.pk]))
    page.locator("summary", has_text="Checklist maken uit de werkzame bestanddelen").click()
    page.fill("#id_checklist-title", "Checklist huisbezoek")
    post_form(page, "#checklist-form")
    expect(page.locator("h1")).to_have_text("Checklist huisbezoek")
    expect(page.locator("table.fidelity-table tbody tr")).to_have_count(3)
    for day, answers in (("2026-10-01", ["ja", "deels", "ja"]), ("2026-10-08", ["ja", "nee", "nvt"])):
        page.fill("#id_observed_on", day)
        page.fill("#id_observer", "Petra Jansen")
        for position, answer in enumerate(answers, start=1):
            page.locator(f"input[name=answer_{position}][value={answer}]").check()
        post_form(page, "#observation-form")
    rows = page.locator("table.fidelity-table tbody tr")
    expect(rows.nth(0)).to_contain_text("100%")
    expect(rows.nth(1)).to_contain_text("0%")
    expect(rows.nth(2)).to_contain_text("100%")
    expect(rows.nth(2)).to_contain_text("(1/1)")
    shot_fits(page, "innoveren-fidelity")

    # A missing answer comes back with the error next to the component and the input kept.
    checklist = trajectory.fidelity_checklists.get()
    problems.expect_status(reverse("trajectories:fidelity_observe", args=[trajectory.pk, checklist.pk]), 400)
    page.fill("#id_observer", "Kees Smit")
    page.locator("input[name=answer_1][value=ja]").check()
    post_form(page, "#observation-form", status=400)
    expect(page.locator("#observation-form")).to_contain_text("Scoor dit werkzame bestanddeel")
    expect(page.locator("#id_observer")).to_have_value("Kees Smit")

    # 5c: log a training.
    goto(page, reverse("trajectories:phase", args=[trajectory.pk, "implementeren"]))
    follow(page, page.locator("#implementeren").get_by_role("link", name="Selectie, training en coaching"))
    page.locator("summary", has_text="Activiteit vastleggen").click()
    page.fill("#id_training-held_on", "2026-10-02")
    page.select_option("#id_training-kind", "training")
    page.fill("#id_training-participants", "9")
    page.fill("#id_training-trainer", "Marieke Bos")
    post_form(page, "#training-form")
    log = page.locator("#log table tbody tr")
    expect(log).to_have_count(1)
    expect(log.first).to_contain_text("Marieke Bos")
    shot_fits(page, "innoveren-training")

    # CFIR: a partial assessment and its overview.
    goto(page, reverse("trajectories:cfir_list", args=[trajectory.pk]))
    page.fill("#id_title", "Welzijn Noord, oktober")
    page.locator("input[name=version][value='2009']").check()  # the codes below are figure 10's
    post_form(page, "main form")
    expect(page.locator("h1")).to_contain_text("Constructen scoren")
    page.select_option("#id_rating_III_E_2", "-2")
    page.fill("#id_rationale_III_E_2", "Geen tijd in het rooster")
    page.select_option("#id_rating_V_B_3", "+2")
    page.fill("#id_rationale_V_B_3", "Teamleider trekt de kar")
    page.select_option("#id_rating_II_D", "X")
    shot_fits(page, "innoveren-cfir-rate")
    post_form(page, "main form")
    expect(page.locator("table.cfir-heatmap caption")).to_contain_text("3 van 39")
    expect(page.locator(".cfir-cell--neg2")).to_contain_text("−2")
    expect(page.locator(".cfir-cell--mixed")).to_contain_text("X")
    expect(page.locator("#barriers-heading + ul")).to_contain_text("Available Resources")
    expect(page.locator("#facilitators-heading + ul")).to_contain_text("Champions")
    shot_fits(page, "innoveren-cfir")

    goto(page, reverse("trajectories:phase", args=[trajectory.pk, "innoveren"]))
    expect(page.locator("#innoveren")).to_contain_text("1 belemmeringen")
    shot_fits(page, "innoveren-phase-innoveren")
    goto(page, reverse("trajectories:phase_report", args=[trajectory.pk, "borgen"]))
    shot_fits(page, "innoveren-report-borgen")
