"""Issue 21 in the browser: an organisation's export is queued, its page shows the progress and, without a
reload, the result once the worker is done; the Downloads page lists it. Screenshots at 1280 and 320 px go to
screenshots/ in the worktree (ignored by git)."""

import io

from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from organisations.models import Job
from tests.mailhelpers import run_queued_tasks
from trajectories import services

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


def test_an_actions_export_shows_its_progress_and_is_downloaded_from_downloads(login_as, bewerker, trajectory):
    for n in range(4):
        services.action_create(trajectory=trajectory, by=bewerker, description=f"Bellen {n}", assignee=bewerker)
    page = login_as(bewerker)
    goto(page, reverse("trajectories:my_actions"))
    shot_fits(page, "i21-actions-export-button")
    with page.expect_navigation():
        page.get_by_role("button", name="Excel").click()
    job = Job.objects.get(kind="actions_export")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Acties als Excel")
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "0")

    # Half-way, as the worker reports it: the page shows it without a reload, in text as well as in the bar.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, done=2, total=4)
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "50", timeout=8_000)
    expect(page.locator("#job-progress-label")).to_contain_text("2 van 4")
    shot_fits(page, "i21-actions-export-running")

    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, done=0, total=0)
    assert run_queued_tasks() == 1
    expect(page.locator("#job-status")).to_contain_text("Klaar", timeout=8_000)

    goto(page, reverse("account:downloads"))
    expect(page.locator(".downloads__item")).to_contain_text("Acties als Excel")
    shot_fits(page, "i21-actions-export-downloads")
    with page.expect_download() as download:
        page.locator(".downloads__item a[download]").first.click()
    name = download.value.suggested_filename
    assert name.startswith("acties-") and name.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active  # the saved file has no suffix
    assert sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True)) == [f"Bellen {n}" for n in range(4)]


def test_the_portfolio_report_pdf_is_made_in_the_background_and_downloaded(login_as, lezer, trajectory):
    page = login_as(lezer)
    goto(page, reverse("trajectories:portfolio_report", args=[trajectory.owner_id]))
    shot_fits(page, "i21-portfolio-report-pdf-button")
    with page.expect_navigation():
        page.get_by_role("button", name="Pdf maken").click()
    job = Job.objects.get(kind="portfolio_pdf")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Portefeuillerapport van Gemeente Testdam (pdf)")
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "0")
    expect(page.locator("#job-status")).to_contain_text("Wacht op zijn beurt")

    # Between the steps, as the worker reports them: the bar and its text follow without a reload.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, done=2, total=3)
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "66", timeout=8_000)
    expect(page.locator("#job-progress-label")).to_contain_text("2 van 3")
    shot_fits(page, "i21-portfolio-pdf-running")

    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, done=0, total=0)
    assert run_queued_tasks() == 1
    expect(page.locator("#job-status")).to_contain_text("Klaar", timeout=8_000)
    shot_fits(page, "i21-portfolio-pdf-done")
    with page.expect_download() as download:
        page.locator("#job-status a[download]").click()
    assert download.value.suggested_filename.startswith("portefeuille-gemeente-testdam-")
    assert download.value.path().read_bytes().startswith(b"%PDF")


def test_the_learning_pdf_starts_from_its_page_and_a_failure_shows_its_reason(login_as, lezer, trajectory, settings):
    settings.FII_PDF_MAX_HTML_BYTES = 1_000  # every report is too large now
    page = login_as(lezer)
    goto(page, reverse("trajectories:learning", args=[trajectory.owner_id]))
    shot_fits(page, "i21-learning-pdf-button")
    with page.expect_navigation():
        page.get_by_role("button", name="Pdf maken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Leren van de trajecten van Gemeente Testdam (pdf)")
    assert run_queued_tasks() == 1
    expect(page.locator("#job-status")).to_contain_text("Dit is niet gelukt", timeout=8_000)
    expect(page.locator("#job-status")).to_contain_text("afdrukbare pagina")
    expect(page.locator("#live-region")).to_contain_text("Dit is niet gelukt")
    shot_fits(page, "i21-learning-pdf-failed")

    goto(page, reverse("account:downloads"))
    expect(page.locator(".downloads__item")).to_contain_text("Leren van de trajecten van Gemeente Testdam (pdf)")
    shot_fits(page, "i21-pdf-downloads")


def test_a_progress_report_over_a_long_period_is_made_in_the_background(login_as, bewerker, trajectory):
    import datetime as dt

    from django.utils import timezone

    from trajectories.jobs import LONG_PERIOD_REVIEWS
    from trajectories.models import Review

    start = dt.date(2024, 1, 1)
    Review.objects.bulk_create(
        Review(trajectory=trajectory, held_on=start + dt.timedelta(days=14 * n), finalised_at=timezone.now())
        for n in range(LONG_PERIOD_REVIEWS + 1)
    )
    page = login_as(bewerker)
    goto(page, reverse("trajectories:progress_report", args=[trajectory.pk]) + "?van=2024-01-01&tot=2026-11-30")
    expect(page.get_by_role("link", name="Downloaden als pdf")).to_have_count(0)
    shot_fits(page, "i21-long-progress-report")
    with page.expect_navigation():
        page.get_by_role("button", name="Pdf maken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Voortgangsrapportage van Schuldhulp Vroeg")
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "0")
    assert run_queued_tasks() == 1
    expect(page.locator("#job-status")).to_contain_text("Klaar", timeout=8_000)
    shot_fits(page, "i21-long-progress-report-done")
    with page.expect_download() as download:
        page.locator("#job-status a[download]").click()
    assert download.value.suggested_filename == "voortgangsrapportage-schuldhulp-vroeg-2026-11-30.pdf"
