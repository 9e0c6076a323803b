"""The stoplight review held with the keyboard alone, and what screen readers hear after each htmx swap.

Once logged in, the review test uses ``page.keyboard`` only: Tab, Shift+Tab, Enter, the documented shortcut keys
(g/o/r for green/orange/red, j/k for the next/previous item) and typing. No clicks.
"""

import re

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from trajectories import services
from trajectories.models import Review, ReviewItem

from .helpers import goto

NOTE = "Gesprek gepland; graag terugkoppeling over de agenda."  # has g, o and r: must not set lights


def _items(review: Review) -> list[ReviewItem]:
    return list(review.items.order_by("position", "pk"))


def _active_id(page: Page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def _tab_to(page: Page, predicate: str, *, key: str = "Tab", limit: int = 150) -> None:
    """Press Tab until ``predicate`` (JS over `el`, the focused element) holds."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(f"(el => !!el && ({predicate}))(document.activeElement)"):
            return
    raise AssertionError(f"{predicate} never got focus with {key}")


def _focus_is_visible(page: Page) -> bool:
    return page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none"; }"""
    )


def _live_region(page: Page):
    return page.locator("#live-region")


def test_review_is_held_with_the_keyboard_only(login_as, bewerker, trajectory, live_server):
    services.checklist_copy_from_template(trajectory=trajectory, phase="verkennen", by=bewerker)
    review = services.review_start(
        trajectory=trajectory, by=bewerker, held_on=timezone.localdate(), phases=["verkennen"]
    )
    first, second, third = _items(review)[:3]
    page = login_as(bewerker)
    goto(page, review.get_absolute_url())
    expect(page.locator(".review-shortcuts summary")).to_be_visible()  # the keys are documented (folded) on the page
    expect(page.locator("main kbd", has_text="g")).to_have_count(1)

    # Tab from the top of the page to the first item's green button; focus is visible on the way.
    _tab_to(page, f"el.id === 'light-{first.pk}-groen'")
    assert _focus_is_visible(page), "the focused light button has no visible outline"

    # g sets green; the new cell keeps focus on the same button and the live region says "Opgeslagen".
    page.keyboard.press("g")
    expect(page.locator(f"td#light-{first.pk}")).to_have_attribute("data-light", "groen")
    expect(_live_region(page)).to_have_text(re.compile(r"^Opgeslagen: Groen$"))
    expect(page.locator(f"#light-{first.pk}-groen")).to_be_focused()
    assert _focus_is_visible(page)

    # j goes to the next item, o sets orange there; j again and r sets red.
    page.keyboard.press("j")
    assert _active_id(page).startswith(f"light-{second.pk}-")
    page.keyboard.press("o")
    expect(page.locator(f"td#light-{second.pk}")).to_have_attribute("data-light", "oranje")
    expect(_live_region(page)).to_have_text("Opgeslagen: Oranje")
    page.keyboard.press("j")
    page.keyboard.press("r")
    expect(page.locator(f"td#light-{third.pk}")).to_have_attribute("data-light", "rood")
    expect(page.locator(f"#light-{third.pk}-rood")).to_be_focused()
    # k goes back up.
    page.keyboard.press("k")
    assert _active_id(page).startswith(f"light-{second.pk}-")
    page.keyboard.press("j")

    # Tab into the red item's note and type: the letters go into the field, not to the lights.
    _tab_to(page, f"el.id === 'note-input-{third.pk}'")
    assert _focus_is_visible(page)
    page.keyboard.type(NOTE)
    expect(page.locator(f"td#light-{third.pk}")).to_have_attribute("data-light", "rood")
    page.keyboard.press("Tab")  # leaving the field saves it
    expect(page.locator(f"td#note-{third.pk} .saved-hint")).to_be_visible()
    expect(_live_region(page)).to_have_text("Notitie opgeslagen")
    assert _focus_is_visible(page)

    # Shift+Tab goes back to the note, with the text kept.
    page.keyboard.press("Shift+Tab")
    expect(page.locator(f"#note-input-{third.pk}")).to_be_focused()
    expect(page.locator(f"#note-input-{third.pk}")).to_have_value(NOTE)

    # Finalise with Enter on the button.
    finalise_url = reverse("trajectories:review_finalise", args=[trajectory.pk, review.pk])
    _tab_to(page, "el.id === 'finalise-start'")
    assert _focus_is_visible(page)
    page.keyboard.press("Enter")  # asks first: the confirmation opens in place and gets focus
    expect(page.locator("#finalise-heading")).to_be_focused()
    _tab_to(page, f"el.matches(\"#finalise-panel form[action='{finalise_url}'] button\")")
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    assert navigation.value.status == 200

    review.refresh_from_db()
    assert review.is_final
    stored = {ri.pk: ri for ri in review.items.all()}
    assert [stored[ri.pk].colour for ri in (first, second, third)] == ["groen", "oranje", "rood"]
    assert stored[third.pk].note == NOTE


def test_action_form_errors_are_announced_linked_and_focused(login_as, bewerker, trajectory):
    services.checklist_copy_from_template(trajectory=trajectory, phase="verkennen", by=bewerker)
    review = services.review_start(
        trajectory=trajectory, by=bewerker, held_on=timezone.localdate(), phases=["verkennen"]
    )
    ri = _items(review)[0]
    page = login_as(bewerker)
    goto(page, review.get_absolute_url())
    _tab_to(page, f"el.matches('td#actions-{ri.pk} summary')")
    page.keyboard.press("Enter")  # opens the "new action" form
    page.keyboard.press("Tab")
    expect(page.locator(f"#a{ri.pk}-description")).to_be_focused()
    # Leave "what" empty and submit.
    _tab_to(page, f"el.matches('td#actions-{ri.pk} button[type=submit]')")
    page.keyboard.press("Enter")

    field = page.locator(f"#a{ri.pk}-description")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()  # focus moves to the first field in error
    error_id = field.get_attribute("aria-describedby")
    error = page.locator(f"#{error_id}")
    expect(error).to_be_visible()
    expect(_live_region(page)).to_have_text(error.inner_text().strip())


def test_contact_form_errors_and_saves_are_announced(login_as, bewerker, trajectory):
    from tests.test_permissions import stakeholder_args

    url = reverse("trajectories:stakeholder", args=stakeholder_args(trajectory))
    page = login_as(bewerker)
    goto(page, url)

    # Without a date the form comes back in place: the field is marked, linked to its error, focused, announced.
    page.locator("#id_date").fill("")
    page.locator("#id_note").fill("Koffie gedronken")
    page.locator("#contacts button[type=submit]").click()
    field = page.locator("#id_date")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()
    described_by = field.get_attribute("aria-describedby") or ""
    errors = [page.locator(f"#{i}") for i in described_by.split() if page.locator(f"#{i}.invalid-feedback").count()]
    assert errors, f"the date field's aria-describedby ({described_by!r}) does not point at its error"
    expect(_live_region(page)).to_have_text(errors[0].inner_text().strip())
    expect(page.locator("#id_note")).to_have_value("Koffie gedronken")  # the input is kept

    # With a date it is saved: "Contact vastgelegd." is announced and focus lands on the part's heading.
    field.fill(timezone.localdate().isoformat())
    page.locator("#contacts button[type=submit]").click()
    expect(_live_region(page)).to_have_text("Contact vastgelegd.")
    expect(page.locator("#contacts-heading")).to_be_focused()


def test_subphase_edit_in_place_keeps_focus_and_announces(login_as, bewerker, trajectory):
    page = login_as(bewerker)
    goto(page, reverse("trajectories:phase", args=[trajectory.pk, "verkennen"]))
    edit = page.locator("#subphase-2a a[hx-get]")
    edit.focus()
    page.keyboard.press("Enter")  # the form opens in place: focus goes to its first field
    expect(page.locator("#subphase-2a form")).to_be_visible()
    page.wait_for_function("document.activeElement.closest('#subphase-2a form') !== null")  # after htmx settles
    assert _focus_is_visible(page)
    page.locator("#subphase-2a textarea").fill("Drie kandidaten gesproken.")
    page.locator("#subphase-2a button[type=submit]").focus()
    page.keyboard.press("Enter")  # saved in place: announced, and focus back on the Edit link
    expect(_live_region(page)).to_have_text("Deelfase 2a opgeslagen.")
    expect(page.locator("#subphase-2a a[hx-get]")).to_be_focused()


def test_saving_an_action_is_announced_and_focus_stays_in_the_cell(login_as, bewerker, trajectory):
    services.checklist_copy_from_template(trajectory=trajectory, phase="verkennen", by=bewerker)
    review = services.review_start(
        trajectory=trajectory, by=bewerker, held_on=timezone.localdate(), phases=["verkennen"]
    )
    ri = _items(review)[0]
    page = login_as(bewerker)
    goto(page, review.get_absolute_url())
    _tab_to(page, f"el.matches('td#actions-{ri.pk} summary')")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.type("Wethouder bellen")
    page.keyboard.press("Enter")  # submits the form from its text field
    expect(_live_region(page)).to_have_text("Actie toegevoegd.")
    expect(page.locator(f"td#actions-{ri.pk} li.review-action")).to_contain_text("Wethouder bellen")
    page.wait_for_function(f"document.activeElement.closest('td#actions-{ri.pk}') !== null")  # focus stays in the cell
    assert _focus_is_visible(page)
