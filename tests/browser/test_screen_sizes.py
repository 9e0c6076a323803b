"""The main pages at the three screens users have: a laptop, a projector at 150% zoom and a tablet.

Each page is checked for horizontal overflow of the page itself (wide tables scroll inside their own
.table-responsive region) and saved as a screenshot in screenshots/ for a person to look at. Printing is
checked the same way: the print stylesheet hides navigation, buttons and forms.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page

from tests.factories import OrganisationFactory
from tests.test_permissions import MATRIX
from trajectories import services

from .helpers import SCREENSHOTS, goto

SHOTS = SCREENSHOTS
SIZES = {
    "laptop": {"viewport": {"width": 1280, "height": 800}},
    # A 1920×1080 projector at 150% zoom: 1280×720 CSS pixels at a device scale factor of 1.5.
    "projector": {"viewport": {"width": 1280, "height": 720}, "device_scale_factor": 1.5},
    "tablet": {"viewport": {"width": 768, "height": 1024}, "is_mobile": False, "has_touch": True},
}
PAGES = [
    "trajectories:portfolio",
    "trajectories:detail",
    "trajectories:phase",
    "trajectories:review",
    "trajectories:reviews",
    "trajectories:actions",
    "trajectories:my_actions",
    "trajectories:shortlist_compare",
    "trajectories:plan",
    "trajectories:stakeholder_map",
    "trajectories:stakeholder",
    "trajectories:team",
    "trajectories:cfir",
    "trajectories:fidelity",
    "trajectories:progress_report",
    "trajectories:portfolio_report",
    "accessibility",
]
PRINTED = [
    "trajectories:detail",
    "trajectories:review",
    "trajectories:reviews",
    "trajectories:shortlist_compare",
    "trajectories:plan",
    "trajectories:stakeholder_map",
    "trajectories:progress_report",
]


def _filled(trajectory, by) -> dict[str, str]:
    """A trajectory with a finished and an open review (lights set), actions, candidates and stakeholders."""
    services.checklist_copy_from_template(trajectory=trajectory, phase="verkennen", by=by)
    earlier = services.review_start(
        trajectory=trajectory, by=by, held_on=timezone.localdate() - dt.timedelta(days=14), phases=["verkennen"]
    )
    for item, colour in zip(earlier.items.all(), ["groen", "oranje", "rood", "oranje"], strict=False):
        services.review_item_set(review_item=item, by=by, colour=colour, note="Besproken")
    services.review_finalise(review=earlier, by=by)
    services.action_create(
        trajectory=trajectory, by=by, assignee=by, description="Agenda rondsturen", due_on=timezone.localdate()
    )
    for name in ("Welzijn Noord", "Buurtwerk Zuid"):
        services.candidate_add(trajectory=trajectory, by=by, organisation=OrganisationFactory(name=name))
    urls = {}
    for name in PAGES:
        args_for = MATRIX[name][0]
        args = args_for(trajectory) if args_for else None
        with translation.override("nl"):  # Dutch, whatever language an earlier test left active
            urls[name] = reverse(name, args=args)
    review = trajectory.reviews.filter(finalised_at__isnull=True).get()
    for item, colour in zip(review.items.all(), ["groen", "rood"], strict=False):
        services.review_item_set(review_item=item, by=by, colour=colour, note="Vandaag besproken")
    return urls


def _overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("size", list(SIZES))
def test_main_pages_fit_the_screen(login_as, bewerker, trajectory, size):
    urls = _filled(trajectory, bewerker)
    page = login_as(bewerker, **SIZES[size])
    SHOTS.mkdir(exist_ok=True)
    too_wide = []
    for name, url in urls.items():
        goto(page, url)
        page.screenshot(path=SHOTS / f"{size}-{name.split(':')[-1]}.png", full_page=True)
        if (extra := _overflow(page)) > 0:
            too_wide.append(f"{name} {url}: {extra}px wider than the window")
    assert not too_wide, "\n".join(too_wide)


def test_printed_pages_hide_the_controls(login_as, bewerker, trajectory):
    urls = _filled(trajectory, bewerker)
    page = login_as(bewerker)
    page.emulate_media(media="print")
    SHOTS.mkdir(exist_ok=True)
    for name in PRINTED:
        goto(page, urls[name])
        visible = page.evaluate(
            """() => [...document.querySelectorAll("nav:not(.phase-nav), .site-footer, main button, main form, .btn")]
                     .filter(el => el.offsetParent !== null || getComputedStyle(el).display !== "none")
                     .filter(el => el.getClientRects().length > 0)
                     .map(el => el.outerHTML.slice(0, 100))"""
        )
        assert not visible, f"{name} prints controls: {visible[:5]}"
        page.pdf(path=SHOTS / f"print-{name.split(':')[-1]}.pdf", format="A4", print_background=True)
