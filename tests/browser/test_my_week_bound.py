"""Mijn week when its bounds cut items (issue 21): the badges say "2 van 3", with a text for screen readers, and a
section whose items were all cut says so instead of "niets op de planning". Screenshots at 1280 and 320 px."""

import datetime as dt

from playwright.sync_api import expect

from tests.factories import make_trajectory
from tests.trajectories.test_my_week import review_due_on
from trajectories import services

from .helpers import shot_fits


def test_cut_sections_say_how_many_of_how_many(login_as, bewerker, municipality, monkeypatch):
    monkeypatch.setattr("trajectories.my_week.MAX_ACTIONS", 2)
    today = dt.date.today()
    trajectory = make_trajectory(owner=municipality, by=bewerker, title="Schuldhulp Vroeg")
    review_due_on(trajectory, today + dt.timedelta(days=30))
    for n, due in enumerate((-1, -6, -3, 2)):
        services.action_create(
            trajectory=trajectory,
            by=bewerker,
            description=f"Taak {n}",
            assignee=bewerker,
            due_on=today + dt.timedelta(days=due),
        )
    page = login_as(bewerker)
    overdue = page.locator("#week-overdue")
    expect(overdue.locator("[aria-hidden=true]")).to_have_text("2 van 3")
    expect(overdue.locator(".visually-hidden")).to_have_text("2 getoond van 3")
    expect(page.locator("#week-due")).to_contain_text("0 van 1")
    due = page.locator("section[aria-labelledby=week-due]")
    expect(due).to_contain_text("1 punt wordt hier niet getoond")
    expect(due).not_to_contain_text("niets op de planning")
    shot_fits(page, "i21-my-week-cut")


def test_signals_of_left_out_trajectories_are_open_ended(login_as, bewerker, municipality, monkeypatch):
    monkeypatch.setattr("trajectories.my_week.MAX_TRAJECTORIES", 1)
    today = dt.date.today()
    for title, due in (("Eerst", -9), ("Ook laat", -2), ("Bijna", 5)):
        review_due_on(make_trajectory(owner=municipality, by=bewerker, title=title), today + dt.timedelta(days=due))
    page = login_as(bewerker)
    expect(page.locator("#week-overdue")).to_contain_text("1 van 2")
    expect(page.locator("#week-due")).to_contain_text("0 van 1")
    expect(page.locator("#week-signals [aria-hidden=true]")).to_have_text("0+")
    expect(page.locator("section[aria-labelledby=week-signals]")).to_contain_text("Geen in de getoonde trajecten")
    expect(page.locator("#week-bound")).to_contain_text("Bekijk alle trajecten in het portfolio")
    shot_fits(page, "i21-my-week-cut-trajectories")
