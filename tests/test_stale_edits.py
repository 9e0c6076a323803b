"""Issue 16, finding 4: every edit form refuses a stale save, like the permission matrix covers every URL.

Each form of the permission matrix (the same list the fuzz test posts to) is classified here: an edit form
of an existing row with its scenario, or not an edit of an existing row (with the reason). There are no
known gaps left: a new edit form is conflict-safe from the start. A new form that is in none of them fails
``test_every_form_of_the_matrix_is_classified``; a new ModelForm that carries no version fails
``test_every_model_form_that_edits_a_row_carries_its_version``.

The scenario, for each edit form: user 1 opens the form, user 2 opens it, changes a field and saves, user 1
saves their stale copy → 409, the row keeps user 2's value, the page shows user 2's value and still holds
user 1's input; saving that page again (it now carries user 2's version) saves user 1's input on purpose.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django import forms as django_forms
from django.urls import reverse

from fii.lib.conflicts import VersionedForm
from organisations import forms as organisation_forms
from trajectories import forms as trajectory_forms
from trajectories import services
from trajectories.models import (
    Assignment,
    ChecklistTemplateItem,
    QualityMonitoring,
    Stakeholder,
    SubphaseState,
    TeamMandate,
    Trajectory,
)

from .factories import MembershipFactory, UserFactory
from .test_fuzz_forms import FORMS
from .test_permissions import (
    action_args,
    candidate_args,
    cfir_args,
    indicator_args,
    review_args,
    stakeholder_args,
    team_member_args,
    template_item_args,
    trajectory_args,
)

THEIRS = "Versie van de collega"
MINE = "Mijn eigen versie"


@dataclass(frozen=True)
class Edit:
    name: str  # URL name
    args: Callable[[Trajectory], list]
    field: str  # a field of the form that both users change ("{1}": the URL's second argument)
    read: Callable[[Trajectory], object]  # that field as saved now
    fill: dict = field(default_factory=dict)  # other values a valid save needs
    values: tuple[str, str] = (THEIRS, MINE)  # user 2's value, user 1's value
    label: str = ""
    beheerders: bool = False  # a form for beheerders only: user 1 is a second beheerder
    page: Callable[[Trajectory], str] | None = None  # the page that holds the form, if not the form's URL

    @property
    def id(self) -> str:
        return f"{self.name}{f' ({self.label})' if self.label else ''}"


def _stakeholder(t: Trajectory) -> Stakeholder:
    return Stakeholder.objects.select_related("person").get(pk=stakeholder_args(t)[1])


def _latest_method_goal(t: Trajectory):
    version = t.method_versions.order_by("-number").first()
    return version.goal if version else None


def _cfir_rationale(t: Trajectory, code: str) -> str | None:
    rating = t.cfir_assessments.get().ratings.filter(construct=code).first()
    return rating.rationale if rating else None


def _milestone_args(t: Trajectory) -> list:
    import datetime as dt

    milestone = services.milestone_save(trajectory=t, by=t.created_by, title="Start", due_on=dt.date(2026, 12, 1))
    return [t.pk, milestone.pk]


EDIT_FORMS = [
    # Conflict-safe before issue 16's finding 4.
    Edit("trajectories:edit", trajectory_args, "title", lambda t: Trajectory.objects.get(pk=t.pk).title),
    Edit("trajectories:plan_edit", trajectory_args, "horizon", lambda t: services.plan_for(t).horizon),
    Edit(
        "trajectories:review_edit",
        review_args,
        "summary",
        lambda t: t.reviews.get(pk=review_args(t)[1]).summary,
    ),
    Edit(
        "trajectories:action",
        action_args,
        "description",
        lambda t: t.actions.order_by("-pk").first().description,
    ),
    Edit(
        "trajectories:method_edit",
        trajectory_args,
        "goal",
        _latest_method_goal,
        fill={"components": "Bezoekt het gezin thuis", "reason": "Eerste versie"},
    ),
    # Finding 4: these overwrote silently.
    Edit(
        "trajectories:assignment_edit",
        trajectory_args,
        "goal",
        lambda t: Assignment.objects.get(trajectory=t).goal,
    ),
    Edit(
        "trajectories:subphase_edit",
        lambda t: [t.pk, "2a"],
        "notes",
        lambda t: SubphaseState.objects.get(trajectory=t, subphase="2a").notes,
    ),
    Edit(
        "trajectories:quality_edit",
        trajectory_args,
        "instrument",
        lambda t: QualityMonitoring.objects.get(trajectory=t).instrument,
    ),
    Edit(
        "trajectories:team_mandate",
        trajectory_args,
        "note",
        lambda t: TeamMandate.objects.get(trajectory=t).note,
        label="no mandate yet",
    ),
    Edit("trajectories:stakeholder_edit", stakeholder_args, "notes", lambda t: _stakeholder(t).notes),
    Edit(
        "trajectories:stakeholder_edit",
        stakeholder_args,
        "function",
        lambda t: _stakeholder(t).person.function,
        label="the person",
    ),
    Edit(
        "trajectories:candidate_assess",
        candidate_args,
        "note_bedoeling",
        lambda t: t.candidates.get().ratings.get(criterion="bedoeling").note,
        label="a rating",
    ),
    Edit(
        "trajectories:candidate_assess",
        candidate_args,
        "caseload",
        lambda t: str(t.candidates.get().caseload),
        values=("120", "80"),
        label="a fact",
    ),
    Edit(
        "trajectories:milestone_edit",
        _milestone_args,
        "title",
        lambda t: t.milestones.order_by("-pk").first().title,
    ),
    # The second round of finding 4.
    Edit(
        "trajectories:team_member",
        team_member_args,
        "team_role",
        lambda t: t.team_members.order_by("-pk").first().team_role,
        values=("Voorzitter", "Secretaris"),
    ),
    Edit(
        "trajectories:cfir_rate",
        cfir_args,
        "rationale_I_A",
        lambda t: _cfir_rationale(t, "I.A"),
        fill={"rating_I_A": "+1"},
    ),
    Edit(
        "organisations:retention",
        lambda t: [t.owner_id],
        "retention_months",
        lambda t: str(type(t.owner).objects.get(pk=t.owner_id).retention_months),
        values=("36", "48"),
        beheerders=True,
    ),
    Edit(
        "organisations:fidelity_threshold",
        lambda t: [t.owner_id],
        "fidelity_threshold",
        lambda t: str(type(t.owner).objects.get(pk=t.owner_id).fidelity_threshold),
        values=("70", "60"),
        beheerders=True,
    ),
    Edit(
        "trajectories:checklist_item",
        lambda t: [t.pk, t.checklist_items.order_by("pk").first().pk],
        "item{1}-text",
        lambda t: t.checklist_items.order_by("pk").first().text,
    ),
    Edit(
        "trajectories:indicator_edit",
        indicator_args,
        "name",
        lambda t: t.indicators.order_by("pk").first().name,
        fill={"kind": "bereik", "unit": "aantal", "target": "50", "direction": "minimaal"},
    ),
    Edit(
        "trajectories:template_item",
        template_item_args,
        "item{1}-text",
        lambda t: ChecklistTemplateItem.objects.filter(organisation=t.owner).first().text,
        beheerders=True,
        page=lambda t: reverse("trajectories:template", args=[t.owner_id, "verkennen"]),
    ),
]

NOT_AN_EDIT = {
    # Adding rows: nothing a colleague could have changed yet.
    "trajectories:create": "creates a trajectory",
    "trajectories:stakeholder_add": "adds a stakeholder",
    "trajectories:team_member_add": "adds a team member",
    "trajectories:contact_add": "adds a contact",
    "trajectories:talk_create": "adds a talk",
    "trajectories:milestone_create": "adds a milestone",
    "trajectories:plan_task_create": "adds a task",
    "trajectories:cfir_strategy_take_up": "adds an action or milestone for a barrier; a second click finds it",
    "trajectories:people_change_create": "adds a change of people",
    "trajectories:professional_create": "adds a professional",
    "trajectories:fidelity_create": "adds a fidelity checklist",
    "trajectories:fidelity_observe": "adds an observation",
    "trajectories:feedback_create": "adds feedback",
    "trajectories:evaluation_create": "adds an evaluation",
    "trajectories:improvement_create": "adds an improvement",
    "trajectories:indicator_create": "adds an indicator",
    "trajectories:indicator_suggest": "adds a suggested indicator",
    "trajectories:measurement_create": "adds a measurement",
    "trajectories:booster_action": "adds the booster action once; an open one is not added again",
    "trajectories:review_start": "starts a review",
    "trajectories:implementability": "adds an assessment; earlier ones stay as they are",
    "trajectories:agreement": "records an agreement; earlier ones stay",
    "trajectories:cfir_list": "adds a CFIR assessment",
    "trajectories:actions": "adds an action",
    "trajectories:report_backs": "adds a report-back",
    "trajectories:training": "adds a training activity",
    "trajectories:shortlist": "adds a candidate",
    "trajectories:checklist": "adds a checklist line",
    "trajectories:checklist_fill": "copies the template once (tests/trajectories/test_concurrency.py)",
    "trajectories:progress_report_issue": "records that a report was issued",
    "trajectories:progress_report_pdf_job": "makes a PDF in the background; changes nothing",
    "trajectories:organisation_import": "imports new trajectories",
    "organisations:detail": "invites a member",
    "organisations:invitation_resend": "sends the invitation again",
    "organisations:invitation_revoke": "revokes an invitation; idempotent",
    "trajectories:first_beheerder_invite": "invites a first beheerder",
    "trajectories:participant_add": "adds a participant; idempotent",
    "trajectories:participant_remove": "removes a participant; idempotent",
    # Steps with their own history row each: a colleague's step before is kept, not overwritten.
    "trajectories:transition": "a phase move, kept as a PhaseTransition row; the form checks the current phase",
    "trajectories:candidate_status": "a status step, kept in the candidate's history",
    "trajectories:candidate_choose": "a decision, kept in the history",
    "trajectories:professional_state": "a state step, kept as a ProfessionalStateChange row",
    "trajectories:people_change_revisit": "records the talk about a change once",
    "trajectories:improvement_done": "marks an improvement done; idempotent",
    "trajectories:review_finalise": "guarded by the review's open state (ReviewLocked)",
    "trajectories:review_reopen": "a beheerder's step, kept as a ReviewEvent row",
    "trajectories:archive": "archiving; idempotent",
    "trajectories:restore": "restoring; idempotent",
    "trajectories:person_erase": "erasure; idempotent",
    "trajectories:notification_read": "the user's own notifications",
    "organisations:member_update": "a member's role, a permission change recorded in the audit log",
    "organisations:audit_log": "a read-only page with a filter form",
    "organisations:persons": "a read-only list with a search form",
    "trajectories:organisation_access": "a read-only page with invitation forms",
    "account:backup_codes": "the user's own codes",
    "account:totp_disable": "the user's own second factor",
    "session_keepalive": "no data",
}
# Conflict-safe, with their own tests (their form is part of a page of many rows).
SAFE_ELSEWHERE = {
    "trajectories:review_item": "tests/trajectories/test_reviews.py::test_stale_light_is_refused_and_fresh_one_saved",
}


# The form on a page -------------------------------------------------------------------------------------------


class _FormValues(HTMLParser):
    """The values a browser would send from the page's POST form to ``action`` (or to the page itself)."""

    def __init__(self, action: str):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = self.done = False
        self.data: dict[str, list[str]] = {}
        self.textarea: str | None = None
        self.select: str | None = None
        self.first_option: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done:
            self.inside = (a.get("method") or "").lower() == "post" and (a.get("action") or "") in ("", self.action)
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.setdefault(name, []).append(a.get("value") or "on")
            elif kind not in ("submit", "button", "file", "reset"):
                self.data.setdefault(name, []).append(a.get("value") or "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.data[name] = [""]
        elif tag == "select" and name:
            self.select, self.first_option = name, None
        elif tag == "option" and self.select:
            value = a.get("value", "")
            if self.first_option is None:
                self.first_option = value
            if "selected" in a:
                self.data.setdefault(self.select, []).append(value)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "textarea" and self.textarea:
            self.data[self.textarea][0] = self.data[self.textarea][0].removeprefix("\n")
            self.textarea = None
        elif tag == "select" and self.select:
            if self.select not in self.data and self.first_option is not None:
                self.data[self.select] = [self.first_option]
            self.select = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][0] += data


def form_values(html: str, url: str) -> dict[str, list[str]]:
    parser = _FormValues(url)
    parser.feed(html)
    assert parser.done, f"no POST form to {url} on the page"
    return parser.data


def _open(client, user, page, url=None) -> dict[str, list[str]]:
    client.force_login(user)
    response = client.get(page)
    assert response.status_code == 200, page
    return form_values(response.content.decode(), url or page)


def run_scenario(edit: Edit, client, trajectory, bewerker, beheerder):
    if edit.beheerders:
        bewerker = MembershipFactory(
            user=UserFactory(email="tweede-beheerder@testdam.nl"), organisation=trajectory.owner, role="beheerder"
        ).user
    args = edit.args(trajectory)
    url = reverse(edit.name, args=args)
    page = edit.page(trajectory) if edit.page else url
    field_name = edit.field.format(*args)
    mine = _open(client, bewerker, page, url)  # user 1 opens the form …
    theirs = _open(client, beheerder, page, url)  # … so does user 2, who saves first
    theirs.update({name: [value] for name, value in edit.fill.items()})
    theirs[field_name] = [edit.values[0]]
    saved = client.post(url, theirs)
    assert saved.status_code == 302, f"{edit.id}: user 2's save answered {saved.status_code}"
    expected = theirs[field_name][0]
    assert edit.read(trajectory) == expected

    client.force_login(bewerker)
    mine.update({name: [value] for name, value in edit.fill.items()})
    mine[field_name] = [edit.values[1]]
    response = client.post(url, mine)
    assert response.status_code == 409, f"{edit.id}: a stale save answered {response.status_code}"
    assert edit.read(trajectory) == expected, "the stale save changed the row"
    return url, response, mine[field_name][0], expected


@pytest.mark.parametrize("edit", EDIT_FORMS, ids=lambda e: e.id)
def test_a_stale_save_is_refused_with_both_versions_and_saving_again_keeps_mine(
    edit, client, trajectory, bewerker, beheerder
):
    url, response, mine, theirs = run_scenario(edit, client, trajectory, bewerker, beheerder)
    html = response.content.decode()
    assert mine in html, "the user's input is not kept"
    assert theirs in html, "the colleague's version is not shown"
    assert 'lang="nl"' in html and "while you were editing" not in html, "the message is not in Dutch"
    # The page now carries the colleague's version: saving it again keeps the user's input, on purpose.
    again = client.post(url, form_values(html, url))
    assert again.status_code == 302, f"saving again answered {again.status_code}"
    assert edit.read(trajectory) == mine


def test_every_form_of_the_matrix_is_classified():
    classified = [e.name for e in EDIT_FORMS] + [*NOT_AN_EDIT, *SAFE_ELSEWHERE]
    missing = set(FORMS) - set(classified)
    assert not missing, f"Classify these forms (an edit form must refuse a stale save): {sorted(missing)}"
    groups = [{e.name for e in EDIT_FORMS}, set(NOT_AN_EDIT), set(SAFE_ELSEWHERE)]
    assert sum(len(g) for g in groups) == len(set().union(*groups)), "a form is classified twice"
    assert not set(classified) - set(FORMS), "classified forms that the matrix no longer has"


# Forms that build new rows only, or that are conflict-safe by another field than ``version``.
MODEL_FORMS_WITHOUT_VERSION = {
    "TrajectoryCreateForm": "creates",
    "TrainingForm": "creates",
    "ProfessionalForm": "creates",
    "FeedbackForm": "creates",
    "EvaluationForm": "creates",
    "ImplementabilityForm": "creates",
    "CfirAssessmentForm": "creates",
    "ContactForm": "creates",
    "ReportBackForm": "creates",
    "ReviewStartForm": "creates",
    "TalkForm": "creates",
    "AgreementForm": "creates",
    "PeopleChangeForm": "creates",
    "MethodForm": "every save is a new version; based_on is its version number (StaleEdit on a newer one)",
}


def _model_forms():
    for module in (trajectory_forms, organisation_forms):
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, django_forms.ModelForm) and cls.__module__.startswith(module.__name__):
                yield name, cls


def _carries_version(cls) -> bool:
    if issubclass(cls, VersionedForm):
        return True
    declared = cls.base_fields.get("version")  # the older forms declare it themselves (a CFIR "version" is no lock)
    return isinstance(declared, django_forms.IntegerField) and declared.widget.is_hidden


def test_every_model_form_that_edits_a_row_carries_its_version():
    found = dict(_model_forms())
    assert "AssignmentForm" in found and "RetentionForm" in found  # the walk sees both apps
    unsafe = {name for name, cls in found.items() if not _carries_version(cls)}
    undecided = unsafe - set(MODEL_FORMS_WITHOUT_VERSION)
    assert not undecided, f"Make these forms conflict-safe (fii.lib.conflicts.VersionedForm): {sorted(undecided)}"
    assert not set(MODEL_FORMS_WITHOUT_VERSION) - unsafe, "listed as without version, but they carry one now"


# The assignment form also shows the trajectory's commissioner, which the trajectory's own form edits too.


def test_the_assignment_form_does_not_undo_a_commissioner_saved_on_the_trajectory_form(
    client, trajectory, bewerker, beheerder
):
    url = reverse("trajectories:assignment_edit", args=[trajectory.pk])
    edit_url = reverse("trajectories:edit", args=[trajectory.pk])
    mine = _open(client, bewerker, url)
    theirs = _open(client, beheerder, edit_url)
    theirs["commissioner"] = [THEIRS]
    assert client.post(edit_url, theirs).status_code == 302

    client.force_login(bewerker)
    mine["goal"] = [MINE]  # the commissioner is sent back as it was loaded
    response = client.post(url, mine)
    assert response.status_code == 409
    assert Trajectory.objects.get(pk=trajectory.pk).commissioner == THEIRS
    assert Assignment.objects.get(trajectory=trajectory).goal != MINE
    html = response.content.decode()
    assert THEIRS in html and MINE in html
    again = client.post(url, form_values(html, url))  # on purpose: the page carries the versions it showed
    assert again.status_code == 302
    assert Assignment.objects.get(trajectory=trajectory).goal == MINE


def test_an_assignment_save_that_keeps_the_commissioner_is_not_refused_by_another_trajectory_change(
    client, trajectory, bewerker
):
    url = reverse("trajectories:assignment_edit", args=[trajectory.pk])
    mine = _open(client, bewerker, url)
    loaded = Trajectory.objects.get(pk=trajectory.pk).version
    services.plan_update(  # raises the trajectory's version, not the assignment's
        trajectory=trajectory, by=bewerker, expected_version=None, review_interval="maandelijks"
    )
    assert Trajectory.objects.get(pk=trajectory.pk).version > loaded
    mine["goal"] = [MINE]
    assert client.post(url, mine).status_code == 302
    assert Assignment.objects.get(trajectory=trajectory).goal == MINE
