"""Phase 2 (Verkennen): shortlist and comparison (2a), talks, choice and agreement (2b), plan of approach (2c).

Readers see everything; editors change it. Forms on a page post to their own URL; when one is
invalid the page comes back with the user's input and the errors next to the fields.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fii.lib.conflicts import refused_stale
from fii.model import FINANCING_QUESTIONS, PHASE_SPECS, SHORTLIST_CRITERIA, Phase
from organisations import audit
from organisations.submissions import create_once

from .. import selectors, services
from ..access import get_trajectory_for_user
from ..forms import (
    ActionForm,
    AgreementForm,
    CandidateAddForm,
    CandidateAssessForm,
    CandidateChooseForm,
    CandidateStatusForm,
    MilestoneForm,
    PeopleChangeForm,
    PeopleChangeRevisitForm,
    PlanForm,
    TalkForm,
)
from ..models import Action, Candidate, CandidateStatus, Milestone, PeopleChange, Trajectory
from ..policy import Do, may, view_or_edit
from ..selectors_people import trajectory_people


def _candidate_for(trajectory: Trajectory, candidate_pk: int) -> Candidate:
    candidate = get_object_or_404(
        Candidate.objects.select_related("organisation"), trajectory=trajectory, pk=candidate_pk
    )
    candidate.trajectory = trajectory
    return candidate


# 2a Shortlist ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@create_once
def shortlist(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=view_or_edit(request))
    form = CandidateAddForm(request.POST or None, trajectory=trajectory)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                candidate = services.candidate_add(
                    trajectory=trajectory,
                    by=request.user,
                    organisation=form.cleaned_data["organisation"],
                    new_organisation=form.new_organisation(),
                    motivation=form.cleaned_data["motivation"].strip(),
                )
            except services.ShortlistError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("%(organisation)s is on the shortlist.") % {"organisation": candidate.organisation}
                )
                return redirect(candidate)
        status = 400
    candidates = selectors.shortlist(trajectory)
    return render(
        request,
        "trajectories/verkennen/shortlist.html",
        {
            "trajectory": trajectory,
            "candidates": candidates,
            "size_warning": selectors.shortlist_size_warning(len(candidates)),
            "form": form,
            "can_edit": may(request.user, Do.EDIT, trajectory),
            "sub": PHASE_SPECS[Phase.VERKENNEN].subphases[0],
            "criteria_total": len(SHORTLIST_CRITERIA),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def shortlist_compare(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk)
    candidates = selectors.shortlist(trajectory)
    return render(
        request,
        "trajectories/verkennen/shortlist_compare.html",
        {
            "trajectory": trajectory,
            "candidates": candidates,
            "rows": selectors.comparison_rows(candidates),
            "financing": selectors.financing_row(candidates),
            "talks": selectors.talk_rows(candidates),
            "size_warning": selectors.shortlist_size_warning(len(candidates)),
        },
    )


def _candidate_page(request, trajectory, candidate, *, talk_form=None, status_form=None, status=200):
    can_edit = may(request.user, Do.EDIT, trajectory)
    ratings = {rating.criterion: rating for rating in candidate.ratings.all()}
    return render(
        request,
        "trajectories/verkennen/candidate_detail.html",
        {
            "trajectory": trajectory,
            "candidate": candidate,
            "criteria": [
                (spec, ratings.get(spec.code), selectors.criterion_fact(spec.code, candidate))
                for spec in SHORTLIST_CRITERIA
            ],
            "financing_questions": FINANCING_QUESTIONS[candidate.financing],
            "talks": candidate.talks.select_related("created_by"),
            "history": candidate.status_changes.select_related("created_by"),
            "talk_form": talk_form or (TalkForm() if can_edit else None),
            "status_form": status_form or (CandidateStatusForm(candidate=candidate) if can_edit else None),
            "can_edit": can_edit,
            "can_choose": can_edit and may(request.user, Do.MANAGE_PARTICIPANTS, trajectory),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def candidate_detail(request, pk: int, candidate_pk: int):
    trajectory = get_trajectory_for_user(request.user, pk)
    return _candidate_page(request, trajectory, _candidate_for(trajectory, candidate_pk))


@login_required
@require_http_methods(["GET", "POST"])
def candidate_assess(request, pk: int, candidate_pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    candidate = _candidate_for(trajectory, candidate_pk)
    form = CandidateAssessForm(request.POST or None, instance=candidate)
    context = {
        "trajectory": trajectory,
        "candidate": candidate,
        "form": form,
        "financing_questions": FINANCING_QUESTIONS[candidate.financing],
    }
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_rate(
                candidate=candidate,
                by=request.user,
                facts=form.facts(),
                ratings=form.ratings(),
                expected_version=form.cleaned_data["version"],
            )
        except services.StaleEdit as stale:
            theirs = stale.current
            return refused_stale(
                request,
                "trajectories/verkennen/candidate_assess.html",
                context,
                make_form=lambda data: CandidateAssessForm(data, instance=Candidate.objects.get(pk=theirs.pk)),
                theirs=[theirs, _rating_values(theirs)],
                versions={"version": theirs.version},
            )
        messages.success(request, _("Assessment saved."))
        return redirect(candidate)
    return render(
        request, "trajectories/verkennen/candidate_assess.html", context, status=400 if form.is_bound else 200
    )


def _rating_values(candidate: Candidate) -> dict[str, str]:
    """The candidate's answers and notes per criterion, as the assessment form names them."""
    values = {}
    for rating in candidate.ratings.all():
        values[f"answer_{rating.criterion}"] = rating.get_answer_display()
        values[f"note_{rating.criterion}"] = rating.note
    return values


@login_required
@require_http_methods(["POST"])
def candidate_status(request, pk: int, candidate_pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    candidate = _candidate_for(trajectory, candidate_pk)
    if candidate.status == CandidateStatus.GEKOZEN and not may(request.user, Do.MANAGE_PARTICIPANTS, trajectory):
        # Leaving "chosen" ends the receiving organisation's access: the giving organisation's decision.
        raise PermissionDenied
    form = CandidateStatusForm(request.POST, candidate=candidate)
    if form.is_valid():
        try:
            services.candidate_set_status(
                candidate=candidate,
                by=request.user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except services.ShortlistError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Status changed."))
            return redirect(candidate)
    return _candidate_page(request, trajectory, candidate, status_form=form, status=400)


@login_required
@require_http_methods(["POST"])
@create_once
def talk_create(request, pk: int, candidate_pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    candidate = _candidate_for(trajectory, candidate_pk)
    form = TalkForm(request.POST)
    if form.is_valid():
        services.talk_record(candidate=candidate, by=request.user, **form.cleaned_data)
        messages.success(request, _("Talk recorded."))
        return redirect(reverse("trajectories:candidate", args=[trajectory.pk, candidate.pk]) + "#talks")
    return _candidate_page(request, trajectory, candidate, talk_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def candidate_choose(request, pk: int, candidate_pk: int):
    """Choosing gives the organisation's members access: only beheerders of the giving organisation choose."""
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.MANAGE_PARTICIPANTS)
    candidate = _candidate_for(trajectory, candidate_pk)
    form = CandidateChooseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_choose(candidate=candidate, by=request.user, rationale=form.cleaned_data["rationale"])
        except services.ShortlistError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(organisation)s is now the receiving organisation. Record the agreement next.")
                % {"organisation": candidate.organisation},
            )
            return redirect("trajectories:agreement", pk=trajectory.pk)
    others = trajectory.candidates.filter(status__in=[CandidateStatus.KANDIDAAT, CandidateStatus.IN_GESPREK])
    return render(
        request,
        "trajectories/verkennen/candidate_choose.html",
        {
            "trajectory": trajectory,
            "candidate": candidate,
            "others": others.exclude(pk=candidate.pk).select_related("organisation"),
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


# 2b Agreement ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@create_once
def agreement(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=view_or_edit(request))
    can_edit = may(request.user, Do.EDIT, trajectory)
    initial = {"parties": f"{trajectory.owner}, {trajectory.receiving_organisation or ''}".rstrip(", ")}
    form = AgreementForm(request.POST or None, request.FILES or None, initial=initial) if can_edit else None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.agreement_record(trajectory=trajectory, by=request.user, **form.cleaned_data)
            except services.ShortlistError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Agreement recorded."))
                return redirect("trajectories:agreement", pk=trajectory.pk)
        status = 400
    chosen, decision = selectors.choice_of(trajectory)
    return render(
        request,
        "trajectories/verkennen/agreement.html",
        {
            "trajectory": trajectory,
            "agreements": trajectory.agreements.select_related("organisation", "created_by"),
            "chosen": chosen,
            "decision": decision,
            "form": form,
            "can_edit": can_edit,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def agreement_document(request, pk: int, agreement_pk: int):
    """The signed PDF, only for people who can see the trajectory (the file is never served directly)."""
    trajectory = get_trajectory_for_user(request.user, pk)
    record = get_object_or_404(trajectory.agreements, pk=agreement_pk)
    if not record.document:
        raise Http404
    try:
        handle = record.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=record.download_name, content_type="application/pdf")
    audit.record(audit.Action.PDF, obj=record, detail="document")
    response["Cache-Control"] = "private, no-store"
    return response


# 2c Shared ownership ---------------------------------------------------------------------------


def _plan_page(request, trajectory, *, milestone_form=None, task_form=None, change_form=None, status=200):
    can_edit = may(request.user, Do.EDIT, trajectory)
    milestones = trajectory.milestones.all()
    tasks = Action.objects.select_related("assignee", "owner_person__person", "organisation")
    roadmap = list(milestones.prefetch_related(Prefetch("tasks", queryset=tasks, to_attr="task_list")))
    # Open tasks outside the roadmap that were not raised by a stoplight item.
    loose_tasks = tasks.filter(trajectory=trajectory, closed_at__isnull=True, milestone__isnull=True, item__isnull=True)
    return render(
        request,
        "trajectories/verkennen/plan.html",
        {
            "trajectory": trajectory,
            "plan": selectors.plan_of(trajectory),
            "roadmap": roadmap,
            "loose_tasks": loose_tasks,
            "balance": selectors.ownership_balance(trajectory),
            "changes": trajectory.people_changes.select_related("created_by", "revisited_by"),
            "milestone_form": milestone_form or (MilestoneForm() if can_edit else None),
            "task_form": task_form
            or (
                ActionForm(people=trajectory_people(trajectory), milestones=milestones, prefix="task")
                if can_edit
                else None
            ),
            "change_form": change_form or (PeopleChangeForm(prefix="change") if can_edit else None),
            "can_edit": can_edit,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def plan(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk)
    return _plan_page(request, trajectory)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    current = selectors.plan_of(trajectory)
    form = PlanForm(request.POST or None, instance=current, trajectory=trajectory)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.plan_update(
                    trajectory=trajectory,
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                    review_interval=form.cleaned_data["review_interval"],
                    **form.fields_to_save(),
                )
            except services.StaleEdit as stale:
                theirs = stale.current
                return refused_stale(
                    request,
                    "trajectories/verkennen/plan_edit.html",
                    {"trajectory": trajectory},
                    make_form=lambda data: PlanForm(
                        data, instance=services.plan_for(trajectory), trajectory=trajectory
                    ),
                    theirs=[
                        theirs,
                        Trajectory.objects.get(pk=trajectory.pk),
                    ],  # the review interval is the trajectory's
                    versions={"version": theirs.version},
                )
            messages.success(request, _("Plan of approach saved."))
            return redirect("trajectories:plan", pk=trajectory.pk)
    return render(
        request, "trajectories/verkennen/plan_edit.html", {"trajectory": trajectory, "form": form}, status=status
    )


@login_required
@require_http_methods(["POST"])
@create_once
def milestone_create(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        services.milestone_save(trajectory=trajectory, by=request.user, **form.cleaned_data)
        messages.success(request, _("Milestone added."))
        return redirect(reverse("trajectories:plan", args=[trajectory.pk]) + "#roadmap")
    return _plan_page(request, trajectory, milestone_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request, pk: int, milestone_pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    milestone = get_object_or_404(Milestone, trajectory=trajectory, pk=milestone_pk)
    form = MilestoneForm(request.POST or None, instance=milestone)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_save(
                trajectory=trajectory,
                by=request.user,
                milestone=milestone,
                expected_version=form.cleaned_data["version"],
                **form.edited_values(),
            )
        except services.StaleEdit as stale:
            theirs = stale.current
            return refused_stale(
                request,
                "trajectories/verkennen/milestone_edit.html",
                {"trajectory": trajectory, "milestone": theirs},
                make_form=lambda data: MilestoneForm(data, instance=Milestone.objects.get(pk=theirs.pk)),
                theirs=[theirs],
                versions={"version": theirs.version},
            )
        messages.success(request, _("Milestone saved."))
        return redirect(reverse("trajectories:plan", args=[trajectory.pk]) + "#roadmap")
    return render(
        request,
        "trajectories/verkennen/milestone_edit.html",
        {"trajectory": trajectory, "milestone": milestone, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["POST"])
@create_once
def plan_task_create(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    form = ActionForm(
        request.POST, people=trajectory_people(trajectory), milestones=trajectory.milestones.all(), prefix="task"
    )
    if form.is_valid():
        services.action_create(
            trajectory=trajectory,
            by=request.user,
            description=form.cleaned_data["description"],
            assignee=form.cleaned_data["assignee"],
            owner_person=form.cleaned_data["owner_person"],
            due_on=form.cleaned_data["due_on"],
            milestone=form.cleaned_data["milestone"],
        )
        messages.success(request, _("Task added."))
        return redirect(reverse("trajectories:plan", args=[trajectory.pk]) + "#roadmap")
    return _plan_page(request, trajectory, task_form=form, status=400)


@login_required
@require_http_methods(["POST"])
@create_once
def people_change_create(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    form = PeopleChangeForm(request.POST, prefix="change")
    if form.is_valid():
        services.people_change_record(trajectory=trajectory, by=request.user, **form.cleaned_data)
        messages.warning(
            request,
            _(
                "Change recorded. Plan a talk with both organisations about shared ownership, "
                "and record its outcome here."
            ),
        )
        return redirect(reverse("trajectories:plan", args=[trajectory.pk]) + "#people-changes")
    return _plan_page(request, trajectory, change_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def people_change_revisit(request, pk: int, change_pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    change = get_object_or_404(PeopleChange, trajectory=trajectory, pk=change_pk)
    form = PeopleChangeRevisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.people_change_revisit(
            change=change,
            by=request.user,
            revisited_on=form.cleaned_data["revisited_on"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("The talk about shared ownership is recorded."))
        return redirect(reverse("trajectories:plan", args=[trajectory.pk]) + "#people-changes")
    return render(
        request,
        "trajectories/verkennen/people_change_revisit.html",
        {"trajectory": trajectory, "change": change, "form": form},
        status=400 if form.is_bound else 200,
    )
