"""The long work of this app, run by the background worker as :class:`organisations.models.Job` rows.

Measured with bench/export.py (BENCHMARKS.md): an organisation's JSON export grows with its trajectories
(50 large ones: 15 s on a loaded machine), so it always runs here; an import writes every row of the file
(not measured; it is never quicker than the export that made the file) and runs here too. One trajectory's
export stays a direct download (about 0.3 s of a loaded machine for a large one).

Each runner checks again that the user who asked may still do it (a role can change between the click and
the run), and raises :class:`JobFailed` with a reason for the user when the work cannot be done.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisations import audit
from organisations.access import may_manage
from organisations.jobs import JobFailed, Progress, job_start, register
from organisations.models import Job, Organisation, User

from .models import Trajectory
from .services import transfer
from .transfer_schema import read_document

EXPORT = "trajectories_export"
IMPORT = "trajectories_import"
JSON = "application/json; charset=utf-8"


def _still_beheerder(job: Job) -> Organisation:
    organisation = job.organisation
    if organisation is None or not may_manage(job.user, organisation.pk):
        raise JobFailed(_("You are no longer a beheerder of this organisation, so this was not done."))
    return organisation


def organisation_export_start(*, user: User, organisation: Organisation) -> Job:
    """Queue the export of all trajectories the organisation gives (docs/export-format.md)."""
    return job_start(
        user=user,
        kind=EXPORT,
        organisation=organisation,
        title=_("Export of the trajectories of %(organisation)s") % {"organisation": organisation.name},
    )


def _export(job: Job, progress: Progress) -> None:
    organisation = _still_beheerder(job)
    trajectories = Trajectory.objects.filter(owner=organisation)
    name = f"trajecten-{slugify(organisation.name) or organisation.pk}-{timezone.localdate():%Y-%m-%d}.json"
    progress(0, trajectories.count())
    chunks = transfer.trajectories_export_chunks(trajectories=trajectories, progress=progress)
    progress.write_result(chunks, name=name, content_type=JSON)
    audit.record(
        audit.Action.EXPORT, object_type="trajectories.Trajectory", organisation=organisation.pk, detail="json"
    )


def organisation_import_start(*, user: User, organisation: Organisation, content: bytes, as_copy: bool) -> Job:
    """Queue the import of an export file into the organisation; the file is kept only until it is read."""
    return job_start(
        user=user,
        kind=IMPORT,
        organisation=organisation,
        title=_("Import of trajectories into %(organisation)s") % {"organisation": organisation.name},
        options={"as_copy": as_copy},
        source=content,
    )


def _import(job: Job, progress: Progress) -> None:
    organisation = _still_beheerder(job)
    with job.source.open("rb") as handle:
        content = handle.read()
    try:
        data = read_document(content)
        result = transfer.trajectories_import(
            data=data, as_copy=bool(job.options.get("as_copy")), owner=organisation, progress=progress
        )
    except transfer.TransferError as error:
        raise JobFailed(capfirst(str(error))) from None
    titles = ", ".join(t.title for t in result["trajectories"]) or "—"
    count = len(result["trajectories"])
    job.summary = (
        ngettext(
            "Imported %(count)d trajectory: %(titles)s.",
            "Imported %(count)d trajectories: %(titles)s.",
            count,
        )
        % {"count": count, "titles": titles}
        + " "
        + _(
            "New: %(persons)d persons, kept by %(organisation)s, and %(organisations)d organisations named "
            "on a shortlist or in an agreement. Authors who are not members of %(organisation)s are shown "
            "as unknown (%(unknown_authors)d). Receiving and participating organisations are added on the "
            "trajectory itself."
        )
        % {**result, "organisation": organisation.name}
    )[:2000]


def register_runners() -> None:
    register(EXPORT, _export)
    register(IMPORT, _import)
