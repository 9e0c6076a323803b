"""Issue 19 in the browser: a CFIR analysis in the updated version with an M and a −2. The overview lists the
−2 as a barrier and the M as missing data, and a second analysis is compared with the first. Screenshots of
the CFIR pages at 1280 and 320 px go to screenshots/ in the worktree (ignored by git)."""

from django.urls import reverse
from playwright.sync_api import Page, expect

from .helpers import goto, shot_fits


def submit_main_form(page: Page) -> None:
    with page.expect_navigation() as navigation:
        page.locator("main form[method=post] button[type=submit]").first.click()
    assert navigation.value.status == 200
    assert navigation.value.request.redirected_from is not None, "the form did not redirect"


def create_assessment(page: Page, trajectory, title: str, day: str) -> None:
    goto(page, reverse("trajectories:cfir_list", args=[trajectory.pk]))
    page.fill("#id_title", title)
    page.fill("#id_assessed_on", day)
    expect(page.locator("input[name=version][value='2022']")).to_be_checked()  # the default
    submit_main_form(page)
    expect(page.locator("h1")).to_contain_text("Constructen scoren")
    expect(page.locator("h1")).to_contain_text("CFIR (2022)")


def test_updated_cfir_with_a_missing_data_m_and_a_minus_two(login_as, bewerker, trajectory):
    page = login_as(bewerker, viewport={"width": 1280, "height": 800})
    create_assessment(page, trajectory, "Welzijn Noord, start", "2026-09-01")
    # The rating rules sit next to the form; M is explained as missing data.
    expect(page.locator("aside")).to_contain_text("Ontbrekende gegevens")
    expect(page.locator("label[for=id_rating_IV_E]")).to_contain_text("Trekkers van de invoering")
    expect(page.locator("label[for=id_rating_IV_E] [lang=en]")).to_have_text("Implementation Leads")
    page.select_option("#id_rating_IV_E", "-2")
    page.fill("#id_rationale_IV_E", "Niemand trekt de invoering")
    page.select_option("#id_rating_II_F", "M")
    page.fill("#id_rationale_II_F", "Nog niet met de fondsen gesproken")
    page.select_option("#id_rating_IV_H", "+1")
    shot_fits(page, "cfir-rate")
    submit_main_form(page)

    expect(page.locator("table.cfir-heatmap caption")).to_contain_text("3 van 67")
    expect(page.locator("#barriers-heading + ul")).to_contain_text("Trekkers van de invoering")
    expect(page.locator("#barriers-heading + ul")).not_to_contain_text("Financiering")
    missing = page.locator("#missing-heading ~ ul")
    expect(missing).to_contain_text("Financiering")
    expect(missing).to_contain_text("Nog niet met de fondsen gesproken")
    expect(page.locator("#facilitators-heading + ul")).to_contain_text("Uitvoerders")
    shot_fits(page, "cfir-detail")

    # A second analysis a year on: the comparison marks what changed.
    create_assessment(page, trajectory, "Welzijn Noord, na een jaar", "2027-09-01")
    page.select_option("#id_rating_IV_E", "+1")
    page.fill("#id_rationale_IV_E", "Projectleider benoemd")
    page.select_option("#id_rating_II_F", "-1")
    submit_main_form(page)
    goto(page, reverse("trajectories:cfir_compare", args=[trajectory.pk]))
    row = page.locator("tr", has=page.locator("th", has_text="Trekkers van de invoering"))
    expect(row.locator("td").nth(1)).to_contain_text("beter, was −2")
    financing = page.locator("tr", has=page.locator("th", has_text="Financiering"))
    expect(financing.locator("td").nth(1)).to_contain_text("was M")
    expect(financing.locator("td").nth(1)).not_to_contain_text("slechter")
    shot_fits(page, "cfir-compare")
    goto(page, reverse("trajectories:cfir_list", args=[trajectory.pk]))
    shot_fits(page, "cfir-list")
