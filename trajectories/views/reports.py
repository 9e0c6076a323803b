"""Reports for managers and commissioners: one template each, served as a printable page and as PDF.

One trajectory's reports answer with their PDF at once; the PDFs of a whole organisation (the portfolio report and
the learning page) are background jobs (trajectories/jobs.py), so these views only queue them."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from fii.lib.pdf import ReportTooLarge, render_pdf
from fii.model import PHASE_SPECS
from organisations import audit
from organisations.access import get_organisation_for_user

from .. import jobs, reports
from ..access import get_trajectory_for_user
from ..forms import LearningFilterForm, ReportPeriodForm
from ..policy import Do, may


def _respond(request, template: str, context: dict, *, pdf_name: str | None = None, subject=None) -> HttpResponse:
    context = {**context, "generated_at": timezone.localtime(), "as_pdf": pdf_name is not None}
    if pdf_name is None:
        response = HttpResponse(render_to_string(template, context, request=request))
    else:
        try:
            pdf = render_pdf(render_to_string(template, context, request=request))
        except ReportTooLarge:
            printable = request.get_full_path().replace(".pdf", "/", 1)
            response = render(request, "reports/too_large.html", {"printable": printable}, status=413)
            response["Cache-Control"] = "no-store"
            return response
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{pdf_name}.pdf"'
        audit.record(audit.Action.PDF, obj=subject, detail=template.removeprefix("reports/").removesuffix(".html"))
    # Reports hold the trajectory's internals; never keep them in a shared cache or the browser's.
    response["Cache-Control"] = "no-store"
    return response


def _progress(request, pk: int, *, pdf: bool):
    trajectory = get_trajectory_for_user(request.user, pk)
    period, form = _period(request, trajectory)
    report = reports.progress_report(trajectory, period)
    context = {
        **report,
        "form": form,
        "can_issue": may(request.user, Do.EDIT, trajectory),
        # The report has read the period's reviews already; their number decides direct download or job.
        "long_period": len(report["reviews_in_period"]) > jobs.LONG_PERIOD_REVIEWS,
        "period_query": _query(period),
    }
    if pdf and context["long_period"]:  # a link from before the period grew: the page offers the background PDF
        messages.info(request, _("A report over this many reviews is made in the background: use “Make a PDF”."))
        return redirect(f"{reverse('trajectories:progress_report', args=[trajectory.pk])}?{_query(period)}")
    name = f"voortgangsrapportage-{slugify(trajectory.title)}-{period.end:%Y-%m-%d}" if pdf else None
    return _respond(request, "reports/progress.html", context, pdf_name=name, subject=trajectory)


def _query(period) -> str:
    return urlencode({"van": period.start.isoformat(), "tot": period.end.isoformat()})


@login_required
@require_POST
def progress_report_pdf_job(request, pk: int):
    """Queue the PDF of a progress report over a long period (``jobs.LONG_PERIOD_REVIEWS``); its page shows the
    progress and the file stays under Downloads. Any member who sees the trajectory may ask for it."""
    trajectory = get_trajectory_for_user(request.user, pk)
    period, _form = _period(request, trajectory)
    job = jobs.progress_pdf_start(user=request.user, trajectory=trajectory, start=period.start, end=period.end)
    return redirect("account:job", pk=job.pk)


def _period(request, trajectory):
    default = reports.default_period(trajectory)
    form = ReportPeriodForm(request.GET or request.POST or None, initial={"van": default.start, "tot": default.end})
    return form.period(default), form


@login_required
@require_POST
def progress_report_issue(request, pk: int):
    """Record the report as issued for its period, so the next one starts the day after; then get the PDF."""
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    period, _form = _period(request, trajectory)
    reports.record_issued(trajectory, period, by=request.user)
    messages.success(request, _("Report recorded as issued; the next one starts the day after this period."))
    return redirect(f"{reverse('trajectories:progress_report', args=[trajectory.pk])}?{_query(period)}")


@login_required
@require_safe
def progress_report(request, pk: int):
    return _progress(request, pk, pdf=False)


@login_required
@require_safe
def progress_report_pdf(request, pk: int):
    return _progress(request, pk, pdf=True)


def _phase(request, pk: int, phase: str, *, pdf: bool):
    trajectory = get_trajectory_for_user(request.user, pk)
    if phase not in PHASE_SPECS:
        raise Http404
    context = reports.phase_report(trajectory, phase)
    name = f"faserapport-{slugify(trajectory.title)}-{phase}" if pdf else None
    return _respond(request, "reports/phase.html", context, pdf_name=name, subject=trajectory)


@login_required
@require_safe
def phase_report(request, pk: int, phase: str):
    return _phase(request, pk, phase, pdf=False)


@login_required
@require_safe
def phase_report_pdf(request, pk: int, phase: str):
    return _phase(request, pk, phase, pdf=True)


def _portfolio(request, org_pk: int):
    organisation, _role = get_organisation_for_user(request.user, org_pk)
    context = reports.organisation_portfolio(request.user, organisation)
    return _respond(request, "reports/portfolio.html", context, subject=organisation)


@login_required
@require_safe
def portfolio_report(request, org_pk: int):
    return _portfolio(request, org_pk)


@login_required
@require_POST
def portfolio_report_pdf(request, org_pk: int):
    """Queue the PDF of the portfolio report (a job: it grows with the organisation); the printable page stays."""
    organisation, _role = get_organisation_for_user(request.user, org_pk)
    job = jobs.organisation_pdf_start(user=request.user, organisation=organisation, kind=jobs.PORTFOLIO_PDF)
    return redirect("account:job", pk=job.pk)


def _learning(request, org_pk: int):
    """The organisation, the filter form and the figures of its learning page (only for its members)."""
    organisation, _role = get_organisation_for_user(request.user, org_pk)
    return reports.organisation_learning(organisation, request.GET)


@login_required
@require_safe
def learning_page(request, org_pk: int):
    """ "Leren van trajecten": what the organisation's trajectories have in common (issue 22)."""
    response = render(request, "trajectories/learning.html", _learning(request, org_pk))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def learning_pdf(request, org_pk: int):
    """Queue the PDF of the learning page with the page's choices (its query string); see portfolio_report_pdf."""
    organisation, _role = get_organisation_for_user(request.user, org_pk)
    job = jobs.organisation_pdf_start(
        user=request.user,
        organisation=organisation,
        kind=jobs.LEARNING_PDF,
        options={k: v for k, v in request.GET.items() if k in LearningFilterForm.base_fields},
    )
    return redirect("account:job", pk=job.pk)
