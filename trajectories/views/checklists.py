"""Checklists per phase: a trajectory's own list, and an organisation's template for new phases."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fii.checklists import DEFAULT_CHECKLISTS
from fii.lib.conflicts import refused_stale
from fii.model import PHASE_SPECS, PHASES
from organisations.access import get_organisation_for_user, may_manage
from organisations.submissions import create_once

from .. import services
from ..access import get_trajectory_for_user
from ..charts import item_histories
from ..forms import ChecklistItemForm
from ..models import ChecklistItem, ChecklistTemplateItem, Progress
from ..policy import Do, may, view_or_edit

ITEM_OPS = {"reword", "up", "down", "retire", "restore"}


def _phase_or_404(phase: str):
    if phase not in PHASE_SPECS:
        raise Http404
    return PHASE_SPECS[phase]


def _apply_item_op(request, item, phase: str):
    """The edits a checklist line allows, shared by trajectory checklists and templates.

    Returns the bound form when a rewording was invalid, else None.
    """
    op = request.POST.get("op")
    if op not in ITEM_OPS:
        raise Http404
    if op == "reword":
        form = ChecklistItemForm(request.POST, phase=phase, prefix=f"item{item.pk}", item=item)
        if not form.is_valid():
            return form
        services.checklist_item_reword(  # StaleEdit goes to the caller, which knows the page
            item=item,
            text=form.cleaned_data["text"],
            subphase=form.cleaned_data["subphase"],
            expected_version=form.cleaned_data["version"],
        )
        messages.success(request, _("Checklist item reworded."))
    elif op in ("up", "down"):
        services.checklist_item_move(item=item, up=op == "up")
    else:
        services.checklist_item_retire(item=item, retire=op == "retire")
        if op == "retire":
            messages.success(request, _("Item retired. Its history is kept; you can restore it below."))
        else:
            messages.success(request, _("Item restored."))
    return None


@login_required
@require_http_methods(["GET", "POST"])
@create_once
def checklist(request, pk: int, phase: str):
    do = view_or_edit(request)
    trajectory = get_trajectory_for_user(request.user, pk, do=do)
    spec = _phase_or_404(phase)
    form = ChecklistItemForm(request.POST or None, phase=phase)
    if request.method == "POST" and form.is_valid():
        services.checklist_item_add(
            owner=trajectory,
            phase=phase,
            by=request.user,
            text=form.cleaned_data["text"],
            subphase=form.cleaned_data["subphase"],
        )
        messages.success(request, _("Checklist item added."))
        return redirect("trajectories:checklist", pk=trajectory.pk, phase=phase)
    items = list(ChecklistItem.objects.filter(trajectory=trajectory, phase=phase))
    histories = item_histories([i.pk for i in items])
    for item in items:
        item.history = histories.get(item.pk, [])
    state = trajectory.phase_states.filter(phase=phase).first()
    return render(
        request,
        "trajectories/checklist.html",
        {
            "trajectory": trajectory,
            "spec": spec,
            "phases": PHASES,
            "active": [i for i in items if not i.is_retired],
            "retired": [i for i in items if i.is_retired],
            "form": form,
            "phase_started": state is not None and state.status in (Progress.BEZIG, Progress.AFGEROND),
            "can_edit": may(request.user, Do.EDIT, trajectory),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["POST"])
def checklist_fill(request, pk: int, phase: str):
    """Copy the template into a phase that has no checklist yet (for example a phase not started)."""
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    _phase_or_404(phase)
    added = services.checklist_copy_from_template(trajectory=trajectory, phase=phase, by=request.user)
    if added:
        messages.success(request, _("%(count)s items copied from the template.") % {"count": added})
    return redirect("trajectories:checklist", pk=trajectory.pk, phase=phase)


@login_required
@require_http_methods(["GET", "POST"])
def checklist_item(request, pk: int, item_pk: int):
    """One line: its light over the reviews, and (for editors) rewording, reordering, retiring."""
    do = view_or_edit(request)
    trajectory = get_trajectory_for_user(request.user, pk, do=do)
    item = get_object_or_404(ChecklistItem, trajectory=trajectory, pk=item_pk)
    form = ChecklistItemForm(
        initial={"text": item.text, "subphase": item.subphase}, phase=item.phase, prefix=f"item{item.pk}", item=item
    )
    context = {
        "trajectory": trajectory,
        "item": item,
        "spec": PHASE_SPECS[item.phase],
        "history": item.assessments.select_related("review").order_by("-review__held_on", "-review_id"),
        "form": form,
        "can_edit": may(request.user, Do.EDIT, trajectory),
    }
    if request.method == "POST":
        try:
            invalid = _apply_item_op(request, item, item.phase)
        except services.StaleEdit as stale:
            theirs = stale.current
            return refused_stale(
                request,
                "trajectories/checklist_item.html",
                {**context, "item": theirs},
                make_form=lambda data: ChecklistItemForm(
                    data, phase=theirs.phase, prefix=f"item{theirs.pk}", item=theirs
                ),
                theirs=[theirs],
                versions={"version": theirs.version},
            )
        if invalid is None:
            return redirect(reverse("trajectories:checklist", args=[trajectory.pk, item.phase]) + f"#item-{item.pk}")
        context["form"] = invalid
    return render(request, "trajectories/checklist_item.html", context, status=400 if request.method == "POST" else 200)


def _template_page(request, organisation, can_manage: bool, phase: str, *, form=None, item_form=None, status=200):
    return render(
        request,
        "trajectories/template.html",
        _template_context(organisation, can_manage, phase, form, item_form),
        status=status,
    )


def _template_context(organisation, can_manage: bool, phase: str, form=None, item_form=None) -> dict:
    uses_defaults = services.template_uses_defaults(organisation, phase)
    items = [] if uses_defaults else list(ChecklistTemplateItem.objects.filter(organisation=organisation, phase=phase))
    if item_form is not None:
        # Show the subphase the user chose, not the stored one, next to the rejected text.
        for item in items:
            if item.pk == item_form.item_pk:
                item.subphase = item_form.data.get(item_form.add_prefix("subphase"), item.subphase)
    return {
        "organisation": organisation,
        "spec": PHASE_SPECS[phase],
        "phases": PHASES,
        "uses_defaults": uses_defaults,
        "defaults": DEFAULT_CHECKLISTS[phase],
        "active": [i for i in items if not i.is_retired],
        "retired": [i for i in items if i.is_retired],
        "form": form or ChecklistItemForm(phase=phase),
        "item_form": item_form,
        "can_edit": can_manage,
    }


@login_required
@require_http_methods(["GET", "POST"])
@create_once
def template(request, org_pk: int, phase: str):
    """An organisation's checklist template for one phase. Beheerders edit it; members may read it.

    The defaults apply until the first change, which gives the organisation its own copy.
    """
    organisation, role = get_organisation_for_user(request.user, org_pk, manage=request.method == "POST")
    _phase_or_404(phase)
    if request.method == "GET":
        return _template_page(request, organisation, may_manage(request.user, organisation.pk), phase)
    if request.POST.get("op") == "customise":
        services.template_customise(organisation=organisation, phase=phase)
        messages.success(request, _("Your organisation now has its own copy of this template."))
        return redirect("trajectories:template", org_pk=organisation.pk, phase=phase)
    form = ChecklistItemForm(request.POST, phase=phase)
    if not form.is_valid():
        return _template_page(
            request, organisation, may_manage(request.user, organisation.pk), phase, form=form, status=400
        )
    services.checklist_item_add(
        owner=organisation, phase=phase, text=form.cleaned_data["text"], subphase=form.cleaned_data["subphase"]
    )
    messages.success(request, _("Template item added. New phases of your trajectories start with it."))
    return redirect("trajectories:template", org_pk=organisation.pk, phase=phase)


@login_required
@require_http_methods(["POST"])
def template_item(request, org_pk: int, item_pk: int):
    organisation, role = get_organisation_for_user(request.user, org_pk, manage=True)
    item = get_object_or_404(ChecklistTemplateItem, organisation=organisation, pk=item_pk)
    try:
        invalid = _apply_item_op(request, item, item.phase)
    except services.StaleEdit as stale:
        theirs = stale.current

        def make_form(data):
            form = ChecklistItemForm(data, phase=theirs.phase, prefix=f"item{theirs.pk}", item=theirs)
            form.item_pk = theirs.pk
            return form

        return refused_stale(
            request,
            "trajectories/template.html",
            _template_context(
                organisation, may_manage(request.user, organisation.pk), theirs.phase, item_form=make_form(request.POST)
            ),
            make_form=make_form,
            theirs=[theirs],
            versions={"version": theirs.version},
            form_name="item_form",
        )
    if invalid is not None:
        invalid.item_pk = item.pk
        return _template_page(
            request, organisation, may_manage(request.user, organisation.pk), item.phase, item_form=invalid, status=400
        )
    return redirect(reverse("trajectories:template", args=[organisation.pk, item.phase]) + f"#item-{item.pk}")
