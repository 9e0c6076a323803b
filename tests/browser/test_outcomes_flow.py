"""Issue 22 in the browser: a team member adds an indicator and two measurements and sees the chart against the
target; the Borgen page shows fidelity over time with a suggested booster. Screenshots (1280 and 320 px, each
checked for sideways scrolling) go to screenshots/ (ignored by git)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from trajectories import services

from .helpers import follow, goto, shot_fits


def post_form(page: Page, form_selector: str) -> None:
    with page.expect_navigation() as navigation:
        page.locator(form_selector).locator("button[type=submit]").click()
    response = navigation.value
    assert response.status == 200, f"{response.url} answered {response.status}"
    assert response.request.redirected_from is not None, "the form did not redirect"


def _fidelity_dip(trajectory, by) -> None:
    services.method_save(
        trajectory=trajectory,
        by=by,
        based_on=None,
        goal="Ouders betrekken",
        components=["Huisbezoek", "Doel bespreken"],
    )
    checklist = services.fidelity_checklist_create(
        trajectory=trajectory, by=by, version=trajectory.method_versions.get(), title="Checklist huisbezoek"
    )
    first, second = checklist.items.all()
    today = timezone.localdate()
    for days_ago, answers in ((70, ("ja", "ja")), (5, ("ja", "nee"))):
        services.fidelity_observe(
            checklist=checklist,
            by=by,
            observed_on=today - dt.timedelta(days=days_ago),
            answers={first.pk: answers[0], second.pk: answers[1]},
        )


def test_team_member_adds_an_indicator_and_two_measurements_and_sees_the_chart(login_as, bewerker, trajectory):
    page = login_as(bewerker, viewport={"width": 1280, "height": 900})
    goto(page, trajectory.get_absolute_url())
    follow(page, page.get_by_role("link", name="Indicatoren en metingen"))
    expect(page.locator("h1")).to_have_text("Uitkomsten en bereik")

    page.locator("summary", has_text="Een eigen indicator toevoegen").click()
    page.fill("#id_indicator-name", "Gezinnen die starten")
    page.select_option("#id_indicator-kind", "bereik")
    page.select_option("#id_indicator-unit", "percentage")
    page.fill("#id_indicator-target", "70")
    page.fill("#id_indicator-source", "Aanmeldlijst")
    post_form(page, "#indicator-form")
    indicator = trajectory.indicators.get()

    today = timezone.localdate()
    for days_ago, value in ((40, "62"), (10, "74,5")):
        page.locator(f"#indicator-{indicator.pk} summary", has_text="Meting vastleggen").click()
        page.fill(f"#id_m{indicator.pk}_measurement-measured_on", (today - dt.timedelta(days=days_ago)).isoformat())
        page.fill(f"#id_m{indicator.pk}_measurement-value", value)
        post_form(page, f"#measurement-form-{indicator.pk}")

    card = page.locator(f"#indicator-{indicator.pk}")
    chart = card.locator("svg.line-chart")
    expect(chart).to_be_visible()
    expect(chart.locator("text", has_text="doel 70%")).to_have_count(1)
    expect(chart.locator("text", has_text="62%")).to_have_count(1)
    expect(chart.locator("text", has_text="74,5%")).to_have_count(1)
    expect(card.locator(".indicator-status--on")).to_have_text("● op doel")
    shot_fits(page, "outcomes")

    _fidelity_dip(trajectory, bewerker)
    goto(page, reverse("trajectories:quality", args=[trajectory.pk]))
    expect(page.locator("#fidelity-trend .booster")).to_contain_text("onder de drempel van 80%")
    shot_fits(page, "borgen")


def test_beheerder_sets_the_teams_threshold_and_borgen_suggestions_come_first(
    login_as, problems, beheerder, trajectory
):
    """The team's threshold (organisation page) becomes the trajectory's; in phase 6 the Borgen indicators lead."""
    page = login_as(beheerder, viewport={"width": 1280, "height": 900})
    problems.expect_status(reverse("organisations:fidelity_threshold", args=[trajectory.owner_id]), 400)
    goto(page, reverse("organisations:detail", args=[trajectory.owner_id]))
    follow(page, page.locator("main").get_by_role("link", name="Drempel modelgetrouwheid"))
    page.fill("#id_fidelity_threshold", "101")
    with page.expect_navigation():
        page.locator("main").locator("button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Vul een percentage tussen 1 en 100 in.")
    expect(page.locator("#id_fidelity_threshold")).to_have_value("101")  # the input is kept
    shot_fits(page, "team-threshold")
    page.fill("#id_fidelity_threshold", "70")
    post_form(page, "main form")
    expect(page.locator("main")).to_contain_text("Drempel modelgetrouwheid: 70%")

    _fidelity_dip(trajectory, beheerder)  # the latest month: 1 of 2 = 50 %
    goto(page, reverse("trajectories:quality", args=[trajectory.pk]))
    expect(page.locator("#fidelity-trend .booster")).to_contain_text("onder de drempel van 70%")

    trajectory.current_phase = "borgen"
    trajectory.save(update_fields=["current_phase"])
    goto(page, reverse("trajectories:outcomes", args=[trajectory.pk]))
    expect(page.locator("#suggestions-heading")).to_have_text("Suggesties uit de handreiking voor fase 6 Borgen")
    expect(page.locator("#suggestions-heading + p + ul li")).to_have_count(4)
    expect(page.locator("details summary", has_text="3 suggesties voor andere fasen")).to_be_visible()
    shot_fits(page, "outcomes-borgen-suggestions")
