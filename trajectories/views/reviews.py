"""Stoplight reviews (subphase 5b): the meeting page, its history and the actions it raises."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from fii.model import PHASE_SPECS
from organisations.submissions import create_once

from .. import fragments, selectors, services
from ..access import get_review_for_user, get_trajectory_for_user, in_visible_trajectories
from ..charts import item_histories, light_counts, trend_chart
from ..forms import (
    ActionCloseForm,
    ActionForm,
    ReviewEditForm,
    ReviewItemForm,
    ReviewReopenForm,
    ReviewStartForm,
)
from ..forms.reviews import attendee_keys
from ..models import Action, Light, Review, ReviewItem, Trajectory
from ..policy import Do, may, view_or_edit
from ..selectors_people import PersonOption, attendees_of, trajectory_people

ACTION_STATES = ["open", "overdue", "done"]
PAGE_SIZE = 50


def _review_for(trajectory: Trajectory, review_pk: int) -> Review:
    review = get_object_or_404(Review.objects.select_related("finalised_by"), trajectory=trajectory, pk=review_pk)
    review.trajectory = trajectory
    return review


@login_required
@require_http_methods(["GET"])
def review_list(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk)
    reviews = list(trajectory.reviews.select_related("created_by"))
    charted = reviews[:12]
    open_review = next((r for r in reviews if not r.is_final), None)
    return render(
        request,
        "trajectories/review_list.html",
        {
            "trajectory": trajectory,
            "reviews": reviews,
            "open_review": open_review,
            "chart": trend_chart(charted, light_counts(charted)),
            "cadence": selectors.trajectory_summary(trajectory).cadence,
            "can_edit": may(request.user, Do.EDIT, trajectory),
        },
    )


def _attendees_of_previous_review(trajectory: Trajectory, people: list[PersonOption]) -> dict:
    """Who came last time, ticked again: the core team meets every fortnight and should not retype itself.
    Someone no longer in the list of people (now a lezer, left the team) is not ticked; guests come along."""
    previous = trajectory.reviews.order_by("-held_on", "-pk").first()
    if previous is None:
        return {}
    in_list = {option.key for option in people}
    present = [key for key in attendee_keys(previous) if key in in_list]
    return {"present": present, "other_attendees": previous.other_attendees}


@login_required
@require_http_methods(["GET", "POST"])
@create_once
def review_start(request, pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    open_review = trajectory.open_review()
    if open_review:
        messages.info(request, _("This review is still open; finalise it before you start the next one."))
        return redirect(open_review)
    people = trajectory_people(trajectory)
    form = ReviewStartForm(
        request.POST or None,
        trajectory=trajectory,
        people=people,
        initial=_attendees_of_previous_review(trajectory, people),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = services.review_start(
                trajectory=trajectory,
                by=request.user,
                held_on=data["held_on"],
                phases=data["phases"],
                attendees=data["attendees"],
                other_attendees=data["other_attendees"],
                stakeholders_present=data["stakeholders_present"],
            )
        except services.ReviewError:
            # Someone else started a review a moment ago: join that one.
            messages.info(request, _("A colleague just started a review; you are now in that one."))
            return redirect(trajectory.open_review() or trajectory)
        return redirect(review)
    return render(request, "trajectories/review_start.html", {"trajectory": trajectory, "form": form})


def _review_context(request, trajectory: Trajectory, review: Review) -> dict:
    prefetch_related_objects([trajectory], "participants")
    items = list(review.items.select_related("item", "updated_by").order_by("position", "pk"))
    item_ids = [ri.item_id for ri in items]
    open_actions: dict[int | None, list[Action]] = {}
    for action in trajectory.actions.filter(closed_at__isnull=True).select_related("assignee", "owner_person__person"):
        open_actions.setdefault(action.item_id, []).append(action)
    histories = item_histories(item_ids)
    for ri in items:
        ri.open_actions = open_actions.get(ri.item_id, [])
        ri.history = [h for h in histories.get(ri.item_id, []) if h.review_id != review.pk]
    groups = []
    for phase in review.phases:
        phase_items = [ri for ri in items if ri.item.phase == phase]
        groups.append({"phase": phase, "spec": PHASE_SPECS[phase], "items": phase_items})
    can_edit = may(request.user, Do.EDIT, trajectory) and not review.is_final
    return {
        "trajectory": trajectory,
        "review": review,
        "groups": groups,
        "items": items,
        "other_actions": [a for item_id, actions in open_actions.items() if item_id not in item_ids for a in actions],
        "unassessed": sum(1 for ri in items if not ri.colour),
        "people": trajectory_people(trajectory) if can_edit else [],
        "can_edit": can_edit,
        "lights": Light.choices,
        "can_reopen": review.is_final and may(request.user, Do.REOPEN_REVIEW, trajectory),
        "events": review.events.select_related("created_by"),
        "attendees": attendees_of(review),
    }


def _review_people(trajectory: Trajectory, review: Review):
    """The list of people, keeping whoever attended already (editing never drops an attendee silently)."""
    return trajectory_people(
        trajectory,
        keep_users=review.attendees.values_list("pk", flat=True),
        keep_stakeholders=review.stakeholders_present.values_list("pk", flat=True),
    )


@login_required
@require_http_methods(["GET"])
def review_detail(request, pk: int, review_pk: int):
    review = get_review_for_user(request.user, pk, review_pk)
    trajectory = review.trajectory
    body = fragments.render_part(
        request,
        "trajectories/_review_body.html",
        fragments.key("review", trajectory.pk, trajectory.revision, review.pk, trajectory.user_role),
        lambda: _review_context(request, trajectory, review),
    )
    context = {"trajectory": trajectory, "review": review, "body": body}
    return render(request, "trajectories/review_detail.html", context)


def _meeting_form(request, trajectory: Trajectory, review: Review, form, status: int = 200):
    """The meeting's form: in place of the meeting card (htmx, always 200 so it is swapped) or as its own page."""
    context = {"trajectory": trajectory, "review": review, "form": form}
    if request.htmx:
        return render(request, "trajectories/review_edit.html#meeting_form", context)
    return render(request, "trajectories/review_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def review_edit(request, pk: int, review_pk: int):
    """Date, attendees and summary: edited in place on the review page (htmx) or on this page without JavaScript."""
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    review = _review_for(trajectory, review_pk)
    if review.is_final and request.method == "GET":
        messages.error(request, _("This review is finalised and can no longer be changed."))
        if request.htmx:
            return HttpResponseClientRefresh()
        return redirect(review)
    people = _review_people(trajectory, review)
    form = ReviewEditForm(request.POST or None, instance=review, people=people)
    locked_text = _("This review was finalised in the meantime; nothing was saved. Copy your text if you need it.")
    if review.is_final:
        # Finalised while this user was typing: show the form with their text so it is not lost.
        form.is_valid()
        form.add_error(None, locked_text)
        return _meeting_form(request, trajectory, review, form, status=409)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.review_update(
                review=review,
                by=request.user,
                expected_version=data["version"],
                held_on=data["held_on"],
                summary=data["summary"],
                other_attendees=data["other_attendees"],
                attendees=data["attendees"],
                stakeholders_present=data["stakeholders_present"],
            )
        except services.StaleEdit as stale:
            current = stale.current
            data = request.POST.copy()
            data["version"] = current.version
            form = ReviewEditForm(data, instance=review, people=people)
            form.is_valid()
            form.add_error(
                None,
                _(
                    "A colleague saved this review while you were editing. Their version: date %(date)s, "
                    "summary “%(summary)s”. Your changes are still in the form; save again to keep yours."
                )
                % {"date": current.held_on.strftime("%d-%m-%Y"), "summary": current.summary or "—"},
            )
            return _meeting_form(request, trajectory, review, form, status=409)
        except services.ReviewLocked:
            form.add_error(None, locked_text)
            return _meeting_form(request, trajectory, review, form, status=409)
        if request.htmx:
            review.refresh_from_db()
            context = {
                "trajectory": trajectory,
                "review": review,
                "attendees": attendees_of(review),
                "can_edit": True,
                "meeting_saved": True,
            }
            return render(request, "trajectories/_review_body.html#meeting", context)
        messages.success(request, _("Review details saved."))
        return redirect(review)
    return _meeting_form(request, trajectory, review, form)


def _review_locked(request, review: Review):
    """A colleague finalised the review mid-meeting: reload the whole (now read-only) page."""
    messages.error(request, _("This review was finalised in the meantime; your last change was not saved."))
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect(review)


def _item_response(request, trajectory, review, review_item, *, part: str, status: int = 200, saved_item=None, **flags):
    """htmx gets the one cell it changed (the light cell with the overall light and the count of items not assessed
    yet, out of band; no other cell shows them, so only it reads them); without JavaScript, the page again.

    ``flags`` (saved, conflict, mine_note, action_form, ...) are set on the row they concern.
    ``saved_item`` is the row a light or note change just saved (from ``review_item_set``): it and its
    locked review are current, so the meeting's hot path reads nothing again.
    """
    if status == 200 and not request.htmx:
        return redirect(f"{review.get_absolute_url()}#item-{review_item.pk}")
    unassessed = None
    if saved_item is not None and hasattr(saved_item.review, "unassessed"):
        review.overall_light, unassessed = saved_item.review.overall_light, saved_item.review.unassessed
    elif part == "light_cell" or not request.htmx:
        review.refresh_from_db(fields=["overall_light", "version"])
    if request.htmx:
        # The meeting's hot path: load this row only, not the whole table.
        if saved_item is not None:
            ri = saved_item
        else:
            ri = ReviewItem.objects.select_related("item", "updated_by").get(pk=review_item.pk)
        if part == "actions_cell":  # only that cell lists the item's open actions
            ri.open_actions = list(
                trajectory.actions.filter(item_id=ri.item_id, closed_at__isnull=True).select_related(
                    "assignee", "owner_person__person"
                )
            )
        if unassessed is None and part == "light_cell":
            unassessed = review.items.filter(colour="").count()
        context = {
            "trajectory": trajectory,
            "review": review,
            "ri": ri,
            "oob": True,
            "can_edit": True,
            "lights": Light.choices,
            "unassessed": unassessed,
            "people": trajectory_people(trajectory) if part == "actions_cell" else [],
        }
    else:
        context = _review_context(request, trajectory, review)
        ri = next(ri for ri in context["items"] if ri.pk == review_item.pk)
    for name, value in flags.items():
        setattr(ri, name, value)
    if not request.htmx:  # the whole page, rendered afresh: it shows this row's conflict
        body = render_to_string("trajectories/_review_body.html", context, request)
        page = {"trajectory": trajectory, "review": review, "body": body}
        return render(request, "trajectories/review_detail.html", page, status=status)
    # htmx swaps 2xx answers only; the conflict text in the cell tells the user what happened.
    return render(request, f"trajectories/_review_body.html#{part}", context)


def _review_item_or_404(trajectory: Trajectory, review_pk: int, item_pk: int) -> ReviewItem:
    """The item with its review in one query, scoped to the trajectory."""
    ri = get_object_or_404(
        ReviewItem.objects.select_related("item", "review"),
        review__trajectory=trajectory,
        review_id=review_pk,
        pk=item_pk,
    )
    ri.review.trajectory = trajectory
    return ri


@login_required
@require_http_methods(["POST"])
@create_once
def review_item(request, pk: int, review_pk: int, item_pk: int):
    """One change from the meeting table: a light, a note, a new action or closing an action."""
    op = request.POST.get("op", "assess")
    if op not in ("action_add", "action_close"):
        # A light or a note: the role needs only the organisations' ids, and the cell shows neither organisation.
        trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT, participants=False, organisations=False)
        return _item_assess(request, trajectory, review_pk, item_pk)
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT, participants=False)
    ri = _review_item_or_404(trajectory, review_pk, item_pk)
    review = ri.review
    if review.is_final:
        return _review_locked(request, review)
    if op == "action_add":
        return _item_action_add(request, trajectory, review, ri)
    return _item_action_close(request, trajectory, review, ri)


def _item_assess(request, trajectory: Trajectory, review_pk: int, item_pk: int):
    """A light or a note: the meeting's hot path. The service locks the review (of this trajectory only) and reads
    the item under the lock, so the view reads neither before it."""
    form = ReviewItemForm(request.POST)
    part = "note_cell" if "note" in request.POST and "colour" not in request.POST else "light_cell"
    if not form.is_valid():
        # Not the meeting's path (its buttons post valid lights): answer as for any other change, 404 outside
        # this trajectory and the locked answer for a finalised review first.
        ri = _review_item_or_404(trajectory, review_pk, item_pk)
        if ri.review.is_final:
            return _review_locked(request, ri.review)
        return HttpResponse(_("That is not a valid light."), status=400)
    changes = form.changes()
    try:
        saved = services.review_item_set(
            trajectory=trajectory, review_id=review_pk, review_item_id=item_pk, by=request.user, **changes
        )
    except (Review.DoesNotExist, ReviewItem.DoesNotExist):
        raise Http404 from None
    except services.StaleEdit as stale:
        current = stale.current
        extra = {"conflict": current, "conflict_fields": stale.fields}
        if "note" in stale.fields:
            extra["mine_note"] = changes["note"]
        if "colour" in stale.fields:
            extra["mine_colour"] = changes["colour"]
        return _item_response(request, trajectory, current.review, current, part=part, status=409, **extra)
    except services.ReviewLocked as locked:
        return _review_locked(request, locked.review)
    return _item_response(request, trajectory, saved.review, saved, part=part, saved_item=saved, saved=True)


def _item_action_add(request, trajectory, review, ri):
    form = ActionForm(request.POST, people=trajectory_people(trajectory), prefix=f"a{ri.pk}")
    if not form.is_valid():
        return _item_response(request, trajectory, review, ri, part="actions_cell", status=400, action_form=form)
    try:
        action = services.action_create(
            trajectory=trajectory,
            review=review,
            item=ri.item,
            by=request.user,
            description=form.cleaned_data["description"],
            assignee=form.cleaned_data["assignee"],
            owner_person=form.cleaned_data["owner_person"],
            due_on=form.cleaned_data["due_on"],
        )
    except services.ReviewLocked:
        return _review_locked(request, review)
    # Focus goes to the new action (fii.js focuses the swapped cell's tabindex=-1 element), not an older one.
    return _item_response(
        request, trajectory, review, ri, part="actions_cell", action_saved=True, new_action_pk=action.pk
    )


def _item_action_close(request, trajectory, review, ri):
    form = ActionCloseForm(request.POST)
    if not form.is_valid() or form.cleaned_data["action"] is None:
        return HttpResponse(_("Unknown action."), status=400)
    action = get_object_or_404(Action, trajectory=trajectory, pk=form.cleaned_data["action"])
    if not action.is_open:
        # A colleague marked it done a moment ago: show the list as it is now.
        return _item_response(request, trajectory, review, ri, part="actions_cell", action_conflict=True)
    try:
        services.action_close(
            action=action,
            by=request.user,
            note=form.cleaned_data.get("note", ""),
            expected_version=form.cleaned_data.get("version"),
        )
    except services.StaleEdit:
        return _item_response(request, trajectory, review, ri, part="actions_cell", status=409, action_conflict=True)
    return _item_response(request, trajectory, review, ri, part="actions_cell", action_closed=True)


@login_required
@require_http_methods(["GET", "POST"])
@create_once
def review_finalise(request, pk: int, review_pk: int):
    """Finalising asks first, listing what deserves a look; only a POST with ``confirmed`` finalises."""
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.EDIT)
    review = _review_for(trajectory, review_pk)
    if review.is_final:
        messages.info(request, _("This review was already finalised."))
        return redirect(review)
    if request.method == "POST" and request.POST.get("confirmed") == "1":
        try:
            services.review_finalise(review=review, by=request.user)
        except services.ReviewLocked:
            messages.info(request, _("This review was already finalised."))
        else:
            messages.success(request, _("Review finalised. It is now read-only."))
        return redirect(review)
    context = {"trajectory": trajectory, "review": review, "checks": selectors.review_finalise_checks(review)}
    if request.htmx:
        return render(request, "trajectories/review_finalise.html#confirm", context)
    return render(request, "trajectories/review_finalise.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@create_once
def review_reopen(request, pk: int, review_pk: int):
    trajectory = get_trajectory_for_user(request.user, pk, do=Do.REOPEN_REVIEW)
    review = _review_for(trajectory, review_pk)
    form = ReviewReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_reopen(review=review, by=request.user, reason=form.cleaned_data["reason"])
        except services.ReviewError:
            form.add_error(
                None,
                _(
                    "This review cannot be re-opened while another review of this trajectory is open, "
                    "or it is not finalised."
                ),
            )
        else:
            messages.success(request, _("Review re-opened. The reason is kept in its history."))
            return redirect(review)
    return render(
        request, "trajectories/review_reopen.html", {"trajectory": trajectory, "review": review, "form": form}
    )


def _action_page(request, actions, state: str):
    actions = selectors.actions_filtered(actions, state)
    if request.GET.get("mine"):
        actions = actions.filter(assignee=request.user)
    return Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _action_state(request) -> str:
    state = request.GET.get("status", "open")
    return state if state in ACTION_STATES else "open"


@login_required
@require_http_methods(["GET", "POST"])
@create_once
def action_list(request, pk: int):
    do = view_or_edit(request)
    trajectory = get_trajectory_for_user(request.user, pk, do=do)
    can_edit = may(request.user, Do.EDIT, trajectory)
    form = None
    if can_edit:
        form = ActionForm(request.POST or None, people=trajectory_people(trajectory))
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            services.action_create(
                trajectory=trajectory,
                by=request.user,
                description=data["description"],
                assignee=data["assignee"],
                owner_person=data["owner_person"],
                due_on=data["due_on"],
            )
            messages.success(request, _("Action added."))
            return redirect("trajectories:actions", pk=trajectory.pk)
    state = _action_state(request)
    actions = Action.objects.filter(trajectory=trajectory).select_related(
        "assignee", "owner_person__person", "item", "milestone", "review", "closed_by"
    )
    return render(
        request,
        "trajectories/action_list.html",
        {
            "trajectory": trajectory,
            "page": _action_page(request, actions, state),
            "state": state,
            "states": ACTION_STATES,
            "query": _query_without_page(request),
            "form": form,
            "can_edit": can_edit,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request, pk: int, action_pk: int):
    """Readers see the action; editors change, close or re-open it."""
    do = view_or_edit(request)
    trajectory = get_trajectory_for_user(request.user, pk, do=do)
    action = get_object_or_404(
        Action.objects.select_related("item", "milestone", "review", "assignee", "owner_person__person"),
        trajectory=trajectory,
        pk=action_pk,
    )
    people = trajectory_people(trajectory, keep_users=[action.assignee_id], keep_stakeholders=[action.owner_person_id])
    milestones = trajectory.milestones.all()
    form = ActionForm(None, instance=action, people=people, milestones=milestones)
    close_form = ActionCloseForm(initial={"version": action.version})
    if request.method == "POST":
        op = request.POST.get("op", "save")
        try:
            if op == "close":
                close_form = ActionCloseForm(request.POST)
                if close_form.is_valid():
                    services.action_close(
                        action=action,
                        by=request.user,
                        note=close_form.cleaned_data["note"],
                        expected_version=close_form.cleaned_data["version"],
                    )
                    messages.success(request, _("Action closed."))
                    return redirect("trajectories:actions", pk=trajectory.pk)
            elif op == "reopen":
                services.action_reopen(action=action, by=request.user, expected_version=None)
                messages.success(request, _("Action re-opened."))
                return redirect("trajectories:action", pk=trajectory.pk, action_pk=action.pk)
            else:
                form = ActionForm(request.POST, instance=action, people=people, milestones=milestones)
                if form.is_valid():
                    services.action_update(
                        action=action,
                        by=request.user,
                        expected_version=form.cleaned_data["version"],
                        description=form.cleaned_data["description"],
                        assignee=form.cleaned_data["assignee"],
                        owner_person=form.cleaned_data["owner_person"],
                        due_on=form.cleaned_data["due_on"],
                        milestone=form.cleaned_data["milestone"],
                    )
                    messages.success(request, _("Action saved."))
                    return redirect("trajectories:actions", pk=trajectory.pk)
        except services.StaleEdit as stale:
            current = stale.current
            message = _(
                "A colleague changed this action while you were editing: now “%(description)s”%(closed)s. "
                "Your input is kept; save again to overwrite."
            ) % {
                "description": current.description,
                "closed": _(" (closed)") if current.closed_at else "",
            }
            data = request.POST.copy()
            data["version"] = current.version
            action.refresh_from_db()
            if op == "close":
                close_form = ActionCloseForm(data)
                close_form.is_valid()
                close_form.add_error(None, message)
            else:
                form = ActionForm(data, instance=action, people=people, milestones=milestones)
                form.is_valid()
                form.add_error(None, message)
            status = 409
        else:
            status = 400 if request.method == "POST" else 200
    else:
        status = 200
    return render(
        request,
        "trajectories/action_detail.html",
        {
            "trajectory": trajectory,
            "action": action,
            "form": form,
            "close_form": close_form,
            "can_edit": may(request.user, Do.EDIT, trajectory),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def my_actions(request):
    state = _action_state(request)
    # The owners, items and milestones of the page's 50 come in their own small queries: joined into the page's
    # query they cost PostgreSQL about 22 ms of planning (seven tables), against 0.4 ms without them (issue 21).
    actions = (
        Action.objects.filter(in_visible_trajectories(request.user))
        .select_related("trajectory")
        .prefetch_related("assignee", "owner_person__person", "item", "milestone")
    )
    return render(
        request,
        "trajectories/my_actions.html",
        {
            "page": _action_page(request, actions, state),
            "state": state,
            "states": ACTION_STATES,
            "query": _query_without_page(request),
            "mine": bool(request.GET.get("mine")),
        },
    )
