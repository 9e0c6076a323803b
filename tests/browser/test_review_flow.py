"""Stoplight reviews (subphase 5b) in a real browser: hold a review, carry it over, see the trend.

Selectors use URLs, ids, names and values rather than visible text, so they survive translation work.
"""

import datetime as dt
import re
from pathlib import Path

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from trajectories import services
from trajectories.models import Action, Review, ReviewItem

from .helpers import document_was_kept, follow, goto, htmx_request, mark_document, reload, submit

SCREENSHOT = Path(__file__).resolve().parents[2] / "screenshots" / "review-flow.png"
COLOURS = ("groen", "oranje", "rood")
NOTES = {
    "groen": "Convenant met de woningcorporaties is getekend.",
    "oranje": "Privacytoets loopt nog; jurist sluit volgende week aan.",
    "rood": "Geen budget voor de huisbezoeken na 1 juli.",
}
ACTION = "Wethouder vragen om dekking voor de huisbezoeken"
OTHER_ATTENDEES = "Jan de Vries (Stichting Welzijn Testdam)"


def _start_review(trajectory, by, held_on=None) -> Review:
    return services.review_start(
        trajectory=trajectory, by=by, held_on=held_on or timezone.localdate(), phases=[trajectory.current_phase]
    )


def _items(review: Review) -> list[ReviewItem]:
    return list(review.items.order_by("position", "pk"))


def _set_light(page: Page, ri: ReviewItem, colour: str) -> None:
    """Click one light button; htmx swaps the light cell in place."""
    with htmx_request(page, "POST"):
        page.locator(f"#light-{ri.pk}-{colour}").click()
    cell = page.locator(f"td#light-{ri.pk}")
    expect(cell).to_have_attribute("data-light", colour)
    expect(cell.locator(f"#light-{ri.pk}-{colour}")).to_have_attribute("aria-pressed", "true")
    for other in set(COLOURS) - {colour}:
        expect(cell.locator(f"#light-{ri.pk}-{other}")).to_have_attribute("aria-pressed", "false")
    expect(cell.locator(".saved-hint")).to_be_visible()


def _write_note(page: Page, ri: ReviewItem, text: str) -> None:
    """Type a note and leave the field: the change event saves it and swaps the note cell."""
    field = page.locator(f"#note-input-{ri.pk}")
    field.fill(text)
    with htmx_request(page, "POST"):
        field.press("Tab")
    expect(page.locator(f"td#note-{ri.pk} .saved-hint")).to_be_visible()
    expect(page.locator(f"#note-input-{ri.pk}")).to_have_value(text)


def test_bewerker_holds_a_review_and_the_next_one_carries_it_over(login_as, bewerker, trajectory, live_server):
    assert trajectory.current_phase == "verkennen"
    services.checklist_copy_from_template(trajectory=trajectory, phase="verkennen", by=bewerker)  # no-op if present
    page = login_as(bewerker)
    trajectory_url = trajectory.get_absolute_url()
    start_url = reverse("trajectories:review_start", args=[trajectory.pk])
    list_url = reverse("trajectories:reviews", args=[trajectory.pk])
    today = timezone.localdate()
    first_date = today - dt.timedelta(days=14)
    due_on = today + dt.timedelta(days=21)

    # Start the review from the trajectory's stoplight card.
    goto(page, trajectory_url)
    follow(page, page.locator(f".stoplight-card a[href='{start_url}']"))
    assert page.url == live_server.url + start_url
    expect(page.locator("input[name=phases][value=verkennen]")).to_be_checked()
    page.locator("input[name=held_on]").fill(first_date.isoformat())
    attendee = page.locator(f"input[name=present][value='u{bewerker.pk}']")
    expect(attendee, "the team members should be offered as attendees").to_have_count(1)
    attendee.check()
    page.locator("textarea[name=other_attendees]").fill(OTHER_ATTENDEES)
    submit(page)

    review = Review.objects.get(trajectory=trajectory)
    assert page.url == live_server.url + review.get_absolute_url()
    assert review.held_on == first_date
    assert list(review.attendees.all()) == [bewerker]
    assert review.other_attendees == OTHER_ATTENDEES
    items = _items(review)
    assert len(items) >= 3, "the Verkennen checklist needs at least three items"
    for ri in items:
        expect(page.locator(f"td#light-{ri.pk}")).to_have_attribute("data-light", "grijs")
    expect(page.locator("#review-overall")).to_contain_class("light--grijs")

    # Three items, three colours, each with a note; all swapped in place, no page load.
    mark_document(page)
    assessed = dict(zip(COLOURS, items[:3], strict=True))
    for colour, ri in assessed.items():
        _set_light(page, ri, colour)
        _write_note(page, ri, NOTES[colour])
    # Without JavaScript a "Save note" button is needed; with it the field saves on leaving it.
    expect(page.locator(f"td#note-{items[0].pk} button[type=submit]")).to_be_hidden()

    # Orange and red open their "new action" form and recolour the row (static/js/fii.js); green does not.
    expect(page.locator(f"td#actions-{assessed['groen'].pk} details.action-add")).not_to_have_attribute("open", "")
    for colour, ri in assessed.items():
        expect(page.locator(f"tr#item-{ri.pk}"), "the row takes the new light's class").to_contain_class(
            f"review-row--{colour}"
        )
    for colour in ("oranje", "rood"):
        expect(
            page.locator(f"td#actions-{assessed[colour].pk} details.action-add"),
            f"turning an item {colour} opens its new-action form",
        ).to_have_attribute("open", "")

    # The overall light is red, updated out of band.
    overall = page.locator("#review-overall")
    expect(overall).to_contain_class("light--rood")
    expect(overall).to_contain_text(re.compile("Rood|Red"))
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOT, full_page=True)

    # One action on the red item: what, who, when.
    red = assessed["rood"]
    page.locator(f"#a{red.pk}-description").fill(ACTION)
    page.locator(f"#a{red.pk}-assignee").select_option(f"u{bewerker.pk}")
    page.locator(f"#a{red.pk}-due_on").fill(due_on.isoformat())
    with htmx_request(page, "POST"):
        page.locator(f"td#actions-{red.pk} details.action-add button[type=submit]").click()
    action_line = page.locator(f"td#actions-{red.pk} li.review-action")
    expect(action_line).to_have_count(1)
    expect(action_line).to_contain_text(ACTION)
    expect(action_line).to_contain_text(bewerker.get_full_name())
    assert document_was_kept(page), "assessing the items loaded another page instead of swapping in place"

    action = Action.objects.get(trajectory=trajectory)
    assert (action.description, action.assignee, action.due_on) == (ACTION, bewerker, due_on)
    assert action.item_id == red.item_id and action.review == review
    stored = {ri.pk: ri for ri in review.items.all()}
    for colour, ri in assessed.items():
        assert (stored[ri.pk].colour, stored[ri.pk].note) == (colour, NOTES[colour])
    review.refresh_from_db()
    assert review.overall_light == "rood"

    # The work survives a reload.
    reload(page)
    for colour, ri in assessed.items():
        expect(page.locator(f"td#light-{ri.pk}")).to_have_attribute("data-light", colour)
        expect(page.locator(f"#note-input-{ri.pk}")).to_have_value(NOTES[colour])
    expect(page.locator("#review-overall")).to_contain_class("light--rood")

    # Finalise: the page becomes read-only.
    finalise_url = reverse("trajectories:review_finalise", args=[trajectory.pk, review.pk])
    page.locator("#finalise-start").click()  # asks first, in place
    expect(page.locator("#finalise-heading")).to_be_focused()
    follow(page, page.locator(f"#finalise-panel form[action='{finalise_url}'] button[type=submit]"))
    assert page.url == live_server.url + review.get_absolute_url()
    expect(page.locator(".light-picker")).to_have_count(0)
    expect(page.locator("main textarea")).to_have_count(0)
    expect(page.locator("#finalise-start")).to_have_count(0)
    for colour, ri in assessed.items():
        expect(page.locator(f"td#light-{ri.pk}")).to_have_attribute("data-light", colour)
        expect(page.locator(f"td#note-{ri.pk}")).to_contain_text(NOTES[colour])
    review.refresh_from_db()
    assert review.is_final

    # The next review, started from the review list: lights and the open action carry over.
    follow(page, page.locator(f"main a[href='{list_url}']").last)  # the first one is the breadcrumb
    follow(page, page.locator(f"main a[href='{start_url}']"))
    page.locator("input[name=held_on]").fill(today.isoformat())
    submit(page)
    second = Review.objects.get(trajectory=trajectory, finalised_at__isnull=True)
    assert second != review
    assert page.url == live_server.url + second.get_absolute_url()
    now_items = {ri.item_id: ri for ri in _items(second)}
    for colour, ri in assessed.items():
        expect(page.locator(f"td#light-{now_items[ri.item_id].pk}")).to_have_attribute("data-light", colour)
    for ri in items[3:]:
        expect(page.locator(f"td#light-{now_items[ri.item_id].pk}")).to_have_attribute("data-light", "grijs")
    carried = page.locator(f"td#actions-{now_items[red.item_id].pk} li.review-action")
    expect(carried).to_have_count(1)
    expect(carried).to_contain_text(ACTION)
    expect(page.locator("#review-overall")).to_contain_class("light--rood")
    expect(page.locator(".light-picker")).to_have_count(len(items))

    # The trend chart on the review list has one column per review.
    goto(page, list_url)
    chart = page.locator("figure.trend-chart-figure svg.trend-chart")
    expect(chart).to_be_visible()
    expect(chart.locator("g.trend-chart__column")).to_have_count(2)
    figures = page.locator("figure.trend-chart-figure details")
    figures.locator("summary").click()
    rows = figures.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_be_visible()


def test_review_page_works_without_javascript(login_as, bewerker, trajectory, live_server):
    review = _start_review(trajectory, bewerker)
    ri = _items(review)[0]
    page = login_as(bewerker, java_script_enabled=False)
    review_url = review.get_absolute_url()
    goto(page, review_url)

    # A light button is a plain form: POST, redirect back to the item's row.
    with page.expect_navigation() as navigation:
        page.locator(f"#light-{ri.pk}-oranje").click()
    response = navigation.value
    assert response is not None and response.status == 200
    assert response.request.redirected_from is not None and response.request.redirected_from.method == "POST"
    assert page.url == f"{live_server.url}{review_url}#item-{ri.pk}"
    reload(page)
    expect(page.locator(f"td#light-{ri.pk}")).to_have_attribute("data-light", "oranje")
    expect(page.locator(f"#light-{ri.pk}-oranje")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f"#light-{ri.pk}-groen")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#review-overall")).to_contain_class("light--oranje")

    # The note has a visible "Save note" button.
    note = "Besproken zonder JavaScript."
    page.locator(f"#note-input-{ri.pk}").fill(note)
    save = page.locator(f"td#note-{ri.pk} button[type=submit]")
    expect(save).to_be_visible()
    follow(page, save)
    reload(page)
    expect(page.locator(f"#note-input-{ri.pk}")).to_have_value(note)
    expect(page.locator(f"td#light-{ri.pk}")).to_have_attribute("data-light", "oranje")  # the note kept the light

    # The "new action" form is a plain <details> form too, rendered open for an orange item.
    description = "Agenda sturen aan de kernteamleden"
    expect(page.locator(f"td#actions-{ri.pk} details.action-add")).to_have_attribute("open", "")
    page.locator(f"#a{ri.pk}-description").fill(description)
    follow(page, page.locator(f"td#actions-{ri.pk} details.action-add button[type=submit]"))
    expect(page.locator(f"td#actions-{ri.pk} li.review-action")).to_contain_text(description)

    ri.refresh_from_db()
    assert (ri.colour, ri.note) == ("oranje", note)
    assert Action.objects.get(trajectory=trajectory).description == description


def test_light_changed_by_a_colleague_is_not_overwritten(login_as, bewerker, beheerder, trajectory):
    review = _start_review(trajectory, bewerker)
    ri = _items(review)[0]
    page_a = login_as(bewerker)
    page_b = login_as(beheerder)
    goto(page_a, review.get_absolute_url())
    goto(page_b, review.get_absolute_url())
    cell_b = page_b.locator(f"td#light-{ri.pk}")
    expect(cell_b).to_have_attribute("data-light", "grijs")

    # A sets the item to red; B still sees it unassessed.
    with htmx_request(page_a, "POST"):
        page_a.locator(f"#light-{ri.pk}-rood").click()
    expect(page_a.locator(f"td#light-{ri.pk}")).to_have_attribute("data-light", "rood")
    expect(cell_b).to_have_attribute("data-light", "grijs")

    # B clicks orange on the old state: refused, with a warning that names who changed it.
    with htmx_request(page_b, "POST"):
        page_b.locator(f"#light-{ri.pk}-oranje").click()
    alert = cell_b.locator(".alert")
    expect(alert).to_be_visible()
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_contain_text(bewerker.get_full_name())
    expect(cell_b).to_have_attribute("data-light", "rood")
    expect(page_b.locator(f"#light-{ri.pk}-rood")).to_have_attribute("aria-pressed", "true")
    expect(page_b.locator(f"#light-{ri.pk}-oranje")).to_have_attribute("aria-pressed", "false")
    ri.refresh_from_db()
    assert ri.colour == "rood"

    # Now that B has seen red, clicking orange again is a deliberate change and is saved.
    with htmx_request(page_b, "POST"):
        page_b.locator(f"#light-{ri.pk}-oranje").click()
    expect(cell_b).to_have_attribute("data-light", "oranje")
    expect(cell_b.locator(".alert")).to_have_count(0)
    expect(cell_b.locator(".saved-hint")).to_be_visible()
    expect(page_b.locator("#review-overall")).to_contain_class("light--oranje")
    ri.refresh_from_db()
    assert (ri.colour, ri.updated_by) == ("oranje", beheerder)
