"""Issue 22 in the browser: a CFIR barrier shows its suggested ERIC strategies; one click adds a strategy as an
action, and the next stoplight review lists it among the open actions; another goes to the plan as a milestone
(a date in the past is refused at the field first) and the CFIR page links to it on the plan page. Screenshots
of the CFIR page with its suggestions, the refused date, the plan and the strategy list at 1280 and 320 px go
to screenshots/ (ignored by git)."""

import datetime as dt

from django.urls import reverse
from playwright.sync_api import expect

from trajectories import services
from trajectories.models import CfirRating

from .helpers import goto, shot_fits
from .test_accessibility import axe_violations, describe


def test_a_suggested_strategy_becomes_an_action_in_the_next_review(login_as, bewerker, trajectory, problems):
    assessment = services.cfir_assessment_create(
        trajectory=trajectory, by=bewerker, title="Welzijn Noord", assessed_on=dt.date(2026, 9, 1)
    )
    CfirRating.objects.create(assessment=assessment, construct="V.H", rating="-2", rationale="Niemand kijkt terug")
    CfirRating.objects.create(assessment=assessment, construct="II.A", rating="-1", rationale="Een incident")
    page = login_as(bewerker, viewport={"width": 1280, "height": 800})
    goto(page, reverse("trajectories:cfir", args=[trajectory.pk, assessment.pk]))

    section = page.locator("section.cfir-strategies")
    expect(section).to_contain_text("startpunt")  # the study's caveat
    expect(section).to_contain_text("vertaaltabel")  # a 2022 analysis reaches the 2009 matches through the mapping
    expect(section).to_contain_text("geen gecontroleerde suggesties")  # II.A Critical Incidents is new in 2022
    item = section.locator("li", has_text="Instrumenten voor kwaliteitsbewaking maken")
    expect(item).to_contain_text("niveau 1")
    expect(item).to_contain_text("60% van de deskundigen")
    shot_fits(page, "cfir-strategies")
    assert not describe("CFIR page with take-up forms", axe_violations(page))
    with page.expect_navigation():
        item.get_by_role("button", name="Als actie toevoegen").click()
    expect(page.locator("main")).to_contain_text("staat nu als open actie klaar")
    expect(section.locator("li", has_text="Instrumenten voor kwaliteitsbewaking maken")).to_contain_text("overgenomen")
    expect(section).to_contain_text("Overgenomen")
    shot_fits(page, "cfir-strategies-taken")

    # Another strategy for the same barrier as a milestone on the plan, first with a date in the past.
    item = section.locator("li", has_text="Meten en terugkoppelen")
    due = item.get_by_label("Klaar op")
    expect(due).to_have_value((dt.date.today() + dt.timedelta(weeks=4)).isoformat())  # four weeks out
    due.fill("2020-01-01")
    take_up = reverse(
        "trajectories:cfir_strategy_take_up",
        args=[trajectory.pk, assessment.pk, assessment.ratings.get(construct="V.H").pk],
    )
    problems.expect_status(take_up, 400)
    with page.expect_navigation():
        item.get_by_role("button", name="Als planmijlpaal toevoegen").click()
    expect(page.locator("main")).to_contain_text("Deze datum ligt in het verleden")
    expect(page.get_by_label("Klaar op")).to_have_value("2020-01-01")
    shot_fits(page, "strategy-take-up-refused")
    assert not describe("take-up refused", axe_violations(page))
    due_on = dt.date.today() + dt.timedelta(days=40)
    page.get_by_label("Klaar op").fill(due_on.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Als planmijlpaal toevoegen").click()
    expect(page.locator("main")).to_contain_text("staat nu als mijlpaal in het plan van aanpak")
    expect(section.locator("li", has_text="Meten en terugkoppelen")).to_contain_text("als planmijlpaal overgenomen")
    shot_fits(page, "cfir-strategies-milestone")
    with page.expect_navigation():
        section.get_by_role("link", name="Meten en terugkoppelen").click()
    milestone = page.locator(".roadmap__milestone", has_text="Meten en terugkoppelen, voor de belemmering")
    expect(milestone).to_be_visible()
    expect(milestone).to_contain_text(str(due_on.year))
    assert "#milestone-" in page.url
    shot_fits(page, "plan-strategy-milestone")

    review = services.review_start(
        trajectory=trajectory, by=bewerker, held_on=dt.date(2026, 9, 15), phases=[trajectory.current_phase]
    )
    goto(page, reverse("trajectories:review", args=[trajectory.pk, review.pk]))
    expect(page.locator("main")).to_contain_text("Instrumenten voor kwaliteitsbewaking maken, voor de belemmering")

    goto(page, reverse("trajectories:strategies") + "?cluster=financial")
    expect(page.locator("main p[role=status]")).to_contain_text("9 strategieën")
    goto(page, reverse("trajectories:strategies"))
    shot_fits(page, "strategies")
