"""Long work off the request path: a :class:`~organisations.models.Job` row, run by the background worker.

- :func:`job_start` stores the job and, when the caller's transaction commits, queues :func:`run_job`
  (``django.tasks``; the worker is ``manage.py db_worker``). The view then shows the job's page, which polls
  its progress; the user may leave it and finds the result under *Downloads* (``account:downloads``).
- The work itself lives in the app that knows it: ``trajectories`` registers a runner per kind at start-up
  (:func:`register`), so this app imports nothing from it. A runner gets the job and a :class:`Progress`,
  writes its result with :meth:`Progress.write_result` and raises :class:`JobFailed` with a message for the
  user (in the job's language) when the work cannot be done; any other error is logged with its traceback and
  shown to the user as a general failure.
- :func:`jobs_remove_expired` deletes jobs (and their files) after ``JOB_KEEP_DAYS``; ``send_notifications``
  runs it on every run, and ``manage.py remove_expired_jobs`` does so on its own.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Callable, Iterable
from types import SimpleNamespace
from typing import IO

from django.core.cache import cache
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import audit
from .models import Job, Organisation, User

logger = logging.getLogger(__name__)

Runner = Callable[[Job, "Progress"], None]
RUNNERS: dict[str, Runner] = {}
# kind → whether the job's user may still have its file (asked again at every download); kinds without one
# leave it at "only the user who asked" (the job views' rule).
DOWNLOAD_CHECKS: dict[str, Callable[[Job], bool]] = {}


class JobFailed(Exception):
    """The work cannot be done; the message is shown to the user (translated in the job's language)."""


def register(kind: str, runner: Runner, *, may_download: Callable[[Job], bool] | None = None) -> None:
    RUNNERS[kind] = runner
    if may_download is not None:
        DOWNLOAD_CHECKS[kind] = may_download


def may_download(job: Job) -> bool:
    check = DOWNLOAD_CHECKS.get(job.kind)
    return check is None or check(job)


def _progress_key(job_id: int) -> str:
    return f"job-progress:{job_id}"


class Progress:
    """How far a runner got. Written to the row at most every ``interval`` seconds (and at the end), and to the
    cache on every step, so a step inside a long transaction (an import) is still seen by a shared cache."""

    interval = 0.5

    def __init__(self, job: Job):
        self.job = job
        self._written_at = 0.0

    def __call__(self, done: int, total: int) -> None:
        done = min(done, total)
        cache.set(_progress_key(self.job.pk), (done, total), timeout=3600)
        now = timezone.now().timestamp()
        if now - self._written_at >= self.interval or done == total:
            self._written_at = now
            # Inside a transaction (an import) the row only shows this once it commits; the cache shows it now.
            Job.objects.filter(pk=self.job.pk).update(done=done, total=total)
        self.job.done, self.job.total = done, total

    def write_result(self, chunks: Iterable[str | bytes], *, name: str, content_type: str) -> None:
        """Store the result from its chunks; it is written to a temporary file first, never held whole."""
        with tempfile.TemporaryFile() as handle:
            _write_chunks(handle, chunks)
            handle.seek(0)
            self.job.result.save(name, File(handle, name=name), save=False)
        self.job.result_name = name
        self.job.content_type = content_type


def _write_chunks(handle: IO[bytes], chunks: Iterable[str | bytes]) -> None:
    for chunk in chunks:
        handle.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)


def job_progress(job: Job) -> tuple[int, int]:
    """(done, total) as far as known: the cache may be ahead of the row while a transaction runs."""
    if job.status == Job.Status.RUNNING:
        cached = cache.get(_progress_key(job.pk))
        if cached is not None and cached[0] >= job.done:
            return cached
    return job.done, job.total


def job_start(
    *,
    user: User,
    kind: str,
    title: str,
    organisation: Organisation | None = None,
    options: dict | None = None,
    source: bytes | None = None,
) -> Job:
    """Store a job and queue it once the caller's transaction commits."""
    if kind not in RUNNERS:
        raise ValueError(f"No runner registered for job kind {kind!r}")
    job = Job(
        user=user,
        kind=kind,
        title=title[:300],
        organisation=organisation,
        options=options or {},
        language=translation.get_language() or "nl",
    )
    if source is not None:
        job.source.save("upload.json", ContentFile(source), save=False)
    job.save()
    transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job


@task
def run_job(job_id: int) -> str:
    """Run one job (the worker calls this); what happened is the task's result."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "already running, finished or gone"
    job = Job.objects.get(pk=job_id)
    progress = Progress(job)
    # What the work writes is audited in the name of the user who asked, as it would be in a request.
    on_behalf = SimpleNamespace(user=job.user, META={}, path=f"job:{job.kind}", method="")
    with translation.override(job.language), audit.collecting(on_behalf):
        try:
            RUNNERS[job.kind](job, progress)
        except JobFailed as error:
            job.status, job.error = Job.Status.FAILED, str(error)[:2000]
            logger.info("Job %s (%s) failed: %s", job.pk, job.kind, error)
        except Exception:
            job.status = Job.Status.FAILED
            job.error = _("Something went wrong on our side. Please try again later; if it keeps failing, tell us.")
            logger.exception("Job %s (%s) failed unexpectedly", job.pk, job.kind)
        else:
            job.status = Job.Status.DONE
            job.done = job.total = max(job.total, job.done)
    job.finished_at = timezone.now()
    if job.source:
        job.source.delete(save=False)  # an uploaded file is only kept until it is read
    if job.status == Job.Status.FAILED and job.result:
        job.result.delete(save=False)
        job.result_name = ""
    job.save()
    cache.delete(_progress_key(job.pk))
    return str(job.status)


def jobs_remove_expired(*, now: dt.datetime | None = None) -> int:
    """Delete jobs past their expiry, with their files; returns how many."""
    expired = list(Job.objects.filter(expires_at__lte=now or timezone.now()))
    for job in expired:
        for stored in (job.result, job.source):
            if stored:
                stored.delete(save=False)
        job.delete()
    if expired:
        logger.info("Removed %s expired job(s).", len(expired))
    return len(expired)
