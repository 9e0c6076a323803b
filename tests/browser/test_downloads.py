"""Issue 21 in the browser: an organisation's export is queued, its page shows the progress and, without a
reload, the result once the worker is done; the Downloads page lists it. Screenshots at 1280 and 320 px go to
screenshots/ in the worktree (ignored by git)."""

from django.urls import reverse
from playwright.sync_api import expect

from tests.mailhelpers import run_queued_tasks

from .helpers import goto, shot_fits


def test_an_export_shows_its_progress_and_then_its_file_under_downloads(login_as, beheerder, trajectory):
    page = login_as(beheerder)
    goto(page, reverse("organisations:detail", args=[trajectory.owner_id]))
    with page.expect_navigation():
        page.get_by_role("button", name="Alle trajecten exporteren (JSON)").click()
    progress = page.get_by_role("progressbar")
    expect(progress).to_have_attribute("aria-valuenow", "0")
    expect(page.locator("#job-status")).to_contain_text("Wacht op zijn beurt")
    shot_fits(page, "i21-job-queued")

    assert run_queued_tasks() == 1
    # The page asks every two seconds and shows the result without a reload; the live region says so.
    expect(page.locator("#job-status")).to_contain_text("Klaar", timeout=8_000)
    expect(page.locator("#live-region")).to_contain_text("Klaar")
    shot_fits(page, "i21-job-done")
    with page.expect_download() as download:
        page.locator("#job-status a[download]").click()
    assert download.value.suggested_filename.startswith("trajecten-gemeente-testdam-")

    goto(page, reverse("account:downloads"))
    expect(page.locator(".downloads__item")).to_contain_text("Export van de trajecten van Gemeente Testdam")
    shot_fits(page, "i21-downloads")
