"""Screenshots of a trajectory page at common screen sizes, for review, and a check on overflow.

The screenshots land in screenshots/ at the project root (git-ignored).
"""

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import OrganisationFactory, make_trajectory
from trajectories import services
from trajectories.models import Progress

from .helpers import goto

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture
def demo_trajectory(municipality, bewerker):
    """A trajectory like the demo data: partners, notes, and one completed phase behind it."""
    trajectory = make_trajectory(
        owner=municipality,
        by=bewerker,
        title="Vroeg Eropaf Testdam",
        intervention_name="Vroeg Eropaf: huisbezoek bij de eerste betalingsachterstand",
        commissioner="Wethouder Armoede en Schuldhulpverlening",
        receiving_organisation=OrganisationFactory(name="Stichting Welzijn Testdam"),
        participants=[OrganisationFactory(name="Hogeschool van Amsterdam, Lectoraat Armoede Interventies")],
        start_date=dt.date(2026, 1, 12),
        end_date=dt.date(2027, 6, 30),
    )
    for code, notes in (
        ("2a", "Shortlist: Stichting Welzijn Testdam en Buurtteam Oost; beide doen al huisbezoeken."),
        ("2b", "Samenwerkingsovereenkomst getekend; de stuurgroep komt elke zes weken bijeen."),
        ("2c", "Gezamenlijk projectplan; de teamleider van het buurtteam is mede-eigenaar."),
    ):
        services.subphase_update(
            trajectory=trajectory, subphase=code, by=bewerker, status=Progress.AFGEROND, notes=notes
        )
    services.trajectory_move(
        trajectory=trajectory,
        by=bewerker,
        to_phase="innoveren",
        complete_current=True,
        open_points_confirmed=True,
        completion_note="Overeenkomst met Stichting Welzijn Testdam getekend.",
        reason="Ontvangende organisatie gekozen in stuurgroep; de pilot in Oost start na de zomer.",
    )
    return trajectory


@pytest.mark.parametrize(
    ("name", "viewport", "scale"),
    [
        pytest.param("trajectory-1280x800", {"width": 1280, "height": 800}, 1, id="laptop"),
        pytest.param("trajectory-1920x1080@1.5x", {"width": 1920, "height": 1080}, 1.5, id="desktop-hidpi"),
        pytest.param("trajectory-768x1024", {"width": 768, "height": 1024}, 1, id="tablet"),
    ],
)
def test_trajectory_page_fits_the_screen(login_as, bewerker, demo_trajectory, name, viewport, scale):
    page = login_as(bewerker, viewport=viewport, device_scale_factor=scale)
    goto(page, demo_trajectory.get_absolute_url())
    expect(page.locator("#current-phase-heading")).to_contain_text("Innoveren")

    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width + 1, f"the page is {scroll_width}px wide in a {inner_width}px window"
