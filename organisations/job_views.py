"""The user's downloads: background jobs with their progress, and their result files (organisations/jobs.py).

A job is personal: only the user who asked for it sees it and downloads its file; anybody else gets a 404,
colleagues in the same organisation as well (they can start the same export themselves).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from .jobs import job_progress, may_download
from .models import Job

POLL_SECONDS = 2


def _own_job(request, pk: int) -> Job:
    return get_object_or_404(Job, pk=pk, user=request.user, expires_at__gt=timezone.now())


@login_required
@require_safe
def downloads(request):
    jobs = Job.objects.filter(user=request.user, expires_at__gt=timezone.now()).select_related("organisation")[:100]
    rows = []
    polling = False
    for job in jobs:
        done, total = job_progress(job)
        rows.append({"job": job, "done": done, "total": total})
        polling = polling or not job.finished
    context = {"rows": rows, "polling": polling, "poll_seconds": POLL_SECONDS}
    template = "organisations/downloads.html#download_list" if request.htmx else "organisations/downloads.html"
    return render(request, template, context)


@login_required
@require_safe
def job_detail(request, pk: int):
    job = _own_job(request, pk)
    done, total = job_progress(job)
    context = {
        "job": job,
        "done": done,
        "total": total,
        "percent": job.percent if job.finished or not total else int(100 * done / total),
        "poll_seconds": POLL_SECONDS,
    }
    template = "organisations/job.html#job_status" if request.htmx else "organisations/job.html"
    return render(request, template, context)


@login_required
@require_safe
def job_file(request, pk: int):
    job = _own_job(request, pk)
    if job.status != Job.Status.DONE or not job.result or not may_download(job):
        raise Http404
    response = FileResponse(
        job.result.open("rb"), as_attachment=True, filename=job.result_name, content_type=job.content_type
    )
    response["Cache-Control"] = "no-store"
    return response
