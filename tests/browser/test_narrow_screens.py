"""Phones (WCAG 1.4.10 reflow): every page type at 320x640 and 390x844 fits the width, and passes axe at 320 px.

The page list is the one the axe test uses (every GET URL name of the permission matrix that renders a page,
as a beheerder, in Dutch). One browser context and one logged-in page serve every page and both sizes, so the
test stays affordable: the viewport is narrowed in place, which reflows the page without loading it again.
Only a data table may be wider than the screen, inside its own scroll region (role="region", tabindex="0").
"""

import datetime as dt
import time

from django.utils import timezone
from playwright.sync_api import Page, expect

from trajectories import services

from .helpers import goto
from .test_accessibility import axe_violations, build_urls, describe, page_names
from .test_layout import SCREENSHOTS

SIZES = [{"width": 320, "height": 640}, {"width": 390, "height": 844}]

# The elements that stick out beyond the window, outside a scroll region: what a failure message needs.
OVERFLOW = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest("[role=region][tabindex='0']")) continue;
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1) {
      out.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}.${[...el.classList].join(".")} ` +
               `right=${Math.round(box.right)}`);
    }
  }
  return [`scrollWidth ${document.documentElement.scrollWidth} > ${width}`, ...out.slice(-6)];
}"""

# A wide table must sit in a region a keyboard user can scroll: focusable and named.
BAD_SCROLLERS = """() => [...document.querySelectorAll("main *")].filter(el => {
  const s = getComputedStyle(el);
  return (s.overflowX === "auto" || s.overflowX === "scroll") && el.scrollWidth > el.clientWidth + 1 &&
         !(el.getAttribute("tabindex") === "0" && el.getAttribute("role") === "region" &&
           (el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")));
}).map(el => el.outerHTML.slice(0, 120))"""


def _fill_trajectory(trajectory, by):
    """Content that makes pages wide: a review with lights, notes and an action, and a history."""
    services.checklist_copy_from_template(trajectory=trajectory, phase="verkennen", by=by)
    review = services.review_start(trajectory=trajectory, by=by, held_on=timezone.localdate(), phases=["verkennen"])
    for item, colour in zip(review.items.all(), ["groen", "oranje", "rood"], strict=False):
        services.review_item_set(
            review_item=item, by=by, colour=colour, note=f"Notitie {colour}: overleg met de wijkteamleider volgt."
        )
    services.action_create(
        trajectory=trajectory,
        by=by,
        description="Bellen met de teamleider van Stichting Welzijn Testdam over de inhaaltraining",
        due_on=timezone.localdate() - dt.timedelta(days=3),
    )
    return review


def test_every_page_type_fits_a_phone_and_passes_axe(login_as, beheerder, trajectory):
    _fill_trajectory(trajectory, beheerder)
    urls = build_urls(page_names("beheerder"), trajectory, "nl")
    assert len(urls) >= 30, urls
    page = login_as(beheerder, viewport=SIZES[0])
    started = time.monotonic()
    overflow: list[str] = []
    scrollers: list[str] = []
    violations: list[str] = []
    for name, url in urls.items():
        page.set_viewport_size(SIZES[0])
        goto(page, url)  # loaded at 320 px, as a phone loads it
        for size in SIZES:
            if page.viewport_size != size:
                page.set_viewport_size(size)
                # fii.js re-marks the scroll regions 100 ms after a resize, then notes the width it marked for.
                page.wait_for_function(
                    "width => document.documentElement.dataset.regionsWidth === String(width)", arg=size["width"]
                )
            found = page.evaluate(f"() => [({OVERFLOW})(), ({BAD_SCROLLERS})()]")  # one round trip for both
            if found[0]:
                overflow.append(f"{name} {url} at {size['width']}px: " + "; ".join(found[0]))
            scrollers.extend(f"{name} at {size['width']}px: {html}" for html in found[1])
            if size == SIZES[0]:
                violations.extend(describe(f"{name} {url} (320 px)", axe_violations(page)))
    duration = time.monotonic() - started
    print(f"\n{len(urls)} pages at {len(SIZES)} sizes with axe at 320 px in {duration:.0f} s")
    problems = overflow + scrollers + violations
    assert not problems, f"{len(problems)} problems on {len(urls)} pages:\n" + "\n".join(problems)


def test_menu_folds_on_a_phone_and_opens_with_the_keyboard(login_as, bewerker):
    page = login_as(bewerker, viewport=SIZES[0])
    toggler = page.locator(".site-nav__toggler")
    expect(toggler).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#site-menu .nav-link").first).to_be_hidden()
    toggler.focus()
    page.keyboard.press("Enter")
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#site-menu .nav-link").first).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(toggler).to_be_focused()
    expect(page.locator("#site-menu .nav-link").first).to_be_hidden()
    # On a wide screen there is no button and the menu is simply there.
    page.set_viewport_size({"width": 1280, "height": 720})
    expect(toggler).to_be_hidden()
    expect(page.locator("#site-menu .nav-link").first).to_be_visible()


def _shoot(page: Page, name: str) -> None:
    """The first screen, as the user sees it, and the whole page."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png")
    page.screenshot(path=SCREENSHOTS / f"{name}-full.png", full_page=True)


def test_review_is_stacked_on_a_phone_and_first_item_on_the_projector_screen(login_as, bewerker, trajectory):
    review = _fill_trajectory(trajectory, bewerker)
    page = login_as(bewerker, viewport={"width": 1280, "height": 720})
    goto(page, review.get_absolute_url())
    first_row = page.locator("tr.review-row").first
    # Projector: the first checklist item, with its light buttons, is on the first screen without scrolling.
    box = first_row.locator(".light-picker").bounding_box()
    assert box is not None and box["y"] + box["height"] <= 720, f"first item's lights end at {box}"
    expect(page.locator(".review-shortcuts")).not_to_have_attribute("open", "")
    _shoot(page, "review-1280x720")
    for size in SIZES:
        page.set_viewport_size(size)
        name = f"review-{size['width']}x{size['height']}"
        _shoot(page, name)
        # Stacked: the item, the light buttons, the note and the actions sit one above the other.
        cells = [first_row.locator(sel).bounding_box() for sel in ("th", "td >> nth=0", "td >> nth=1", "td >> nth=2")]
        tops = [c["y"] for c in cells if c]
        assert len(tops) == 4 and tops == sorted(tops) and len(set(tops)) == 4, f"{name}: not stacked: {cells}"
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]


def test_screenshots_of_portfolio_and_trajectory(login_as, bewerker, trajectory):
    _fill_trajectory(trajectory, bewerker)
    page = login_as(bewerker, viewport={"width": 1280, "height": 720})
    for size in [{"width": 1280, "height": 720}, *SIZES]:
        page.set_viewport_size(size)
        for name, path in (("portfolio", "/"), ("trajectory", trajectory.get_absolute_url())):
            goto(page, path)
            _shoot(page, f"{name}-{size['width']}x{size['height']}")
            assert not page.evaluate(OVERFLOW), (name, size, page.evaluate(OVERFLOW))
