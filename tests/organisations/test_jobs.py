"""Background jobs (organisations/jobs.py): progress, the personal Downloads page, failures and expiry."""

import datetime as dt
import io
import os

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from organisations import jobs
from organisations.models import Job
from tests.mailhelpers import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def runners(monkeypatch):
    """Test runners: one that counts to three, one that fails with a reason, one that breaks."""
    seen = []

    def counting(job, progress):
        for done in range(4):
            progress(done, 3)
            seen.append(Job.objects.get(pk=job.pk).done)
        progress.write_result(iter(["een,", "twee,", "drie\n"]), name="tellen.csv", content_type="text/csv")

    def refusing(job, progress):
        progress(1, 4)
        raise jobs.JobFailed("Het bestand is niet compleet.")

    def breaking(job, progress):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(jobs.Progress, "interval", 0)  # every step to the row (it is written twice a second)
    monkeypatch.setitem(jobs.RUNNERS, "test_count", counting)
    monkeypatch.setitem(jobs.RUNNERS, "test_refuse", refusing)
    monkeypatch.setitem(jobs.RUNNERS, "test_break", breaking)
    return seen


def start(user, kind="test_count"):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return jobs.job_start(user=user, kind=kind, title="Tellen tot drie")


def test_a_job_reports_progress_and_its_file_is_downloaded_by_the_asker(client, beheerder, runners):
    job = start(beheerder)
    client.force_login(beheerder)
    page = client.get(reverse("account:job", args=[job.pk])).content.decode()
    assert "Wacht op zijn beurt" in page and 'role="progressbar"' in page and 'aria-valuenow="0"' in page
    assert 'hx-trigger="every 2s"' in page  # polls while it is not finished

    assert run_queued_tasks() == 1
    assert runners == [0, 1, 2, 3]  # every step reached the row (outside a transaction)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and (job.done, job.total) == (3, 3)
    assert job.expires_at == job.created_at + dt.timedelta(days=7)

    part = client.get(reverse("account:job", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert "Klaar" in part and "hx-trigger" not in part  # polling stops
    assert 'id="live-region" hx-swap-oob="innerHTML"' in part  # and the result is announced
    response = client.get(reverse("account:job_file", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tellen.csv"'
    assert response["Cache-Control"].startswith("no-store")
    assert b"".join(response.streaming_content) == b"een,twee,drie\n"
    listing = client.get(reverse("account:downloads")).content.decode()
    assert "Tellen tot drie" in listing and "tellen.csv" in listing


def test_progress_while_running_is_shown_as_a_progressbar_with_text(client, beheerder, runners):
    job = start(beheerder)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, done=2, total=8)
    client.force_login(beheerder)
    part = client.get(reverse("account:job", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert 'aria-valuenow="25"' in part and 'aria-valuemin="0"' in part and 'aria-valuemax="100"' in part
    assert "2 van 8 gedaan (25%)" in part
    assert "<html" not in part  # only the partial


@pytest.mark.parametrize("persona", ["bewerker", "lezer", "outsider"])
def test_nobody_but_the_asker_sees_a_job_or_its_file(client, personas, beheerder, runners, persona):
    job = start(beheerder)
    run_queued_tasks()
    client.force_login(personas[persona])
    assert client.get(reverse("account:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("account:job_file", args=[job.pk])).status_code == 404
    assert "Tellen tot drie" not in client.get(reverse("account:downloads")).content.decode()


def test_a_failure_shows_its_reason_and_keeps_no_file(client, beheerder, runners):
    job = start(beheerder, "test_refuse")
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.error == "Het bestand is niet compleet."
    client.force_login(beheerder)
    page = client.get(reverse("account:job", args=[job.pk])).content.decode()
    assert "Dit is niet gelukt" in page and "Het bestand is niet compleet." in page
    assert client.get(reverse("account:job_file", args=[job.pk])).status_code == 404
    assert "Het bestand is niet compleet." in client.get(reverse("account:downloads")).content.decode()


def test_an_unexpected_error_is_logged_and_the_user_gets_a_general_dutch_reason(beheerder, runners, caplog):
    job = start(beheerder, "test_break")
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "database on fire" not in job.error and "Er ging bij ons iets mis" in job.error
    assert "database on fire" in caplog.text


def test_a_job_runs_once(beheerder, runners):
    job = start(beheerder)
    run_queued_tasks()
    assert jobs.run_job.call(job.pk) == "already running, finished or gone"
    assert runners == [0, 1, 2, 3]


def test_expired_jobs_and_their_files_are_removed(client, beheerder, runners, settings):
    job = start(beheerder)
    run_queued_tasks()
    job.refresh_from_db()
    stored = job.result.path
    kept = Job(user=beheerder, kind="test_count", title="Nieuwer", status="done")  # expires in seven days
    kept.source.save("upload.json", ContentFile(b"{}"), save=False)
    kept.save()
    client.force_login(beheerder)
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    tomorrow = timezone.now() + dt.timedelta(days=1)
    assert client.get(reverse("account:job_file", args=[job.pk])).status_code == 404  # expired: gone at once
    assert jobs.jobs_remove_expired(now=tomorrow) == 1
    assert not Job.objects.filter(pk=job.pk).exists()
    assert not os.path.exists(stored)
    assert Job.objects.filter(pk=kept.pk).exists()
    Job.objects.filter(pk=kept.pk).update(expires_at=timezone.now())
    call_command("remove_expired_jobs", stdout=io.StringIO())
    assert not Job.objects.exists()


def test_downloads_page_needs_few_queries(client, beheerder, runners, django_assert_max_num_queries):
    for _ in range(5):
        start(beheerder)
    client.force_login(beheerder)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("account:downloads"))
    assert response.status_code == 200
    assert 'hx-trigger="every 2s"' in response.content.decode()  # unfinished jobs: the list polls
