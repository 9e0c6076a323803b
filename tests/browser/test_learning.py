"""Issue 22: a manager opens the organisation's learning page and follows a figure to the trajectory behind it."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import make_trajectory

from .helpers import follow, goto


def test_lezer_follows_a_stalled_trajectory_from_the_learning_page(login_as, municipality, bewerker, lezer):
    started = timezone.now() - dt.timedelta(days=90)
    stalled = make_trajectory(
        owner=municipality, by=bewerker, title="Stille Wijken", at=started, start_date=started.date()
    )
    make_trajectory(owner=municipality, by=bewerker, title="Net Begonnen")
    page = login_as(lezer)
    goto(page, reverse("organisations:detail", args=[municipality.pk]))
    follow(page, page.get_by_role("link", name="Leren van trajecten"))
    expect(page.locator("h1")).to_have_text("Leren van trajecten")
    section = page.locator("section", has=page.get_by_role("heading", name="Vastgelopen trajecten"))
    expect(section.locator("tbody tr")).to_have_count(1)
    follow(page, section.get_by_role("link", name="Stille Wijken"))
    assert page.url.endswith(stalled.get_absolute_url())
    expect(page.locator("h1")).to_contain_text("Stille Wijken")
