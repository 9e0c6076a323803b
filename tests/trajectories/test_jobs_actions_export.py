"""The actions CSV/XLSX export as a background job (issue 21): progress, the file under Downloads for the one
who asked only, a failure with its Dutch reason, what the user sees decided at the run, flat query counts."""

import csv
import io

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from organisations import jobs as job_machinery
from organisations.models import AuditEvent, Job, Membership
from tests.factories import make_trajectory
from tests.jobhelpers import record_progress
from tests.mailhelpers import run_queued_tasks
from trajectories import jobs, services

pytestmark = pytest.mark.django_db


def start(client, user, fmt="csv", data=None):
    client.force_login(user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("trajectories:actions_export", args=[fmt]), data or {})
    job = Job.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse("account:job", args=[job.pk])
    assert (job.user, job.kind, job.status) == (user, jobs.ACTIONS_EXPORT, Job.Status.QUEUED)
    return job


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


@pytest.fixture
def five_actions(trajectory, bewerker):
    for n in range(5):
        services.action_create(trajectory=trajectory, by=bewerker, description=f"Actie {n}", assignee=bewerker)


def test_the_job_reports_progress_in_steps_and_the_file_is_under_downloads(client, bewerker, five_actions, monkeypatch):
    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 2)
    seen = record_progress(monkeypatch)
    job = start(client, bewerker, "csv", {"status": "open"})
    page = client.get(reverse("account:job", args=[job.pk])).content.decode()
    assert 'role="progressbar"' in page and "Acties als CSV" in page

    assert run_queued_tasks() == 1
    assert seen == [(0, 5), (2, 5), (4, 5), (5, 5)]
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and (job.done, job.total) == (5, 5)
    response = client.get(reverse("account:job_file", args=[job.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="acties-')
    rows = csv_rows(b"".join(response.streaming_content))
    assert rows[0][:2] == ["Traject", "Actie"] and sorted(r[1] for r in rows[1:]) == [f"Actie {n}" for n in range(5)]
    assert "Acties als CSV" in client.get(reverse("account:downloads")).content.decode()
    event = AuditEvent.objects.get(action="export", object_type="trajectories.Action")
    assert (event.actor, event.organisation_id, event.detail) == (
        bewerker,
        job.user.memberships.get().organisation_id,
        "csv",
    )


def test_the_excel_file_is_streamed_with_a_bold_frozen_header_real_dates_and_text_formulas(
    client, bewerker, trajectory
):
    import datetime as dt

    from django.utils import timezone

    due = timezone.localdate() + dt.timedelta(days=3)
    services.action_create(trajectory=trajectory, by=bewerker, description="=1+1", assignee=bewerker, due_on=due)
    job = start(client, bewerker, "xlsx")
    run_queued_tasks()
    response = client.get(reverse("account:job_file", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.title == "Acties" and sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet.auto_filter.ref == "A1:H2"
    assert sheet["B2"].value == "=1+1" and sheet["B2"].data_type == "s"
    assert sheet["E2"].is_date and sheet["E2"].value.date() == due and sheet["E2"].number_format == "dd-mm-yyyy"


@pytest.mark.parametrize("other", ["outsider", "lezer", "beheerder"])
def test_the_job_and_its_file_are_404_to_everyone_but_the_one_who_asked(client, bewerker, five_actions, other, request):
    job = start(client, bewerker, "xlsx")
    run_queued_tasks()
    client.force_login(request.getfixturevalue(other))
    assert client.get(reverse("account:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("account:job_file", args=[job.pk])).status_code == 404
    assert "Acties als Excel" not in client.get(reverse("account:downloads")).content.decode()
    client.logout()
    assert client.get(reverse("account:job_file", args=[job.pk])).status_code == 302  # to the login page


def test_what_the_user_sees_is_decided_when_the_job_runs(client, bewerker, trajectory, five_actions):
    job = start(client, bewerker, "csv")
    Membership.objects.filter(user=bewerker).delete()  # left the organisation between the click and the run
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    client.force_login(bewerker)
    response = client.get(reverse("account:job_file", args=[job.pk]))
    assert csv_rows(b"".join(response.streaming_content))[1:] == []


def test_too_many_rows_for_excel_fail_with_the_dutch_reason_and_keep_no_file(
    client, bewerker, five_actions, monkeypatch
):
    monkeypatch.setattr(jobs, "EXCEL_MAX_ROWS", 4)
    job = start(client, bewerker, "xlsx")
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and not job.result
    assert job.error == (
        "Een Excel-blad bevat hoogstens 4 rijen en deze lijst heeft 5 acties. Kies CSV, of minder acties (alleen "
        "open acties, of alleen die van u)."
    )
    page = client.get(reverse("account:job", args=[job.pk])).content.decode()
    assert "Een Excel-blad bevat hoogstens 4 rijen" in page
    assert client.get(reverse("account:job_file", args=[job.pk])).status_code == 404
    # CSV has no such limit.
    csv_job = start(client, bewerker, "csv")
    run_queued_tasks()
    csv_job.refresh_from_db()
    assert csv_job.status == Job.Status.DONE


def test_an_unknown_status_falls_back_to_open(client, bewerker, five_actions):
    job = start(client, bewerker, "csv", {"status": "alles"})
    assert job.options == {"fmt": "csv", "status": "open", "mine": False}


def _queries_of_a_run(user, fmt) -> int:
    job = jobs.actions_export_start(user=user, fmt=fmt, state="open", mine=False)
    with CaptureQueriesContext(connection) as queries:
        job_machinery.run_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    return len(queries)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_query_count_of_the_job_does_not_grow_with_rows(bewerker, municipality, outsider_org, fmt, monkeypatch):
    monkeypatch.setattr(jobs, "READ_CHUNK", 100)
    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 10_000)
    counts = []
    for _round in range(2):
        for n in range(6):
            trajectory = make_trajectory(owner=municipality, by=bewerker, title=f"Traject {_round}-{n}")
            for m in range(4):
                services.action_create(trajectory=trajectory, by=bewerker, description=f"Actie {m}", assignee=bewerker)
        counts.append(_queries_of_a_run(bewerker, fmt))
    assert Job.objects.filter(status=Job.Status.DONE).count() == 2
    assert counts[0] == counts[1], counts  # 24 and 48 actions, in one read each
