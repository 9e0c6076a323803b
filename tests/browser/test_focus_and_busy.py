"""One visible focus style (>= 3:1 against what surrounds it), an announced portfolio count, and busy states.

Busy states are transient, so the tests hold the request (Playwright routing) while they look at the page.
"""

import re

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, Route, expect

from trajectories import services

from .helpers import goto

# The focused element's outline colour against the first opaque background behind it (its parent's, since
# the outline sits outside the element), as WCAG 2.1's contrast ratio; plus what the outline looks like.
FOCUS_CONTRAST = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let bg = [255, 255, 255];
  for (let node = el.parentElement; node; node = node.parentElement) {
    const c = rgb(getComputedStyle(node).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) { bg = c.slice(0, 3); break; }
  }
  const a = lum(rgb(s.outlineColor).slice(0, 3)), b = lum(bg);
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  return {what: el.outerHTML.slice(0, 90), style: s.outlineStyle, width: parseFloat(s.outlineWidth), ratio};
}"""


def _check_focus_on_tab_stops(page: Page, stops: int, where: str) -> list[str]:
    faults, seen = [], 0
    page.locator("body").focus()
    for _ in range(stops):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUS_CONTRAST)
        if info is None:
            break
        seen += 1
        if info["style"] == "none" or info["width"] < 2 or info["ratio"] < 3:
            faults.append(f"{where}: {info}")
    assert seen >= 5, f"{where}: only {seen} tab stops"
    return faults


def test_focus_outline_is_visible_with_3_to_1_on_every_tab_stop(login_as, bewerker, trajectory):
    services.checklist_copy_from_template(trajectory=trajectory, phase="verkennen", by=bewerker)
    review = services.review_start(
        trajectory=trajectory, by=bewerker, held_on=timezone.localdate(), phases=["verkennen"]
    )
    page = login_as(bewerker, viewport={"width": 1280, "height": 720})
    faults = []
    for path in ("/", reverse("trajectories:portfolio"), trajectory.get_absolute_url(), review.get_absolute_url()):
        goto(page, path)
        faults += _check_focus_on_tab_stops(page, 40, path)
    # The navigation on navy, on a phone too (the toggler and the opened menu).
    page.set_viewport_size({"width": 320, "height": 640})
    goto(page, "/")
    page.locator(".site-nav__toggler").click()
    faults += _check_focus_on_tab_stops(page, 12, "menu at 320 px")
    assert not faults, "\n".join(faults)


def test_portfolio_announces_its_new_count_in_a_lasting_live_region(login_as, bewerker, trajectory):
    page = login_as(bewerker)
    goto(page, reverse("trajectories:portfolio"))  # the page after login is Mijn week
    region = page.locator("#live-region")
    page.evaluate("window.fiiRegion = document.getElementById('live-region')")
    held: list[Route] = []
    page.route(re.compile(r".*/\?.*q=Schuld.*"), lambda route: held.append(route))
    page.locator("#id_q").fill("Schuld")
    expect(page.locator("#portfolio-busy")).to_be_visible()  # hx-indicator while the filter runs
    assert held, "the filter request was not held"
    held[0].continue_()
    expect(region).to_have_text("1 traject")
    expect(page.locator("#portfolio-busy")).to_be_hidden()
    assert page.evaluate("document.getElementById('live-region') === window.fiiRegion"), "the live region was replaced"
    page.unroute(re.compile(r".*/\?.*q=Schuld.*"))
    page.locator("#id_q").fill("Bestaat niet")
    expect(region).to_have_text("0 trajecten")


def test_a_save_shows_busy_until_the_server_answers(login_as, bewerker, trajectory):
    services.checklist_copy_from_template(trajectory=trajectory, phase="verkennen", by=bewerker)
    review = services.review_start(
        trajectory=trajectory, by=bewerker, held_on=timezone.localdate(), phases=["verkennen"]
    )
    item = review.items.order_by("position").first()
    page = login_as(bewerker)
    goto(page, review.get_absolute_url())
    held: list[Route] = []
    page.route(re.compile(rf".*/punt/{item.pk}/.*|.*/{item.pk}/$"), lambda route: held.append(route))
    page.locator(f"#light-{item.pk}-groen").click()
    expect(page.locator(f"td#light-{item.pk}")).to_have_attribute("aria-busy", "true")
    expect(page.locator(f"#light-{item.pk} .busy-note")).to_have_text("Bezig…")
    assert held, "the save request was not held"
    held[0].continue_()
    expect(page.locator(f"td#light-{item.pk}")).to_have_attribute("data-light", "groen")
    expect(page.locator(f"td#light-{item.pk}")).not_to_have_attribute("aria-busy", "true")


def test_pdf_link_is_busy_until_the_download_arrives(login_as, lezer, trajectory):
    page = login_as(lezer)
    goto(page, reverse("trajectories:progress_report", args=[trajectory.pk]))
    held: list[Route] = []
    page.route(re.compile(r".*voortgangsrapportage\.pdf.*"), lambda route: held.append(route))
    link = page.locator("a[data-pdf-download]")
    link.click()
    expect(link).to_have_attribute("aria-busy", "true")
    expect(page.locator("#pdf-status")).to_have_text("De pdf wordt gemaakt; dit kan enkele seconden duren…")
    with page.expect_download() as download:
        held[0].continue_()
    assert download.value.suggested_filename.endswith(".pdf")
    expect(page.locator("#pdf-status")).to_have_text("De pdf is gedownload.")
    expect(link).not_to_have_attribute("aria-busy", "true")
