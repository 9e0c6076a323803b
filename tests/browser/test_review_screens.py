"""The review page at 1280×720 (projector), 390×844 (phone) and 320×640, with the finalise confirmation open and
with the session message shown; screenshots go to screenshots/ (git ignores it) for a person to look at."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.test_permissions import stakeholder_of
from trajectories import services

from .helpers import goto

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
SIZES = {"1280x720": (1280, 720), "390x844": (390, 844), "320x640": (320, 640)}


@pytest.mark.parametrize("size", sorted(SIZES))
def test_review_page_screens(login_as, bewerker, trajectory, problems, size):
    width, height = SIZES[size]
    stakeholder_of(trajectory)
    services.checklist_copy_from_template(trajectory=trajectory, phase="verkennen", by=bewerker)
    review = services.review_start(
        trajectory=trajectory, by=bewerker, held_on=timezone.localdate(), phases=["verkennen"], attendees=[bewerker]
    )
    first = review.items.order_by("position", "pk").first()
    services.review_item_set(review_item=first, by=bewerker, colour="rood")
    page = login_as(bewerker, viewport={"width": width, "height": height})
    goto(page, review.get_absolute_url())
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"review-{size}.png"))
    page.locator("#finalise-start").click()
    page.locator("#finalise-heading").wait_for()
    page.locator("#finalise-panel").screenshot(path=str(SHOTS / f"review-finalise-{size}.png"))
    problems.expect_status(reverse("trajectories:review_item", args=[trajectory.pk, review.pk, first.pk]), 401)
    from django.contrib.sessions.models import Session

    Session.objects.all().delete()
    page.locator(f"#note-input-{first.pk}").fill("Wordt bewaard")
    with page.expect_response(lambda r: r.status == 401):
        page.locator(f"#note-input-{first.pk}").press("Tab")
    page.locator("#session-alert").wait_for()
    page.screenshot(path=str(SHOTS / f"review-session-expired-{size}.png"))
