"""The long work of this app, run by the background worker as :class:`organisations.models.Job` rows.

Measured with bench/export.py (BENCHMARKS.md): an organisation's JSON export grows with its trajectories
(50 large ones: 15 s on a loaded machine), so it always runs here; an import writes every row of the file
(not measured; it is never quicker than the export that made the file) and runs here too. One trajectory's
export stays a direct download (about 0.3 s of a loaded machine for a large one). The list of actions as CSV or
XLSX (5.6 s and 11.3 s for 26,000 actions in a request) runs here too, read in chunks and written as it is read.
The PDFs of an organisation's portfolio report and of its learning page run here as well: they cover every
trajectory of the organisation and grow with it. One trajectory's progress or phase report stays immediate
(bench/report_pdf.py, a year of biweekly reviews: 0.77 s on a quiet machine in issue 21's measurement, 2.5 s at
load average 9).

Each runner checks again that the user who asked may still do it (a role can change between the click and
the run), and raises :class:`JobFailed` with a reason for the user when the work cannot be done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fii.lib.pdf import ReportTooLarge, render_pdf
from fii.lib.spreadsheets import csv_chunks, xlsx_chunks
from organisations import audit
from organisations.access import may_manage, memberships_of
from organisations.jobs import JobFailed, Progress, job_start, register
from organisations.models import Job, Organisation, User

from . import exports, reports, selectors
from .access import get_trajectory_for_user, in_visible_trajectories
from .models import Action, Trajectory
from .services import transfer
from .transfer_schema import read_document

EXPORT = "trajectories_export"
IMPORT = "trajectories_import"
ACTIONS_EXPORT = "actions_export"
PORTFOLIO_PDF = "portfolio_pdf"
PROGRESS_PDF = "progress_pdf"
# A progress report over more reviews than this is made in the background: bench/report_pdf.py measured 0.77 s
# for 26 biweekly reviews (a year, idle machine) and 4.6 s for 78 (three years, load 7), growing with the reviews.
LONG_PERIOD_REVIEWS = 26
LEARNING_PDF = "learning_pdf"
JSON = "application/json; charset=utf-8"
PDF = "application/pdf"
SPREADSHEETS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ACTION_STATES = ("open", "overdue", "done")
EXCEL_MAX_ROWS = 1_048_575  # a sheet holds 1,048,576 rows, one of which is the header
READ_CHUNK = 2000  # actions read per query while the file is written
PROGRESS_EVERY = 500  # actions between two progress reports


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


def actions_export_start(*, user: User, fmt: str, state: str, mine: bool) -> Job:
    """Queue the spreadsheet of the actions the user sees, with the filters of the actions page."""
    if fmt not in SPREADSHEETS:
        raise ValueError(f"Unknown spreadsheet format {fmt!r}")
    state = state if state in ACTION_STATES else "open"
    return job_start(
        user=user,
        kind=ACTIONS_EXPORT,
        title=_("Actions as %(format)s") % {"format": "Excel" if fmt == "xlsx" else "CSV"},
        options={"fmt": fmt, "status": state, "mine": mine},
    )


def _actions_export(job: Job, progress: Progress) -> None:
    """The rows are read in chunks and written as they come (a file of 26,000 actions is never held whole);
    what the user sees is decided now, at the run, not at the click."""
    fmt = job.options.get("fmt", "csv")
    if fmt not in SPREADSHEETS:
        raise JobFailed(_("This file format cannot be made."))
    actions = Action.objects.filter(in_visible_trajectories(job.user)).select_related(
        "trajectory", "assignee", "owner_person__person", "item"
    )
    actions = selectors.actions_filtered(actions, str(job.options.get("status", "open")))
    if job.options.get("mine"):
        actions = actions.filter(assignee=job.user)
    total = actions.count()
    if fmt == "xlsx" and total > EXCEL_MAX_ROWS:
        raise JobFailed(
            _(
                "An Excel sheet holds at most %(limit)s rows and this list has %(count)s actions. Choose CSV, or "
                "fewer actions (only open ones, or only yours)."
            )
            % {
                "limit": number_format(EXCEL_MAX_ROWS, force_grouping=True),
                "count": number_format(total, force_grouping=True),
            }
        )
    progress(0, total)
    owners: set[int | None] = set()

    def read() -> Iterator[Action]:
        for done, action in enumerate(actions.iterator(chunk_size=READ_CHUNK), start=1):
            owners.add(action.trajectory.owner_id)
            yield action
            if done % PROGRESS_EVERY == 0:
                progress(done, total)
        progress(total, total)

    headers, rows = exports.actions_headers(), exports.action_rows(read())
    if fmt == "csv":
        chunks = csv_chunks(headers, rows)
    else:
        chunks = xlsx_chunks(headers, rows, title=_("Actions"), widths=exports.ACTIONS_WIDTHS)
    progress.write_result(chunks, name=f"acties-{timezone.localdate():%Y-%m-%d}.{fmt}", content_type=SPREADSHEETS[fmt])
    exports.record_export(owners, what="trajectories.Action", fmt=fmt)


# The PDFs of a whole organisation ---------------------------------------------------------------------------

ORGANISATION_PDFS = {
    # kind: (template, file name prefix)
    PORTFOLIO_PDF: ("reports/portfolio.html", "portefeuille"),
    LEARNING_PDF: ("reports/learning.html", "leren-van-trajecten"),
}


def organisation_pdf_start(*, user: User, organisation: Organisation, kind: str, options: dict | None = None) -> Job:
    """Queue the PDF of an organisation's portfolio report or learning page (``options``: the learning page's
    choices). The caller has checked that the user is a member; the job checks it again when it runs."""
    titles = {
        PORTFOLIO_PDF: _("Portfolio report of %(organisation)s (PDF)"),
        LEARNING_PDF: _("Learning from the trajectories of %(organisation)s (PDF)"),
    }
    return job_start(
        user=user,
        kind=kind,
        organisation=organisation,
        title=titles[kind] % {"organisation": organisation.name},
        options=options or {},
    )


def still_member(job: Job) -> bool:
    """Whether the user who asked is still a member of the job's organisation (at the run and at the download)."""
    return job.organisation_id is not None and job.organisation_id in memberships_of(job.user)


def _pdf_or_fail(html: str) -> bytes:
    try:
        return render_pdf(html)
    except ReportTooLarge:
        raise JobFailed(
            _(
                "This report holds so much text that making a PDF of it would take too long, so no PDF was made. "
                "The printable page shows the same report: print it, or save it as a PDF from your browser."
            )
        ) from None


def _organisation_pdf(job: Job, progress: Progress) -> None:
    if not still_member(job):
        raise JobFailed(_("You are no longer a member of this organisation, so this was not done."))
    organisation = job.organisation
    assert organisation is not None  # still_member checked it
    template, prefix = ORGANISATION_PDFS[job.kind]
    progress(0, 3)
    if job.kind == PORTFOLIO_PDF:
        context = reports.organisation_portfolio(job.user, organisation)
    else:
        context = reports.organisation_learning(organisation, job.options)
    progress(1, 3)
    html = render_to_string(template, {**context, "generated_at": timezone.localtime(), "as_pdf": True})
    progress(2, 3)
    pdf = _pdf_or_fail(html)
    name = f"{prefix}-{slugify(organisation.name) or organisation.pk}-{timezone.localdate():%Y-%m-%d}.pdf"
    progress.write_result([pdf], name=name, content_type=PDF)
    audit.record(audit.Action.PDF, obj=organisation, detail=template.removeprefix("reports/").removesuffix(".html"))


# A trajectory's progress report over a long period ------------------------------------------------------------


def progress_pdf_start(*, user: User, trajectory: Trajectory, start: dt.date, end: dt.date) -> Job:
    """Queue the PDF of a trajectory's progress report for a period with more than ``LONG_PERIOD_REVIEWS`` reviews;
    shorter periods stay a direct download (``views/reports.py``)."""
    return job_start(
        user=user,
        kind=PROGRESS_PDF,
        title=_("Progress report of %(title)s, %(start)s to %(end)s (PDF)")
        % {"title": trajectory.title, "start": date_format(start), "end": date_format(end)},
        options={"trajectory": trajectory.pk, "van": start.isoformat(), "tot": end.isoformat()},
    )


def _job_trajectory(job: Job) -> Trajectory | None:
    """The job's trajectory if the user who asked still sees it, else None."""
    try:
        return get_trajectory_for_user(job.user, int(job.options.get("trajectory", 0)))
    except Http404:
        return None


def _progress_pdf(job: Job, progress: Progress) -> None:
    trajectory = _job_trajectory(job)
    if trajectory is None:
        raise JobFailed(_("You no longer have access to this trajectory, so this was not done."))
    period = reports.Period(dt.date.fromisoformat(job.options["van"]), dt.date.fromisoformat(job.options["tot"]))
    progress(0, 3)
    context = reports.progress_report(trajectory, period)
    progress(1, 3)
    html = render_to_string("reports/progress.html", {**context, "generated_at": timezone.localtime(), "as_pdf": True})
    progress(2, 3)
    pdf = _pdf_or_fail(html)
    name = f"voortgangsrapportage-{slugify(trajectory.title)}-{period.end:%Y-%m-%d}.pdf"
    progress.write_result([pdf], name=name, content_type=PDF)
    audit.record(audit.Action.PDF, obj=trajectory, detail="progress")


def register_runners() -> None:
    register(EXPORT, _export)
    register(IMPORT, _import)
    register(ACTIONS_EXPORT, _actions_export)
    for kind in ORGANISATION_PDFS:
        register(kind, _organisation_pdf, may_download=still_member)
    register(PROGRESS_PDF, _progress_pdf, may_download=lambda job: _job_trajectory(job) is not None)
