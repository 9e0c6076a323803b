"""Issue 21: the JSON export reads with a number of queries that does not grow with the trajectories, and an
import run as a job reports its progress per trajectory."""

import json

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.models import AuditEvent, Job
from tests.factories import make_trajectory
from tests.mailhelpers import run_queued_tasks
from tests.trajectories.test_transfer import _rich, _upload
from trajectories.models import Trajectory
from trajectories.services import trajectories_export_chunks, trajectories_export_json, transfer, transfer_kinds

pytestmark = pytest.mark.django_db


def _export_queries(owner) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        text = trajectories_export_json(trajectories=Trajectory.objects.filter(owner=owner))
    return len(queries), json.loads(text)


def test_the_export_reads_as_many_queries_for_6_trajectories_as_for_2(municipality, bewerker, trajectory):
    _rich(trajectory)
    make_trajectory(owner=municipality, by=bewerker, title="Tweede")
    two, data = _export_queries(municipality)
    assert len(data["trajectories"]) == 2
    for n in range(4):
        _rich(make_trajectory(owner=municipality, by=bewerker, title=f"Traject {n}"))
    six, data = _export_queries(municipality)
    assert len(data["trajectories"]) == 6
    assert six == two
    # Bounded by the declaration: one read per model and many-to-many field, and a few for what is referred to.
    assert two < 3 * len(list(transfer_kinds())) + 10


def test_the_export_comes_in_pieces_and_reports_progress(municipality, bewerker, trajectory):
    make_trajectory(owner=municipality, by=bewerker, title="Tweede")
    steps = []
    chunks = list(
        trajectories_export_chunks(
            trajectories=Trajectory.objects.filter(owner=municipality), progress=lambda d, t: steps.append((d, t))
        )
    )
    assert len(chunks) > 5  # never one string of the whole file
    assert steps == [(1, 2), (2, 2)]
    assert json.loads("".join(chunks))["format"] == "fii-trajectories"


def test_an_import_job_imports_in_one_go_and_reports_progress(client, beheerder, municipality, bewerker, trajectory):
    make_trajectory(owner=municipality, by=bewerker, title="Tweede")
    content = trajectories_export_json(trajectories=Trajectory.objects.filter(owner=municipality)).encode()
    seen = []
    from organisations import jobs

    original = jobs.Progress.__call__

    def spy(self, done, total):
        seen.append((done, total, Trajectory.objects.count()))
        original(self, done, total)

    client.force_login(beheerder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jobs.Progress, "__call__", spy)
        patch.setattr(transfer, "IMPORT_BATCH", 1)  # a batch a trajectory (test_import_scale.py: larger batches)
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(
                reverse("trajectories:organisation_import", args=[municipality.pk]),
                {"file": _upload(content), "as_copy": "on"},
            )
        assert response.status_code == 302
        run_queued_tasks()
    job = Job.objects.get()
    assert job.status == Job.Status.DONE and (job.done, job.total) == (2, 2)
    assert [(d, t) for d, t, _count in seen] == [(1, 2), (2, 2)]
    assert seen[0][2] == 3  # inside the one transaction: the first copy is written, the second not yet
    assert Trajectory.objects.count() == 4
    assert "2 trajecten geïmporteerd" in job.summary
    # One audit event per imported trajectory, in the name of the beheerder who asked, under the organisation.
    events = AuditEvent.objects.filter(action="create", object_type="trajectories.Trajectory", detail="import")
    assert (
        sorted(events.values_list("actor_id", "organisation_id", "path"))
        == [(beheerder.pk, municipality.pk, "job:trajectories_import")] * 2
    )
