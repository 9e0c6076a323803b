"""The organisation-wide PDFs are background jobs (trajectories/jobs.py): start one as the browser does, run the
queue, and read the file from Downloads."""

from django.test import TestCase
from django.urls import reverse

from organisations.models import Job
from tests.mailhelpers import run_queued_tasks


def start_job(client, name: str, org_pk: int, query: str = ""):
    """POST the form that starts the PDF; returns the response and the job it made (None when refused)."""
    before = Job.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse(name, args=[org_pk]) + (f"?{query}" if query else ""))
    job = Job.objects.filter(pk__gt=before).order_by("-pk").first()
    if job is not None:
        assert response.status_code == 302 and response["Location"] == reverse("account:job", args=[job.pk])
    return response, job


def pdf_by_job(client, name: str, org_pk: int, query: str = "") -> bytes:
    """The PDF as the user who is logged in to ``client`` gets it: started, run and downloaded."""
    response, job = start_job(client, name, org_pk, query)
    assert job is not None, f"{name} answered {response.status_code} and started no job"
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    download = client.get(reverse("account:job_file", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    return b"".join(download.streaming_content)


def record_progress(monkeypatch) -> list[tuple[int, int]]:
    """Every progress report a job makes, as (done, total), each one written at once (no half-second interval)."""
    from organisations import jobs as job_machinery

    monkeypatch.setattr(job_machinery.Progress, "interval", 0)
    seen: list[tuple[int, int]] = []
    original = job_machinery.Progress.__call__

    def recording(self, done, total):
        seen.append((done, total))
        original(self, done, total)

    monkeypatch.setattr(job_machinery.Progress, "__call__", recording)
    return seen
