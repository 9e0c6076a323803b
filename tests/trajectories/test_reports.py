"""Reports: HTML and PDF from the same templates, scoped, escaped, and fetching nothing from outside."""

import datetime as dt
import io

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from pypdf import PdfReader
from pytest_django.asserts import assertContains, assertNotContains

from fii.lib.pdf import REPORT_BASE_URL, BlockedURL, _fetcher_class, render_pdf
from tests.factories import make_trajectory
from tests.jobhelpers import pdf_by_job
from trajectories import services

DUTCH_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
                "november", "december")  # fmt: skip


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def reviewed(trajectory, bewerker):
    today = dt.date.today()
    review = services.review_start(
        trajectory=trajectory, by=bewerker, held_on=today - dt.timedelta(days=7), phases=["verkennen"]
    )
    items = list(review.items.order_by("position"))
    for ri, colour in zip(items, ["groen", "oranje", "rood", "groen", "groen", "groen"], strict=True):
        services.review_item_set(review_item=ri, by=bewerker, colour=colour, note=f"Notitie {colour}")
    services.action_create(
        trajectory=trajectory, review=review, item=items[2].item, by=bewerker, description="Wethouder bellen",
        due_on=today - dt.timedelta(days=1),
    )  # fmt: skip
    services.review_update(
        review=review,
        by=bewerker,
        expected_version=None,
        held_on=review.held_on,
        summary="Shortlist bijna rond.",
        other_attendees="",
        attendees=[bewerker],
    )
    services.review_finalise(review=review, by=bewerker)
    return trajectory


def test_progress_report_page_is_printable_and_not_cached(client, lezer, reviewed):
    client.force_login(lezer)
    response = client.get(reverse("trajectories:progress_report", args=[reviewed.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"  # private: every logged-in answer (issue 16)
    assertContains(response, "Voortgangsrapportage")
    assertContains(response, "Wethouder bellen")
    assertContains(response, "css/report.css")


def test_progress_report_pdf_holds_the_status_the_risks_and_dutch_page_numbers(client, lezer, reviewed):
    client.force_login(lezer)
    response = client.get(reverse("trajectories:progress_report_pdf", args=[reviewed.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"  # private: every logged-in answer (issue 16)
    assert response["Content-Disposition"].startswith('attachment; filename="voortgangsrapportage-schuldhulp-vroeg-')
    text = pdf_text(response)
    assert "Schuldhulp Vroeg" in text
    assert "Rood" in text  # overall light of the last review
    assert "Wethouder bellen" in text and "te laat" in text
    assert "Shortlist bijna rond." in text
    assert "pagina 1 van" in text
    assert any(month in text for month in DUTCH_MONTHS)


def test_pdf_metadata_has_the_title_and_language(client, lezer, reviewed):
    client.force_login(lezer)
    reader = PdfReader(io.BytesIO(client.get(reverse("trajectories:progress_report_pdf", args=[reviewed.pk])).content))
    assert reader.metadata.title == "Voortgangsrapportage Schuldhulp Vroeg"
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged PDF


def test_phase_report_pdf_has_the_subphases_and_the_checklist_lights(client, lezer, reviewed, bewerker):
    services.subphase_update(trajectory=reviewed, subphase="2a", by=bewerker, status="bezig", notes="Drie kandidaten.")
    client.force_login(lezer)
    response = client.get(reverse("trajectories:phase_report_pdf", args=[reviewed.pk, "verkennen"]))
    text = pdf_text(response)
    assert "Faserapport 2. Verkennen" in text
    assert "Drie kandidaten." in text
    assert "Notitie oranje" in text and "Oranje" in text


def test_portfolio_report_shows_only_this_organisations_trajectories(
    client, lezer, reviewed, outsider_org, municipality
):
    make_trajectory(owner=outsider_org, title="Geheim Elders")
    client.force_login(lezer)
    pdf = pdf_by_job(client, "trajectories:portfolio_report_pdf", municipality.pk)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Schuldhulp Vroeg" in text
    assert "Geheim Elders" not in text
    assert client.get(reverse("trajectories:portfolio_report", args=[outsider_org.pk])).status_code == 404


def test_outsider_gets_404_on_every_report(client, outsider, reviewed):
    client.force_login(outsider)
    for name, args in [
        ("trajectories:progress_report", [reviewed.pk]),
        ("trajectories:progress_report_pdf", [reviewed.pk]),
        ("trajectories:phase_report", [reviewed.pk, "verkennen"]),
        ("trajectories:phase_report_pdf", [reviewed.pk, "verkennen"]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404


def test_user_text_is_escaped_in_reports(client, lezer, trajectory, bewerker):
    services.action_create(trajectory=trajectory, by=bewerker, description='<img src="file:///etc/passwd">')
    client.force_login(lezer)
    response = client.get(reverse("trajectories:progress_report", args=[trajectory.pk]))
    assertContains(response, "&lt;img src=&quot;file:///etc/passwd&quot;&gt;")
    assertNotContains(response, '<img src="file:///etc/passwd">')
    assert '<img src="file:///etc/passwd">' in pdf_text(
        client.get(reverse("trajectories:progress_report_pdf", args=[trajectory.pk]))
    )


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "http://127.0.0.1:8000/admin/", "https://example.org/x.css", f"{REPORT_BASE_URL}../../etc"],
)
def test_the_pdf_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(BlockedURL):
        _fetcher_class()().fetch(url)


def test_the_pdf_fetcher_serves_the_report_stylesheet():
    response = _fetcher_class()().fetch(f"{REPORT_BASE_URL}static/css/report.css")
    assert b"@page" in response.read()


def test_rendering_never_reads_files_or_local_urls(monkeypatch):
    fetched = []
    fetcher = _fetcher_class()

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    original = fetcher.fetch
    monkeypatch.setattr(fetcher, "fetch", spy)
    monkeypatch.setattr("fii.lib.pdf._fetcher_class", lambda: fetcher)
    html = (
        '<html lang="nl"><head><title>T</title><link rel="stylesheet" href="http://127.0.0.1:1/x.css"></head>'
        '<body><img src="file:///etc/hostname" alt="x"><p>Tekst</p></body></html>'
    )
    pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF")
    assert set(fetched) == {"http://127.0.0.1:1/x.css", "file:///etc/hostname"}  # asked for, and refused
    assert b"hostname" not in pdf


def test_report_query_count_does_not_grow_with_reviews(
    client, lezer, reviewed, bewerker, django_assert_max_num_queries
):
    for n in range(6):
        review = services.review_start(
            trajectory=reviewed, by=bewerker, held_on=dt.date.today() - dt.timedelta(days=6 - n), phases=["verkennen"]
        )
        services.review_finalise(review=review, by=bewerker)
    client.force_login(lezer)
    # Outcomes and reach (indicators with their measurements) and fidelity over time (the threshold and the
    # monthly counts) add a fixed 4 (issue 22; tests/trajectories/test_outcomes.py keeps them flat).
    with django_assert_max_num_queries(20):
        assert client.get(reverse("trajectories:progress_report", args=[reviewed.pk])).status_code == 200
    # Phase 2's report also shows the shortlist, the choice, the agreements and the plan: a fixed 8 more.
    with django_assert_max_num_queries(20):
        assert client.get(reverse("trajectories:phase_report", args=[reviewed.pk, "verkennen"])).status_code == 200


def test_next_progress_report_starts_the_day_after_the_issued_one(client, lezer, bewerker, trajectory):
    today = dt.date.today()
    url = reverse("trajectories:progress_report", args=[trajectory.pk])
    client.force_login(lezer)
    assert client.get(url).context["period"].start == today - relativedelta(months=3)
    client.get(reverse("trajectories:progress_report_pdf", args=[trajectory.pk]), {"van": "2026-01-01"})
    assert not trajectory.report_records.exists()  # reading or downloading is not issuing
    issue = reverse("trajectories:progress_report_issue", args=[trajectory.pk])
    assert client.post(issue, {"van": "2026-01-01"}).status_code == 403  # a lezer does not issue

    client.force_login(bewerker)
    end = today - dt.timedelta(days=14)
    response = client.post(issue, {"van": "2026-01-01", "tot": end.isoformat()})
    assert response.status_code == 302
    record = trajectory.report_records.get()
    assert (record.period_start, record.period_end, record.created_by) == (dt.date(2026, 1, 1), end, bewerker)
    response = client.get(url)
    assert response.context["period"].start == end + dt.timedelta(days=1)
    assertContains(response, "Vorige rapportage")


def test_a_period_that_starts_after_it_ends_falls_back_to_the_default(client, lezer, trajectory):
    client.force_login(lezer)
    response = client.get(reverse("trajectories:progress_report", args=[trajectory.pk]), {"van": "2099-01-01"})
    assert response.context["period"].start == dt.date.today() - relativedelta(months=3)


def test_actions_closed_after_the_period_are_not_in_it(client, lezer, bewerker, trajectory):
    action = services.action_create(trajectory=trajectory, by=bewerker, description="Later afgerond")
    services.action_close(action=action, by=bewerker, note="", expected_version=None)
    client.force_login(lezer)
    past = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    response = client.get(
        reverse("trajectories:progress_report", args=[trajectory.pk]), {"van": "2026-01-01", "tot": past}
    )
    assert response.context["closed_actions"] == []


def test_phase_report_includes_a_phases_own_section(client, lezer, trajectory):
    client.force_login(lezer)
    assertContains(client.get(reverse("trajectories:phase_report", args=[trajectory.pk, "signaleren"])), "De opdracht")
    assertNotContains(
        client.get(reverse("trajectories:phase_report", args=[trajectory.pk, "verkennen"])), "De opdracht"
    )
