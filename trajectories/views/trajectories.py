from __future__ import annotations

import sys

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, F, Prefetch, Value, Window, prefetch_related_objects
from django.db.models.functions import Least, RowNumber
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fii.lib.conflicts import refused_stale
from fii.model import PHASE_SPECS, SUBPHASE_SPECS, Phase
from organisations.access import access_version
from organisations.models import Organisation
from organisations.notices import notice_version
from organisations.services import managed_organisation_ids, notices_for
from organisations.submissions import create_once

from .. import (
    fragments,
    key_figures,
    revisions,
    selectors,
    selectors_borgen,
    selectors_implementeren,
    selectors_outcomes,
    services,
)
from .. import selectors_innoveren as phase_selectors
from ..access import get_trajectory_for_user
from ..forms import (
    AssignmentForm,
    SubphaseForm,
    TrajectoryCreateForm,
    TrajectoryEditForm,
    TransitionForm,
)
from ..models import Assignment, PhaseState, SubphaseState, Trajectory
from ..policy import Do, may, may_create_trajectory, new_trajectory_owners
from ..selectors_phases import open_points_summary, phase_open_points, subphase_work

PAGE_SIZE = 25


FILTER_FIELDS = ("q", "organisation", "phase", "status")


@login_required
@require_http_methods(["GET"])
def portfolio(request):
    user = request.user
    filters, trajectories = selectors.portfolio_for(user, request.GET)
    # The page itself needs only ids and revisions; a row is rendered only when it is not in the cache.
    listed = trajectories.select_related(None).only("pk").annotate(revision=revisions.number()).order_by("title", "pk")
    page = _page_with_count(listed, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query_string = query.urlencode()
    can_create = may_create_trajectory(user)
    shown = [(t.pk, t.revision) for t in page.object_list]

    def results_context() -> dict:
        rows = fragments.render_parts(
            request,
            "trajectories/_portfolio_row.html",
            {pk: fragments.key("portfolio-row", pk, revision) for pk, revision in shown},
            _portfolio_row_contexts,
        )
        return {"page": page, "rows": [rows[pk] for pk, _revision in shown], "query": query_string, **flags}

    flags = {"can_create": can_create}
    # The results region is made of the rows it lists (each under its revision), the count, the page and the
    # query string its links carry: keyed on exactly those, it is shared by everyone who sees the same page.
    parts = {
        "results": (
            "trajectories/portfolio.html#results",
            fragments.content_key(
                "portfolio-results", query_string, page.number, page.paginator.count, shown, can_create
            ),
            results_context,
        )
    }
    if not request.htmx:
        # The filter form shows the user's organisation choices, which are a function of the user's access
        # version (access.portfolio_organisations), and the values asked for.
        asked = tuple((name, tuple(request.GET.getlist(name))) for name in FILTER_FIELDS)
        parts["filters"] = (
            "trajectories/portfolio.html#filters",
            fragments.content_key("portfolio-filters", user.pk, access_version(user), asked),
            lambda: {"filters": filters},
        )
        # A beheerder's notices: those of the organisations the user manages, keyed on them and on the version
        # of their notices (read with the user; organisations/notices.py says what raises it).
        managed = managed_organisation_ids(user)
        if managed:
            parts["notices"] = (
                "organisations/_notices.html",
                fragments.content_key("portfolio-notices", managed, notice_version(user)),
                lambda: {"notices": list(notices_for(user))},
            )
    html = fragments.render_named_parts(request, parts)
    if request.htmx:
        return HttpResponse(html["results"])
    context = {
        "filters_form": html["filters"],
        "results": html["results"],
        "notices": html.get("notices", ""),
        "page": page,
        **flags,
    }
    return render(request, "trajectories/portfolio.html", context)


def _page_with_count(listed, asked) -> Page:
    """``Paginator(listed, PAGE_SIZE).get_page(asked)`` in one statement instead of two: the page's rows carry
    the total (``COUNT(*) OVER ()``) and their place (``ROW_NUMBER()``), and a page past the end (or below 1) is
    the last page, chosen in the same statement, as Paginator does."""
    paginator = Paginator(listed, PAGE_SIZE)
    try:
        number = paginator._validate_number(asked, num_pages=sys.maxsize)
    except PageNotAnInteger:
        number = 1
    except EmptyPage:  # below 1: Paginator answers with the last page
        number = sys.maxsize // PAGE_SIZE
    order = listed.query.order_by
    last_start = (F("total") - 1) / PAGE_SIZE * PAGE_SIZE  # integer division: the first row of the last page
    start = Least(Value((number - 1) * PAGE_SIZE), last_start)
    rows = list(
        listed.annotate(total=Window(Count("pk")), place=Window(RowNumber(), order_by=order)).filter(
            place__gt=start, place__lte=start + PAGE_SIZE
        )
    )
    paginator.count = rows[0].total if rows else 0  # what Paginator's cached count would have asked for
    return Page(rows, (rows[0].place - 1) // PAGE_SIZE + 1 if rows else 1, paginator)


def _portfolio_row_contexts(ids) -> dict[int, dict]:
    trajectories = (
        Trajectory.objects.filter(pk__in=ids)
        .select_related("owner", "receiving_organisation")
        .prefetch_related(
            "participants",
            Prefetch("phase_states", queryset=PhaseState.objects.only("trajectory_id", "phase", "status")),
        )
    )
    trajectories = list(selectors_outcomes.with_outcome_counts(selectors.with_review_summary(trajectories)))
    selectors.add_light_summaries(trajectories)
    key_figures.add_radio_silence(trajectories)
    for trajectory in trajectories:
        trajectory.outcomes = selectors_outcomes.outcomes_of(trajectory)
    return {t.pk: {"trajectory": t} for t in trajectories}


@login_required
@require_http_methods(["GET", "POST"])
@create_once
def trajectory_create(request):
    owners = new_trajectory_owners(request.user)
    if not owners.exists():
        raise PermissionDenied
    if request.method == "POST":
        form = TrajectoryCreateForm(request.POST, owners=owners)
        if form.is_valid():
            data = form.cleaned_data
            trajectory = services.trajectory_create(
                owner=data["owner"],
                by=request.user,
                title=data["title"],
                intervention_name=data["intervention_name"],
                commissioner=data["commissioner"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                has_commissioner=data["has_commissioner"],
                receiving_identified=data["receiving_identified"],
                start_phase=data["start_phase"],
                override_reason=data["override_reason"].strip(),
            )
            messages.success(
                request,
                _("Trajectory created. It starts in phase %(phase)s.") % {"phase": Phase(trajectory.start_phase).label},
            )
            return redirect(trajectory)
    elif request.htmx:
        # The start-point answers changed: re-render the recommendation for the answers so far.
        form = TrajectoryCreateForm(request.GET, owners=owners)
        return render(request, "trajectories/trajectory_create.html#start_point", {"form": form})
    else:
        form = TrajectoryCreateForm(owners=owners, initial={"owner": owners.first()})
    return render(request, "trajectories/trajectory_create.html", {"form": form})


@login_required
@require_http_methods(["GET"])
def trajectory_detail(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, participants=False, revision=True)
    can_archive, can_export = may(request.user, Do.ARCHIVE, trajectory), may(request.user, Do.EXPORT, trajectory)
    body = fragments.render_part(
        request,
        "trajectories/_trajectory_body.html",
        fragments.key(
            "trajectory", trajectory.pk, trajectory.revision, trajectory.user_role, trajectory.actual_role, can_archive
        ),
        lambda: {**_detail_context(request.user, trajectory), "can_archive": can_archive, "can_export": can_export},
    )
    return render(request, "trajectories/trajectory_detail.html", {"trajectory": trajectory, "body": body})


def _detail_context(user, trajectory: Trajectory) -> dict:
    prefetch_related_objects([trajectory], "participants")
    phase_rows = selectors.phase_rows(trajectory)
    return {
        "people": key_figures.trajectory_people(trajectory),
        "trajectory": trajectory,
        "phase_rows": phase_rows,
        "phase_states": [row["state"] for row in phase_rows],  # already loaded: no second query
        "current": next(row for row in phase_rows if row["state"].phase == trajectory.current_phase),
        "summary": selectors.trajectory_summary(trajectory),
        "open_review": trajectory.open_review(),
        "open_people_changes": trajectory.people_changes.filter(revisited_on__isnull=True),
        # Shared ownership (2c) whatever the start phase: a trajectory that starts in phase 3 skips phase 2,
        # whose page is where the plan of approach and the balance used to be found (issue 19).
        # Without a receiving organisation the card shows how to record one instead of a balance.
        "balance": selectors.ownership_balance(trajectory) if trajectory.receiving_organisation_id else None,
        "start_point": trajectory.start_point(),
        "transitions": trajectory.transitions.select_related("created_by"),
        "can_edit": may(user, Do.EDIT, trajectory),
    }


@login_required
@require_http_methods(["GET", "POST"])
def trajectory_edit(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    form = TrajectoryEditForm(request.POST or None, instance=trajectory)
    if request.method == "POST" and form.is_valid():
        try:
            services.trajectory_update(
                trajectory=trajectory,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                fields=form.changes(),
            )
        except services.StaleEdit as stale:
            theirs = stale.current
            return refused_stale(
                request,
                "trajectories/trajectory_edit.html",
                {"trajectory": trajectory},
                make_form=lambda data: TrajectoryEditForm(data, instance=Trajectory.objects.get(pk=theirs.pk)),
                theirs=[theirs],
                versions={"version": theirs.version},
            )
        messages.success(request, _("Changes saved."))
        return redirect(trajectory)
    return render(request, "trajectories/trajectory_edit.html", {"trajectory": trajectory, "form": form})


@login_required
@require_http_methods(["GET"])
def phase_detail(request, pk: int, phase: str):
    trajectory = get_trajectory_for_user(request.user, pk)
    if phase not in PHASE_SPECS:
        raise Http404
    phase_rows = selectors.phase_rows(trajectory)
    row = next(r for r in phase_rows if r["state"].phase == phase)
    transitions = [
        t for t in trajectory.transitions.select_related("created_by") if phase in (t.from_phase, t.to_phase)
    ]
    work = subphase_work(trajectory, phase)
    return render(
        request,
        "trajectories/phase_detail.html",
        {
            "trajectory": trajectory,
            "row": row,
            "subphases": [(sub, state, work.get(sub.code)) for sub, state in row["subphases"]],
            "phase_rows": phase_rows,
            "transitions": transitions,
            "assignment": Assignment.objects.filter(trajectory=trajectory).first()
            if phase == Phase.SIGNALEREN
            else None,
            "verkennen": selectors.verkennen_overview(trajectory) if phase == Phase.VERKENNEN else None,
            "innoveren": phase_selectors.innoveren_overview(trajectory) if phase == Phase.INNOVEREN else None,
            "implementeren": selectors_implementeren.training_summary(trajectory)
            if phase == Phase.IMPLEMENTEREN
            else None,
            "borgen": selectors_borgen.borgen_overview(trajectory) if phase == Phase.BORGEN else None,
            "can_edit": may(request.user, Do.EDIT, trajectory),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def subphase_edit(request, pk: int, code: str):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    if code not in SUBPHASE_SPECS:
        raise Http404
    state = get_object_or_404(SubphaseState, trajectory=trajectory, subphase=code)
    spec = SUBPHASE_SPECS[code]
    phase_url = reverse("trajectories:phase", args=[trajectory.pk, spec.phase])
    form = SubphaseForm(request.POST or None, instance=state)
    context = {"trajectory": trajectory, "sub": spec, "state": state, "form": form, "phase_url": phase_url}
    template = "trajectories/subphase_edit.html#subphase_form" if request.htmx else "trajectories/subphase_edit.html"
    if request.method == "POST" and form.is_valid():
        try:
            state = services.subphase_update(
                trajectory=trajectory,
                subphase=code,
                by=request.user,
                status=form.cleaned_data["status"],
                notes=form.cleaned_data["notes"],
                expected_version=form.cleaned_data["version"],
            )
        except services.StaleEdit as stale:
            return refused_stale(
                request,
                template,
                context,
                make_form=lambda data: SubphaseForm(data, instance=SubphaseState.objects.get(pk=state.pk)),
                theirs=[stale.current],
                versions={"version": stale.current.version},
            )
        if request.htmx:
            return render(
                request,
                "trajectories/phase_detail.html#subphase",
                {
                    "trajectory": trajectory,
                    "sub": spec,
                    "state": state,
                    "work": subphase_work(trajectory, spec.phase).get(code),
                    "can_edit": True,
                    "saved": True,
                },
            )
        messages.success(request, _("Subphase %(code)s saved.") % {"code": code})
        return redirect(f"{phase_url}#subphase-{code}")
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def assignment_edit(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    # Every trajectory gets its assignment in trajectory_create; the back office cannot add trajectories.
    assignment = get_object_or_404(Assignment, trajectory=trajectory)
    assignment.trajectory = trajectory  # reuse the scoped, already-fetched trajectory
    form = AssignmentForm(request.POST or None, instance=assignment)
    if request.method == "POST" and form.is_valid():
        fields = {name: value for name, value in form.edited_values().items() if name != "commissioner"}
        try:
            services.assignment_update(
                trajectory=trajectory,
                by=request.user,
                commissioner=form.cleaned_data["commissioner"],
                fields=fields,
                expected_version=form.cleaned_data["version"],
                trajectory_version=form.cleaned_data["trajectory_version"],
            )
        except services.StaleEdit as stale:
            theirs = Assignment.objects.get(trajectory=trajectory)
            their_trajectory = Trajectory.objects.get(pk=trajectory.pk)
            # The row that was saved in between comes first: it names who saved and when.
            rows = [their_trajectory, theirs] if isinstance(stale.current, Trajectory) else [theirs, their_trajectory]
            return refused_stale(
                request,
                "trajectories/assignment_edit.html",
                {"trajectory": trajectory},
                make_form=lambda data: AssignmentForm(data, instance=Assignment.objects.get(pk=theirs.pk)),
                theirs=rows,
                versions={"version": theirs.version, "trajectory_version": their_trajectory.version},
            )
        messages.success(request, _("Phase 1 saved."))
        return redirect(reverse("trajectories:phase", args=[trajectory.pk, Phase.SIGNALEREN]) + "#assignment")
    return render(request, "trajectories/assignment_edit.html", {"trajectory": trajectory, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def trajectory_transition(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    states = dict(trajectory.phase_states.values_list("phase", "status"))
    open_points = phase_open_points(trajectory, trajectory.current_phase)
    form = TransitionForm(request.POST or None, trajectory=trajectory, states=states, open_points=open_points)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        transition = services.trajectory_move(
            trajectory=trajectory,
            by=request.user,
            reason=data["reason"],
            to_phase=data["to_phase"] or None,
            complete_current=data["complete_current"],
            completion_note=data["completion_note"].strip(),
            open_points_confirmed=bool(data.get("confirm_open_points")),
        )
        if transition.is_completion_only:
            messages.success(request, _("Phase %(phase)s completed.") % {"phase": Phase(transition.to_phase).label})
        else:
            messages.success(
                request,
                _("The trajectory is now in phase %(phase)s.") % {"phase": Phase(transition.to_phase).label},
            )
        return redirect(reverse("trajectories:detail", args=[trajectory.pk]) + "#timeline")
    return render(
        request,
        "trajectories/transition_form.html",
        {
            "trajectory": trajectory,
            "form": form,
            "current_spec": PHASE_SPECS[trajectory.current_phase],
            "open_points": open_points,
            "open_points_summary": open_points_summary(open_points),
        },
    )


# Who takes part (issue 16): the giving organisation's beheerders decide -----------------------------


def _organisations_context(request, trajectory: Trajectory, *, query: str = "", error: str = "") -> dict:
    prefetch_related_objects([trajectory], "participants")
    can_change = may(request.user, Do.MANAGE_PARTICIPANTS, trajectory) and trajectory.archived_at is None
    searched = len(query.strip()) >= services.ORGANISATION_SEARCH_MIN
    return {
        "trajectory": trajectory,
        "can_change": can_change,
        "query": query,
        "searched": searched,
        "too_short": bool(query.strip()) and not searched,
        "minimum": services.ORGANISATION_SEARCH_MIN,
        "results": list(services.organisation_search(trajectory=trajectory, query=query)) if can_change else [],
        "error": error,
    }


@login_required
@require_http_methods(["GET"])
def trajectory_organisations(request, pk: int):
    """Who takes part; for the giving organisation's beheerders also a search (at least three characters)
    to add an organisation. Without JavaScript the search is a plain GET form."""
    trajectory = get_trajectory_for_user(request.user, pk)
    context = _organisations_context(request, trajectory, query=request.GET.get("q", "")[:100])
    if request.htmx and context["can_change"]:
        return render(request, "trajectories/trajectory_organisations.html#results", context)
    return render(request, "trajectories/trajectory_organisations.html", context)


def _owner_beheerder_trajectory(request, pk: int) -> Trajectory:
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.MANAGE_PARTICIPANTS)
    return trajectory


@login_required
@require_POST
def participant_add(request, pk: int):
    trajectory = _owner_beheerder_trajectory(request, pk)
    query = request.POST.get("q", "")[:100]
    organisation = None
    raw = request.POST.get("organisation", "")
    if raw.isdigit():
        # Only an organisation the search offers (name typed, not yet taking part) can be added.
        organisation = Organisation.objects.filter(pk=int(raw)).exclude(pk__in=trajectory.organisation_ids()).first()
    if organisation is None:
        context = _organisations_context(
            request,
            trajectory,
            query=query,
            error=_("Search for the organisation by name and choose it from the list."),
        )
        return render(request, "trajectories/trajectory_organisations.html", context, status=400)
    services.trajectory_participant_add(trajectory=trajectory, by=request.user, organisation=organisation)
    messages.success(
        request,
        _("%(organisation)s now takes part; its beheerders are told.") % {"organisation": organisation.name},
    )
    return redirect("trajectories:organisations", pk=trajectory.pk)


@login_required
@require_POST
def participant_remove(request, pk: int, organisation_pk: int):
    trajectory = _owner_beheerder_trajectory(request, pk)
    organisation = get_object_or_404(trajectory.participants.all(), pk=organisation_pk)
    services.trajectory_participant_remove(trajectory=trajectory, by=request.user, organisation=organisation)
    messages.success(request, _("%(organisation)s no longer takes part.") % {"organisation": organisation.name})
    return redirect("trajectories:organisations", pk=trajectory.pk)
