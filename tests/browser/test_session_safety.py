"""A review never loses a word when the session or the page expires, and the idle logout is announced ahead.

Issue 18: the session ends on the server (logout elsewhere, idle logout) while the page stays open; or the
CSRF cookie is lost. The next note and light must not put a login page into the table, the page must say what
happened, and what was typed must be saved once the user is back.
"""

import re

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from trajectories import services
from trajectories.models import Review, ReviewItem

from .conftest import PASSWORD
from .helpers import goto

NOTE = "Jurist is ziek; inhaaltraining in januari."
EXPIRED = "Uw sessie is verlopen. Log opnieuw in; wat u typte is bewaard."
PAGE_EXPIRED = "Deze pagina is verlopen. Laad haar opnieuw; wat u typte is bewaard."


def _open_review(trajectory, bewerker) -> tuple[Review, list[ReviewItem]]:
    services.checklist_copy_from_template(trajectory=trajectory, phase="verkennen", by=bewerker)
    review = services.review_start(
        trajectory=trajectory, by=bewerker, held_on=timezone.localdate(), phases=["verkennen"]
    )
    return review, list(review.items.order_by("position", "pk"))


def _type_note_and_set_light(page: Page, note_item: ReviewItem, light_item: ReviewItem, status: int) -> None:
    """Type a note (saved on leaving the field) and press a light; both saves fail with ``status``."""
    with page.expect_response(lambda r: r.request.method == "POST" and r.status == status):
        page.locator(f"#note-input-{note_item.pk}").fill(NOTE)
        page.locator(f"#note-input-{note_item.pk}").press("Tab")
    with page.expect_response(lambda r: r.request.method == "POST" and r.status == status):
        page.locator(f"#light-{light_item.pk}-rood").click()


def _nothing_was_swapped_in(page: Page, note_item: ReviewItem, light_item: ReviewItem) -> None:
    tables = page.locator("table.review-table")
    expect(tables.locator("input[name=password]")).to_have_count(0)
    expect(tables.locator("h1")).to_have_count(0)
    expect(page.locator(f"#note-input-{note_item.pk}")).to_have_value(NOTE)  # the typed text stays in its field
    # Each failed save says so where it happened, visibly.
    expect(page.locator(f"td#note-{note_item.pk} .save-failed")).to_be_visible()
    expect(page.locator(f"td#light-{light_item.pk} .save-failed")).to_be_visible()
    expect(page.locator(f"td#light-{light_item.pk}")).to_have_attribute("data-light", "grijs")


def _saved_after_return(page: Page, note_item: ReviewItem, light_item: ReviewItem) -> None:
    expect(page.locator("#drafts-restored")).to_be_visible()
    expect(page.locator(f"td#note-{note_item.pk} .saved-hint")).to_be_visible()
    expect(page.locator(f"td#light-{light_item.pk}")).to_have_attribute("data-light", "rood")
    note_item.refresh_from_db()
    light_item.refresh_from_db()
    assert note_item.note == NOTE
    assert light_item.colour == "rood"
    # Saved once: the kept copy is gone, so another reload saves nothing again.
    kept = page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('fii-draft|'))")
    assert kept == []


def test_ended_session_keeps_the_note_and_saves_it_after_logging_in(login_as, bewerker, trajectory, problems):
    review, items = _open_review(trajectory, bewerker)
    note_item, light_item = items[0], items[1]
    page = login_as(bewerker)
    goto(page, review.get_absolute_url())
    item_path = reverse("trajectories:review_item", args=[trajectory.pk, review.pk, note_item.pk])
    problems.expect_status(item_path, 401)
    problems.expect_status(reverse("trajectories:review_item", args=[trajectory.pk, review.pk, light_item.pk]), 401)

    Session.objects.all().delete()  # logged out on the server (another tab, the idle logout); cookies stay
    _type_note_and_set_light(page, note_item, light_item, 401)

    _nothing_was_swapped_in(page, note_item, light_item)
    alert = page.locator("#session-alert")
    expect(alert).to_be_visible()
    expect(alert.get_by_text(EXPIRED)).to_be_visible()
    login_again = alert.get_by_role("link", name="Opnieuw inloggen")
    expect(login_again).to_be_focused()  # keyboard users land on the way out
    note_item.refresh_from_db()
    assert note_item.note == ""

    login_again.click()
    page.wait_for_url(re.compile(r"/inloggen/\?next="))
    page.locator("#id_username").fill(bewerker.email)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    assert page.url.endswith(review.get_absolute_url())
    _saved_after_return(page, note_item, light_item)


def test_lost_csrf_cookie_keeps_the_note_and_saves_it_after_reloading(login_as, bewerker, trajectory, problems):
    review, items = _open_review(trajectory, bewerker)
    note_item, light_item = items[0], items[1]
    page = login_as(bewerker)
    goto(page, review.get_absolute_url())
    problems.expect_status(reverse("trajectories:review_item", args=[trajectory.pk, review.pk, note_item.pk]), 403)
    problems.expect_status(reverse("trajectories:review_item", args=[trajectory.pk, review.pk, light_item.pk]), 403)

    page.context.clear_cookies(name="csrftoken")
    _type_note_and_set_light(page, note_item, light_item, 403)

    _nothing_was_swapped_in(page, note_item, light_item)
    alert = page.locator("#session-alert")
    expect(alert).to_be_visible()
    expect(alert.get_by_text(PAGE_EXPIRED)).to_be_visible()
    expect(alert.get_by_text(EXPIRED)).to_be_hidden()
    with page.expect_navigation():
        alert.get_by_role("link", name="Pagina opnieuw laden").click()
    _saved_after_return(page, note_item, light_item)


def test_idle_warning_two_minutes_ahead_and_stay_logged_in(login_as, bewerker, trajectory, problems):
    review, items = _open_review(trajectory, bewerker)
    page = login_as(bewerker)
    page.clock.install()
    goto(page, review.get_absolute_url())
    warning = page.locator("#idle-warning")
    button = page.locator(f"#light-{items[0].pk}-groen")
    button.focus()

    page.clock.run_for("27:50")  # 28 minutes idle: not yet
    expect(warning).to_be_hidden()
    page.clock.run_for("00:15")
    expect(warning).to_be_visible()
    expect(warning).to_have_attribute("role", "alertdialog")
    expect(warning).to_contain_text("Zonder activiteit wordt u over 2 minuten uitgelogd.")
    keep = warning.get_by_role("button", name="Blijf ingelogd")
    expect(keep).to_be_focused()

    with page.expect_response(lambda r: r.url.endswith(reverse("session_keepalive"))) as answer:
        page.keyboard.press("Enter")
    assert answer.value.status == 200
    expect(warning).to_be_hidden()
    expect(button).to_be_focused()  # back where the user was

    page.clock.run_for("27:00")  # the deadline moved: 27 minutes later, no warning yet
    expect(warning).to_be_hidden()
    page.clock.run_for("01:10")
    expect(warning).to_be_visible()
    page.clock.run_for("02:00")  # nobody answered: the page says the session has ended
    expect(warning).to_be_hidden()
    expect(page.locator("#session-alert")).to_be_visible()
    expect(page.locator("#session-alert").get_by_text(EXPIRED)).to_be_visible()


def test_keepalive_that_fails_says_so_in_the_warning(login_as, bewerker, trajectory, problems):
    page = login_as(bewerker)
    page.clock.install()
    goto(page, reverse("trajectories:portfolio"))
    problems.expect_status(reverse("session_keepalive"), 401)
    page.clock.run_for("28:05")
    warning = page.locator("#idle-warning")
    expect(warning).to_be_visible()
    Session.objects.all().delete()
    warning.get_by_role("button", name="Blijf ingelogd").click()
    expect(page.locator("#session-alert")).to_be_visible()
    expect(page.locator("#session-alert").get_by_text(EXPIRED)).to_be_visible()
