"""The PDFs of a whole organisation (portfolio report, learning page) as background jobs (issue 21): each role's
access, the file for the one who asked while still a member, the check again at the run and at the download, a
failure with its Dutch reason, the audit record written by the job, and query counts flat in the trajectories."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from organisations import jobs as job_machinery
from organisations.models import AuditEvent, Job, Membership
from tests.jobhelpers import pdf_by_job, record_progress, start_job
from tests.mailhelpers import run_queued_tasks
from tests.trajectories.test_learning import grow
from trajectories import jobs

pytestmark = pytest.mark.django_db

KINDS = {"trajectories:portfolio_report_pdf": jobs.PORTFOLIO_PDF, "trajectories:learning_pdf": jobs.LEARNING_PDF}
TITLES = {
    "trajectories:portfolio_report_pdf": "Portefeuillerapport van Gemeente Testdam (pdf)",
    "trajectories:learning_pdf": "Leren van de trajecten van Gemeente Testdam (pdf)",
}


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.mark.parametrize("name", sorted(KINDS))
@pytest.mark.parametrize("persona", ["lezer", "bewerker", "beheerder"])
def test_every_member_gets_the_pdf_under_downloads(client, personas, trajectory, municipality, name, persona):
    user = personas[persona]
    client.force_login(user)
    response, job = start_job(client, name, municipality.pk)
    assert (job.user, job.kind, job.organisation, job.status) == (user, KINDS[name], municipality, Job.Status.QUEUED)
    page = client.get(reverse("account:job", args=[job.pk])).content.decode()
    assert 'role="progressbar"' in page and TITLES[name] in page
    assert not AuditEvent.objects.filter(action="pdf").exists()  # nothing is made at the click

    pdf = pdf_by_job(client, name, municipality.pk)
    assert pdf.startswith(b"%PDF")
    if name == "trajectories:portfolio_report_pdf":
        assert "Schuldhulp Vroeg" in text_of(pdf)
    downloads = client.get(reverse("account:downloads")).content.decode()
    assert TITLES[name] in downloads


@pytest.mark.parametrize("name", sorted(KINDS))
def test_an_outsider_gets_404_and_starts_nothing(client, outsider, trajectory, municipality, name):
    client.force_login(outsider)
    response, job = start_job(client, name, municipality.pk)
    assert response.status_code == 404 and job is None
    assert client.get(reverse(name, args=[municipality.pk])).status_code == 405  # a GET makes nothing


@pytest.mark.parametrize("other", ["outsider", "bewerker"])
def test_the_file_is_404_to_everyone_but_the_one_who_asked(client, personas, lezer, trajectory, municipality, other):
    client.force_login(lezer)
    _response, job = start_job(client, "trajectories:portfolio_report_pdf", municipality.pk)
    run_queued_tasks()
    client.force_login(personas[other])  # a colleague in the same organisation as well
    assert client.get(reverse("account:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("account:job_file", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("name", sorted(KINDS))
def test_a_member_who_left_before_the_run_gets_the_reason_and_no_file(client, lezer, trajectory, municipality, name):
    client.force_login(lezer)
    _response, job = start_job(client, name, municipality.pk)
    Membership.objects.filter(user=lezer).delete()  # left the organisation between the click and the run
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and not job.result
    assert job.error == "U bent geen lid meer van deze organisatie, dus dit is niet gedaan."
    assert (
        "U bent geen lid meer van deze organisatie"
        in client.get(reverse("account:job", args=[job.pk])).content.decode()
    )
    assert not AuditEvent.objects.filter(action="pdf").exists()


def test_a_member_who_left_after_the_run_can_no_longer_download(client, lezer, trajectory, municipality):
    client.force_login(lezer)
    _response, job = start_job(client, "trajectories:learning_pdf", municipality.pk)
    run_queued_tasks()
    assert client.get(reverse("account:job_file", args=[job.pk])).status_code == 200
    Membership.objects.filter(user=lezer).delete()
    assert client.get(reverse("account:job_file", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("name", sorted(KINDS))
def test_a_report_too_large_fails_with_the_dutch_reason(client, lezer, trajectory, municipality, name, settings):
    settings.FII_PDF_MAX_HTML_BYTES = 1_000
    client.force_login(lezer)
    _response, job = start_job(client, name, municipality.pk)
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and not job.result and not job.result_name
    assert job.error.startswith("Dit rapport bevat zoveel tekst dat er geen pdf van gemaakt is")
    page = client.get(reverse("account:job", args=[job.pk])).content.decode()
    assert "Dit is niet gelukt" in page and "afdrukbare pagina" in page
    assert client.get(reverse("account:job_file", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("name", sorted(KINDS))
def test_the_job_writes_the_pdf_audit_record_for_the_one_who_asked(client, bewerker, trajectory, municipality, name):
    client.force_login(bewerker)
    pdf_by_job(client, name, municipality.pk)
    event = AuditEvent.objects.get(action="pdf")
    assert (event.actor, event.object_type, event.object_id) == (
        bewerker,
        "organisations.Organisation",
        str(municipality.pk),
    )
    assert event.detail == {jobs.PORTFOLIO_PDF: "portfolio", jobs.LEARNING_PDF: "learning"}[KINDS[name]]


def test_the_learning_pdf_keeps_the_choices_of_the_page(client, lezer, trajectory, municipality):
    client.force_login(lezer)
    page = client.get(reverse("trajectories:learning", args=[municipality.pk]), {"stalled_days": "90"})
    action = f"{reverse('trajectories:learning_pdf', args=[municipality.pk])}?stalled_days=90"
    assert f'<form method="post" action="{action}">' in page.content.decode()
    _response, job = start_job(client, "trajectories:learning_pdf", municipality.pk, "stalled_days=90&evil=1")
    assert job.options == {"stalled_days": "90"}
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE


def test_the_printable_pages_start_the_job_with_a_form(client, lezer, trajectory, municipality):
    client.force_login(lezer)
    for page, pdf in (("portfolio_report", "portfolio_report_pdf"), ("learning", "learning_pdf")):
        html = client.get(reverse(f"trajectories:{page}", args=[municipality.pk])).content.decode()
        assert f'<form method="post" action="{reverse(f"trajectories:{pdf}", args=[municipality.pk])}' in html
        assert 'name="csrfmiddlewaretoken"' in html


def test_progress_is_reported_in_steps(client, lezer, trajectory, municipality, monkeypatch):
    seen = record_progress(monkeypatch)
    client.force_login(lezer)
    pdf_by_job(client, "trajectories:portfolio_report_pdf", municipality.pk)
    assert seen == [(0, 3), (1, 3), (2, 3)]


def _queries_of_a_run(user, organisation, kind) -> int:
    job = jobs.organisation_pdf_start(user=user, organisation=organisation, kind=kind)
    with CaptureQueriesContext(connection) as queries:
        job_machinery.run_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    return len(queries)


@pytest.mark.parametrize("kind", [jobs.PORTFOLIO_PDF, jobs.LEARNING_PDF])
def test_query_count_of_the_job_does_not_grow_with_the_trajectories(clock, bewerker, municipality, kind):
    grow(municipality, bewerker, 2, 0)
    small = _queries_of_a_run(bewerker, municipality, kind)
    grow(municipality, bewerker, 6, 2)
    large = _queries_of_a_run(bewerker, municipality, kind)
    assert small == large, (small, large)
