"""Phase 4 (Versterken) and subphase 5a: the stakeholder register, its map, contacts, and the team."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fii.lib.conflicts import refused_stale
from organisations.submissions import create_once

from .. import key_figures, services
from ..access import get_trajectory_for_user
from ..forms import (
    ContactForm,
    ReportBackForm,
    StakeholderForm,
    TeamLeaveForm,
    TeamMandateForm,
    TeamMemberEditForm,
    TeamMemberForm,
)
from ..models import Competency, Side, Stakeholder, TeamChange, TeamMandate, TeamMember, Trajectory
from ..policy import Do, may, view_or_edit


def _register(trajectory: Trajectory, *, with_history: bool = False) -> list[Stakeholder]:
    """The register's rows with their last contact and attendance, ordered by influence, in one query.

    ``with_history`` also loads every row's support changes (one more query), for the trend.
    """
    rows = key_figures.annotated_register(
        Stakeholder.objects.filter(trajectory=trajectory).select_related("person")
    ).order_by("-influence", "person__name", "pk")
    if with_history:
        rows = rows.prefetch_related("support_changes")
    return list(rows)


def _with_form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_http_methods(["GET"])
def stakeholder_list(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk)
    stakeholders = _register(trajectory, with_history=True)
    flags = key_figures.flags_for(trajectory, stakeholders)
    for s in stakeholders:
        s.last_contact = key_figures.last_contact(s)
        s.flag = flags.get(s.pk)
        s.trend = key_figures.support_direction(list(s.support_changes.all()))
    return render(
        request,
        "trajectories/stakeholder_list.html",
        {
            "trajectory": trajectory,
            "stakeholders": stakeholders,
            "coverage": key_figures.coverage(stakeholders),
            "sides": Side.choices,
            "can_edit": may(request.user, Do.EDIT, trajectory),
        },
    )


@login_required
@require_http_methods(["GET"])
def stakeholder_map(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk)
    stakeholders = _register(trajectory)
    return render(
        request,
        "trajectories/stakeholder_map.html",
        {
            "trajectory": trajectory,
            "map": key_figures.stakeholder_map(stakeholders),
            "coverage": key_figures.coverage(stakeholders),
            "sides": Side.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@create_once
def stakeholder_add(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    persons = services.linkable_persons(trajectory=trajectory, user=request.user).order_by("name", "pk")
    form = StakeholderForm(request.POST if request.method == "POST" else None, persons=persons)
    if request.method == "POST" and form.is_valid():
        try:
            stakeholder = services.stakeholder_add(
                trajectory=trajectory,
                by=request.user,
                person=form.cleaned_data.get("person"),
                person_fields=form.person_fields(),
                **form.stakeholder_fields(),
            )
        except ValidationError as error:
            _with_form_errors(form, error)
        else:
            messages.success(request, _("%(name)s added to the stakeholder register.") % {"name": stakeholder.person})
            return redirect("trajectories:stakeholders", pk=trajectory.pk)
    return render(
        request,
        "trajectories/stakeholder_form.html",
        {"trajectory": trajectory, "form": form, "adding": True},
        status=400 if form.is_bound and form.errors else 200,
    )


def _stakeholder_for(trajectory: Trajectory, stakeholder_pk: int) -> Stakeholder:
    return get_object_or_404(
        Stakeholder.objects.select_related("person__organisation"), trajectory=trajectory, pk=stakeholder_pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def stakeholder_edit(request, pk: int, stakeholder_pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    stakeholder = _stakeholder_for(trajectory, stakeholder_pk)
    form = StakeholderForm(
        request.POST if request.method == "POST" else None,
        instance=stakeholder,
        person_editable=services.person_may_be_edited_by(request.user, stakeholder.person),
    )
    if request.method == "POST" and form.is_valid():
        versions = form.versions()
        try:
            services.stakeholder_update(
                stakeholder=stakeholder,
                by=request.user,
                person_fields=form.person_fields(),
                reason=form.cleaned_data["reason"].strip(),
                expected_version=versions["version"],
                person_expected_version=versions.get("person_version"),
                **form.stakeholder_fields(),
            )
        except services.StaleEdit:
            # The register row, the person or both changed: show both as they are now.
            theirs = Stakeholder.objects.select_related("person").get(pk=stakeholder.pk)
            person_editable = services.person_may_be_edited_by(request.user, theirs.person)
            return refused_stale(
                request,
                "trajectories/stakeholder_form.html",
                {"trajectory": trajectory, "stakeholder": theirs, "adding": False},
                make_form=lambda data: StakeholderForm(
                    data,
                    instance=Stakeholder.objects.select_related("person").get(pk=stakeholder.pk),
                    person_editable=person_editable,
                ),
                theirs=[theirs, theirs.person],
                versions={"version": theirs.version, "person_version": theirs.person.version},
            )
        messages.success(request, _("Changes saved."))
        return redirect(stakeholder)
    return render(
        request,
        "trajectories/stakeholder_form.html",
        {"trajectory": trajectory, "form": form, "stakeholder": stakeholder, "adding": False},
        status=400 if form.is_bound and form.errors else 200,
    )


def _detail_context(user, trajectory: Trajectory, stakeholder: Stakeholder, contact_form=None) -> dict:
    changes = list(stakeholder.support_changes.select_related("created_by"))
    annotated = key_figures.annotated_register(Stakeholder.objects.filter(pk=stakeholder.pk)).get()
    can_edit = may(user, Do.EDIT, trajectory)
    return {
        "trajectory": trajectory,
        "stakeholder": stakeholder,
        "changes": changes,
        "trend": key_figures.support_trend(changes) if changes else None,
        "contacts": stakeholder.contacts.select_related("created_by"),
        "reviews_attended": stakeholder.reviews_attended.order_by("-held_on", "-pk")[:10],
        "last_contact": key_figures.last_contact(annotated),
        "flag": key_figures.flags_for(trajectory, [annotated]).get(stakeholder.pk),
        "contact_form": contact_form or (ContactForm() if can_edit else None),
        "can_edit": can_edit,
    }


@login_required
@require_http_methods(["GET"])
def stakeholder_detail(request, pk: int, stakeholder_pk: int):
    trajectory = get_trajectory_for_user(request.user, pk)
    stakeholder = _stakeholder_for(trajectory, stakeholder_pk)
    return render(
        request, "trajectories/stakeholder_detail.html", _detail_context(request.user, trajectory, stakeholder)
    )


@login_required
@require_POST
@create_once
def contact_add(request, pk: int, stakeholder_pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    stakeholder = _stakeholder_for(trajectory, stakeholder_pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        services.contact_record(stakeholder=stakeholder, by=request.user, **form.cleaned_data)
        if not request.htmx:
            messages.success(request, _("Contact recorded."))
            return redirect(stakeholder)
        context = _detail_context(request.user, trajectory, stakeholder)
        context["contact_saved"] = True
        return render(request, "trajectories/stakeholder_detail.html#contacts", context)
    context = _detail_context(request.user, trajectory, stakeholder, contact_form=form)
    if request.htmx:
        # htmx swaps 2xx answers only; the errors are in the form.
        return render(request, "trajectories/stakeholder_detail.html#contacts", context)
    return render(request, "trajectories/stakeholder_detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
@create_once
def report_backs(request, pk: int):
    do = view_or_edit(request)
    trajectory = get_trajectory_for_user(request.user, pk, do=do)
    can_edit = may(request.user, Do.EDIT, trajectory)
    stakeholders = Stakeholder.objects.filter(trajectory=trajectory).select_related("person").order_by("person__name")
    form = ReportBackForm(request.POST or None, stakeholders=stakeholders) if can_edit else None
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            services.report_back_record(trajectory=trajectory, by=request.user, **form.cleaned_data)
            messages.success(request, _("Report-back recorded."))
            return redirect("trajectories:report_backs", pk=trajectory.pk)
        status = 400
    return render(
        request,
        "trajectories/report_backs.html",
        {
            "trajectory": trajectory,
            "report_backs": trajectory.report_backs.select_related("stakeholder__person", "created_by"),
            "form": form,
            "can_edit": can_edit,
        },
        status=status,
    )


def _active_members(trajectory: Trajectory) -> list[TeamMember]:
    return list(
        TeamMember.objects.filter(trajectory=trajectory, left_on__isnull=True).select_related("stakeholder__person")
    )


@login_required
@require_http_methods(["GET"])
def team(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk)
    members = _active_members(trajectory)
    return render(
        request,
        "trajectories/team.html",
        {
            "trajectory": trajectory,
            "summary": key_figures.team_summary(members),
            "competencies": list(Competency),
            "mandate": TeamMandate.objects.filter(trajectory=trajectory).select_related("updated_by").first(),
            "changes": TeamChange.objects.filter(trajectory=trajectory).select_related(
                "member__stakeholder__person", "created_by"
            ),
            "can_edit": may(request.user, Do.EDIT, trajectory),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@create_once
def team_member_add(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    candidates = (
        Stakeholder.objects.filter(trajectory=trajectory)
        .exclude(pk__in=TeamMember.objects.filter(trajectory=trajectory, left_on__isnull=True).values("stakeholder_id"))
        .select_related("person")
        .order_by("person__name", "pk")
    )
    form = TeamMemberForm(request.POST if request.method == "POST" else None, stakeholders=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_member_add(trajectory=trajectory, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _with_form_errors(form, error)
        else:
            messages.success(request, _("Team member added."))
            return redirect("trajectories:team", pk=trajectory.pk)
    return render(
        request,
        "trajectories/team_member_form.html",
        {"trajectory": trajectory, "form": form, "has_candidates": candidates.exists()},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_member(request, pk: int, member_pk: int):
    """Change a member's role and competencies, or record that they left the team."""
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    member = get_object_or_404(
        TeamMember.objects.select_related("stakeholder__person"), trajectory=trajectory, pk=member_pk
    )
    if not member.is_active:
        messages.info(request, _("This member already left the team."))
        return redirect("trajectories:team", pk=trajectory.pk)
    op = request.POST.get("op", "save")
    posted = request.POST if request.method == "POST" else None  # a GET must show the member, not an empty form
    form = TeamMemberEditForm(posted if op == "save" else None, member=member)
    leave_form = TeamLeaveForm(posted if op == "leave" else None)
    if request.method == "POST":
        if op == "leave" and leave_form.is_valid():
            try:
                services.team_member_leave(member=member, by=request.user, **leave_form.cleaned_data)
            except ValidationError as error:
                _with_form_errors(leave_form, error)
            else:
                messages.success(request, _("The member's departure is recorded in the change log."))
                return redirect("trajectories:team", pk=trajectory.pk)
        elif op == "save" and form.is_valid():
            try:
                services.team_member_update(
                    member=member,
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                    **form.edited_values(),
                )
            except services.StaleEdit as stale:
                theirs = stale.current
                return refused_stale(
                    request,
                    "trajectories/team_member_edit.html",
                    {"trajectory": trajectory, "member": theirs, "leave_form": leave_form},
                    make_form=lambda data: TeamMemberEditForm(data, member=TeamMember.objects.get(pk=theirs.pk)),
                    theirs=[theirs, {"competencies": ", ".join(str(c.label) for c in theirs.competencies())}],
                    versions={"version": theirs.version},
                )
            messages.success(request, _("Changes saved."))
            return redirect("trajectories:team", pk=trajectory.pk)
    return render(
        request,
        "trajectories/team_member_edit.html",
        {"trajectory": trajectory, "member": member, "form": form, "leave_form": leave_form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_mandate(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    mandate = TeamMandate.objects.filter(trajectory=trajectory).first() or TeamMandate(trajectory=trajectory)
    form = TeamMandateForm(request.POST if request.method == "POST" else None, instance=mandate)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_mandate_set(
                trajectory=trajectory,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                **form.edited_values(),
            )
        except services.StaleEdit as stale:
            theirs = stale.current
            return refused_stale(
                request,
                "trajectories/team_mandate.html",
                {"trajectory": trajectory},
                make_form=lambda data: TeamMandateForm(data, instance=TeamMandate.objects.get(pk=theirs.pk)),
                theirs=[theirs],
                versions={"version": theirs.version},
            )
        messages.success(request, _("Mandate saved."))
        return redirect("trajectories:team", pk=trajectory.pk)
    return render(
        request,
        "trajectories/team_mandate.html",
        {"trajectory": trajectory, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )
