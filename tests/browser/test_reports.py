"""A manager (lezer) reads the progress report and takes the PDF along."""

from pathlib import Path

from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from .helpers import follow, goto


def test_lezer_opens_the_progress_report_and_downloads_the_pdf(request, login_as, trajectory, lezer, problems):
    page = login_as(lezer)
    goto(page, trajectory.get_absolute_url())
    follow(page, page.locator(f"main a[href='{reverse('trajectories:progress_report', args=[trajectory.pk])}']"))
    report = page.locator("main.report")
    expect(report.locator("h1")).to_have_text("Voortgangsrapportage: Schuldhulp Vroeg")
    expect(report).to_contain_text("Huidige fase")

    with page.expect_download() as download_info:
        page.locator(".report-toolbar a", has_text="Downloaden als pdf").click()
    download = download_info.value
    assert download.suggested_filename.startswith("voortgangsrapportage-schuldhulp-vroeg-")
    assert download.suggested_filename.endswith(".pdf")
    reader = PdfReader(download.path())
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Schuldhulp Vroeg" in text
    assert "pagina 1 van" in text

    # The browser's print view hides the toolbar, so the printout starts with the report itself.
    page.emulate_media(media="print")
    expect(page.locator(".report-toolbar")).to_be_hidden()
    page.screenshot(path=Path(__file__).resolve().parents[2] / "screenshots" / "report-print.png", full_page=True)
