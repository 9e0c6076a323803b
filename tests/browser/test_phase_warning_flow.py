"""Issue 19 in the browser: completing a phase with a red checklist item shows the warning, asks for
confirmation, and the timeline keeps the open point."""

import datetime as dt
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import expect

from trajectories import services
from trajectories.models import ChecklistItem

from .helpers import goto, submit

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def test_completing_a_phase_with_a_red_item_warns_and_records_it(login_as, bewerker, trajectory):
    review = services.review_start(
        trajectory=trajectory, by=bewerker, held_on=dt.date(2026, 10, 1), phases=["verkennen"]
    )
    for n, row in enumerate(review.items.order_by("position"), start=1):
        services.review_item_set(review_item=row, by=bewerker, colour="rood" if n == 1 else "groen")
    services.review_finalise(review=review, by=bewerker)
    red = ChecklistItem.objects.filter(trajectory=trajectory, phase="verkennen").order_by("position").first()

    page = login_as(bewerker, viewport={"width": 1280, "height": 800})
    url = reverse("trajectories:transition", args=[trajectory.pk])
    goto(page, url)
    warning = page.locator("section.alert-warning")
    expect(warning).to_contain_text("1 rood, 0 oranje, 0 niet beoordeeld")
    expect(warning).to_contain_text(red.text)
    page.locator("select[name=to_phase]").select_option("innoveren")
    page.locator("input[name=complete_current]").check()
    page.locator("textarea[name=completion_note]").fill("Overeenkomst getekend")
    page.locator("textarea[name=reason]").fill("Stuurgroep akkoord")
    submit(page, redirects=False)
    expect(page.locator("#id_confirm_open_points ~ .invalid-feedback, .invalid-feedback")).to_contain_text(
        "Bevestig dat u de fase toch afrondt"
    )
    expect(page.locator("textarea[name=completion_note]")).to_have_value("Overeenkomst getekend")
    SHOTS.mkdir(exist_ok=True)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=str(SHOTS / f"phase-warning-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.locator("input[name=confirm_open_points]").check()
    submit(page)
    timeline = page.locator("#timeline-list")
    expect(timeline).to_contain_text("Afgerond met open punten:")
    expect(timeline).to_contain_text(f"Rood: {red.text}")
    page.screenshot(path=str(SHOTS / "phase-warning-timeline-1280.png"), full_page=True)
