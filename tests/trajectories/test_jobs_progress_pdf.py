"""A trajectory's progress report over a long period is made in the background (issue 21): more than
``jobs.LONG_PERIOD_REVIEWS`` reviews in the period and the report page offers "PDF maken" (a job) instead of the
direct download; the job checks again that the user sees the trajectory, at the run and at the download."""

import datetime as dt

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from organisations.models import AuditEvent, Job, Membership
from tests.mailhelpers import run_queued_tasks
from trajectories import jobs
from trajectories.models import Review

pytestmark = pytest.mark.django_db

START, END = dt.date(2024, 1, 1), dt.date(2026, 11, 30)
PERIOD = {"van": START.isoformat(), "tot": END.isoformat()}


def reviews(trajectory, count: int) -> None:
    Review.objects.bulk_create(
        Review(trajectory=trajectory, held_on=START + dt.timedelta(days=14 * i), finalised_at=timezone.now())
        for i in range(count)
    )


def start(client, trajectory):
    before = Job.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    url = reverse("trajectories:progress_report_pdf_job", args=[trajectory.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):  # the job is queued when the request commits
        response = client.post(f"{url}?van={START}&tot={END}")
    return response, Job.objects.filter(pk__gt=before).first()


def test_a_period_up_to_the_bound_stays_a_direct_download(client, bewerker, trajectory):
    reviews(trajectory, jobs.LONG_PERIOD_REVIEWS)
    client.force_login(bewerker)
    page = client.get(reverse("trajectories:progress_report", args=[trajectory.pk]), PERIOD).content.decode()
    assert "Pdf maken" not in page and "voortgangsrapportage.pdf?van=2024-01-01" in page
    response = client.get(reverse("trajectories:progress_report_pdf", args=[trajectory.pk]), PERIOD)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert not Job.objects.exists()


@pytest.mark.parametrize("persona", ["lezer", "bewerker", "beheerder"])
def test_a_longer_period_is_made_in_the_background_for_every_member(client, personas, trajectory, persona):
    reviews(trajectory, jobs.LONG_PERIOD_REVIEWS + 1)
    user = personas[persona]
    client.force_login(user)
    page = client.get(reverse("trajectories:progress_report", args=[trajectory.pk]), PERIOD).content.decode()
    assert "Pdf maken" in page and reverse("trajectories:progress_report_pdf_job", args=[trajectory.pk]) in page

    # The direct link (a bookmark from when the period was short) leads to the page with the button.
    direct = client.get(reverse("trajectories:progress_report_pdf", args=[trajectory.pk]), PERIOD, follow=True)
    assert direct.status_code == 200 and "op de achtergrond gemaakt" in direct.content.decode()
    assert not Job.objects.exists()

    response, job = start(client, trajectory)
    assert response["Location"] == reverse("account:job", args=[job.pk])
    assert (job.user, job.kind, job.status) == (user, jobs.PROGRESS_PDF, Job.Status.QUEUED)
    assert job.title == "Voortgangsrapportage van Schuldhulp Vroeg, 1 januari 2024 tot 30 november 2026 (pdf)"
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    download = client.get(reverse("account:job_file", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert job.result_name == "voortgangsrapportage-schuldhulp-vroeg-2026-11-30.pdf"
    assert AuditEvent.objects.filter(action="pdf", detail="progress", object_id=str(trajectory.pk)).count() == 1


def test_an_outsider_gets_404_and_starts_nothing(client, outsider, trajectory):
    reviews(trajectory, jobs.LONG_PERIOD_REVIEWS + 1)
    client.force_login(outsider)
    response, job = start(client, trajectory)
    assert response.status_code == 404 and job is None
    url = reverse("trajectories:progress_report_pdf_job", args=[trajectory.pk])
    assert client.get(url, PERIOD).status_code == 405  # a GET makes nothing


def test_access_is_checked_again_at_the_run_and_at_the_download(client, lezer, bewerker, trajectory):
    reviews(trajectory, jobs.LONG_PERIOD_REVIEWS + 1)
    client.force_login(lezer)
    _response, gone_before_run = start(client, trajectory)
    Membership.objects.filter(user=lezer).delete()
    run_queued_tasks()
    gone_before_run.refresh_from_db()
    assert gone_before_run.status == Job.Status.FAILED and not gone_before_run.result
    assert gone_before_run.error == "U hebt geen toegang meer tot dit traject, dus dit is niet gedaan."

    client.force_login(bewerker)
    _response, done = start(client, trajectory)
    run_queued_tasks()
    done.refresh_from_db()
    assert done.status == Job.Status.DONE
    Membership.objects.filter(user=bewerker).delete()  # left after the PDF was made
    assert client.get(reverse("account:job_file", args=[done.pk])).status_code == 404
