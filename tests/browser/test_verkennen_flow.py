"""Phase 2 in the browser: build a shortlist of three, rate, compare, talk, choose; access follows the choice."""

from django.urls import reverse
from playwright.sync_api import Page, expect

from organisations.models import Organisation, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .helpers import follow, goto, shot_fits


def post_form(page: Page, form_selector: str) -> None:
    """Submit one form of a page with several, and check the post/redirect/get answer."""
    with page.expect_navigation() as navigation:
        page.locator(form_selector).locator("button[type=submit]").click()
    response = navigation.value
    assert response.status == 200, f"{response.url} answered {response.status}"
    assert response.request.redirected_from is not None, "the form did not redirect"


def test_shortlist_comparison_talk_and_choice(login_as, bewerker, beheerder, trajectory, problems, live_server):
    welzijn = OrganisationFactory(name="Welzijn Noord", kind=Organisation.Kind.WELZIJN, financing="wettelijk")
    stichting = OrganisationFactory(name="Stichting Buurtkracht", kind=Organisation.Kind.STICHTING)
    chosen_member = MembershipFactory(
        user=UserFactory(email="lid@welzijn.example.org"), organisation=welzijn, role=Role.LEZER
    ).user
    rejected_member = MembershipFactory(
        user=UserFactory(email="lid@buurtkracht.example.org"), organisation=stichting, role=Role.BEHEERDER
    ).user

    page = login_as(bewerker)
    goto(page, reverse("trajectories:phase", args=[trajectory.pk, "verkennen"]))
    follow(page, page.locator("#verkennen").get_by_role("link", name="Shortlist").first)

    # Three candidates: two organisations that exist, one new.
    add = "form:has(#id_new_name)"
    # Organisations the giving organisation has not worked with yet are added by their exact name (issue 16).
    page.fill("#id_new_name", "Welzijn Noord")
    page.fill("#id_motivation", "Kent de wijk")
    post_form(page, add)
    goto(page, reverse("trajectories:shortlist", args=[trajectory.pk]))
    page.fill("#id_new_name", "Stichting Buurtkracht")
    post_form(page, add)
    goto(page, reverse("trajectories:shortlist", args=[trajectory.pk]))
    page.fill("#id_new_name", "Jongerenpunt Oost")
    page.select_option("#id_new_financing", "extern")
    post_form(page, add)
    goto(page, reverse("trajectories:shortlist", args=[trajectory.pk]))
    expect(page.locator("main table tbody tr")).to_have_count(3)
    expect(page.locator("main .notice")).to_have_count(0)  # three is within the advice of two to four

    # Rate two of them.
    for name, learning, note in (
        ("Welzijn Noord", "ja", "Intervisie elke maand"),
        ("Stichting Buurtkracht", "nee", ""),
    ):
        goto(page, reverse("trajectories:shortlist", args=[trajectory.pk]))
        follow(page, page.locator("main table").get_by_role("link", name=name))
        follow(page, page.locator("main").get_by_role("link", name="Beoordelen"))
        page.locator(f"input[name=answer_leerklimaat][value={learning}]").check()
        page.fill("#id_note_leerklimaat", note)
        page.locator("input[name=answer_sturing][value=deels]").check()
        post_form(page, "form.assess-form")
        expect(page.locator("main")).to_contain_text("Beoordeling opgeslagen")

    # Side by side.
    goto(page, reverse("trajectories:shortlist_compare", args=[trajectory.pk]))
    table = page.locator("table.comparison")
    expect(table.locator("thead th")).to_have_count(4)
    learning_row = table.locator("tr", has=page.locator("th", has_text="Leerklimaat"))
    expect(learning_row.locator("td").nth(0)).to_contain_text("Ja")
    expect(learning_row.locator("td").nth(0)).to_contain_text("Intervisie elke maand")
    expect(learning_row.locator("td").nth(1)).to_contain_text("Nee")
    expect(learning_row.locator("td").nth(2)).to_contain_text("Nog niet beoordeeld")
    shot_fits(page, "verkennen-compare")

    # A talk with the first candidate, then the choice.
    candidate = trajectory.candidates.get(organisation=welzijn)
    goto(page, candidate.get_absolute_url())
    page.locator("summary", has_text="Gesprek vastleggen").click()
    page.fill("#id_management", "Directeur")
    page.fill("#id_project_leaders", "Teamleider jeugd")
    page.fill("#id_learnt", "Ziet de meerwaarde, wil een teamleider vrijmaken")
    page.locator("input[name=sees_added_value][value=ja]").check()
    page.locator("input[name=joins_team][value=ja]").check()
    post_form(page, "form[action$='/gesprekken/']")
    expect(page.locator("#talks")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Ziet de meerwaarde")
    expect(page.locator("h1 .candidate-status")).to_contain_text("In gesprek")

    # Choosing gives the organisation access: a beheerder of the giving organisation decides (issue 16).
    expect(page.locator("main")).not_to_contain_text("Deze organisatie kiezen")
    page = login_as(beheerder)
    goto(page, candidate.get_absolute_url())
    follow(page, page.locator("main").get_by_role("link", name="Deze organisatie kiezen"))
    expect(page.locator("main")).to_contain_text("Stichting Buurtkracht")  # will be rejected
    page.fill("#id_rationale", "Deelt de visie en neemt zitting in het implementatieteam")
    post_form(page, "main form")
    expect(page.locator("main")).to_contain_text("Deelt de visie")
    expect(page.locator("main")).to_contain_text("Welzijn Noord")

    # The chosen organisation's member opens the trajectory; the rejected one's does not learn it exists.
    chosen_page = login_as(chosen_member)
    goto(chosen_page, trajectory.get_absolute_url())
    expect(chosen_page.locator("main")).to_contain_text("Welzijn Noord")
    rejected_page = login_as(rejected_member)
    problems.expect_status(trajectory.get_absolute_url(), 404)
    goto(rejected_page, trajectory.get_absolute_url(), status=404)
    expect(rejected_page.locator("body")).not_to_contain_text(trajectory.title)
