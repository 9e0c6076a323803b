"""What belongs to a trajectory, declared once.

Everything that walks a trajectory reads this module, and nothing else knows how a model reaches its
trajectory:

- the page cache (``revisions.py``) raises the trajectory's revision on every write to one of its parts;
- the history pages (``history/registry.py``) find an object's history rows by its ``history`` slug;
- the audit log (``organisations/audit.py``) files an event under the trajectory's giving organisation,
  through the resolver that ``TrajectoriesConfig.ready()`` registers;
- retention (``retention.py``) anonymises the ``personal`` text fields and keeps the ``kept`` ones;
- the transfer format (``transfer_format.py``) exports ``fields`` and leaves out ``left_out``, nested as
  declared here (docs/export-format.md).

A model of the trajectories app is either a :class:`Part` of the tree below or declared :data:`OUTSIDE`,
with the reason; ``tests/trajectories/test_structure.py`` fails otherwise, and on every field that is not
decided for the export and, for text fields, for retention. Adding a model to a trajectory is a change to
its model and to this tree (README, *Voor ontwikkelaars*).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import CharField, EmailField, ForeignKey, Model, Q, TextField

from organisations.models import (
    AuditEvent,
    ExternalIdentity,
    FormSubmission,
    Invitation,
    Job,
    Membership,
    Notice,
    Organisation,
    OutgoingMail,
    Person,
    User,
)

from . import models as m

# Left out of the export for several models, with the reason (docs/export-format.md repeats these).
VERSION_COUNTER = "edit counter against lost updates; starts again at 1 in the receiving installation"
PARENT = "implied by the nesting in the file"
HISTORY = "reason created_by created_at"


@dataclass(frozen=True)
class Part:
    """One model of the trajectory, with the foreign key (``parent``) that ties it to the enclosing part."""

    model: type[Model]
    name: str  # its list (or object, when ``single``) in the export file
    fields: str  # the fields that travel in the export file, separated by spaces
    parent: str = "trajectory"  # the foreign key to the enclosing part; "" for the trajectory itself
    left_out: Mapping[str, str] = field(default_factory=dict)  # not exported on purpose, with the reason
    refs: Mapping[str, str] = field(default_factory=dict)  # field → an earlier keyed list of the trajectory
    keyed: bool = False  # others refer to its rows by their position in the file
    single: bool = False  # a one-to-one part
    history: str = ""  # the slug of its history page; "" for append-only and immutable rows
    personal: str = ""  # text fields with personal data, anonymised after the retention period
    kept: str = ""  # text fields without personal data
    children: tuple[Part, ...] = ()


@dataclass(frozen=True)
class Outside:
    """A model that is not part of any trajectory, and why; ``kept``/``personal`` classify its text fields for
    retention. ``linked_from`` names the part and foreign key through which a trajectory shows its rows."""

    model: type[Model]
    reason: str
    kept: str = ""
    history: str = ""
    linked_from: tuple[type[Model], str] | None = None


TRAJECTORY = Part(
    m.Trajectory,
    "trajectories",
    (
        "title intervention_name owner receiving_organisation participants commissioner start_date "
        "end_date status has_commissioner receiving_identified start_phase start_override_reason "
        "current_phase review_interval created_by created_at updated_at closed_at"
    ),
    parent="",
    left_out={
        "version": VERSION_COUNTER,
        "export_key": 'written as the trajectory\'s "key"',
        "file_key": 'written as the trajectory\'s "key" when set (an import whose key another organisation held)',
        "archived_at": "archiving is local to an installation: an import is not archived",
        "archived_by": "archiving is local to an installation: an import is not archived",
        "archive_reason": "archiving is local to an installation: an import is not archived",
        "anonymised_at": "the receiving installation's retention command decides for itself",
        "review_due_on": "derived from the reviews and phases (review_schedule.py); computed again on import",
        "review_due_stale_on": "derived from the reviews and phases (review_schedule.py); computed again on import",
    },
    history="traject",
    personal="commissioner",
    kept="title intervention_name start_override_reason archive_reason",
    children=(
        Part(
            m.PhaseState,
            "phase_states",
            "phase status completion_note started_at completed_at",
            history="fase",
            kept="completion_note",
        ),
        Part(
            m.SubphaseState,
            "subphase_states",
            "subphase status notes updated_by updated_at",
            left_out={"version": VERSION_COUNTER},
            history="deelfase",
            kept="notes",
        ),
        Part(
            m.PhaseTransition,
            "transitions",
            f"{HISTORY} from_phase from_status to_phase to_status_before open_points",
            kept="reason open_points",
        ),
        Part(
            m.Assignment,
            "assignment",
            (
                "question_origin commissioner_contact innovation_question goal target_group "
                "problem_definition question_behind_question budget frame_start frame_end scale "
                "capacity_fte political_weight policy_plan policy_targets legal_anchoring is_realistic "
                "realistic_note is_ambitious ambitious_note updated_by updated_at"
            ),
            left_out={"version": VERSION_COUNTER},
            single=True,
            history="opdracht",
            personal="commissioner_contact",
            kept=(
                "innovation_question goal target_group problem_definition question_behind_question scale "
                "policy_plan policy_targets legal_anchoring realistic_note ambitious_note"
            ),
        ),
        Part(
            m.ChecklistItem,
            "checklist_items",
            "phase subphase text position retired_at created_at created_by",
            left_out={
                "version": VERSION_COUNTER,
                "template_item": "the organisation's template line it was copied from; templates are organisation "
                "settings and stay behind, so an imported line has none and groups by its wording",
            },
            keyed=True,
            history="checklistpunt",
            kept="text",
        ),
        Part(
            m.Milestone,
            "milestones",
            "title due_on reached_on created_by created_at",
            left_out={"version": VERSION_COUNTER},
            keyed=True,
            history="mijlpaal",
            kept="title",
        ),
        Part(
            m.Stakeholder,
            "stakeholders",
            "person side level influence support desired_support notes created_by created_at",
            left_out={"version": VERSION_COUNTER},
            keyed=True,
            history="sleutelfiguur",
            personal="notes",
            children=(
                Part(
                    m.Contact,
                    "contacts",
                    "date kind note created_by created_at",
                    parent="stakeholder",
                    history="contact",
                    personal="note",
                ),
                Part(
                    m.SupportChange,
                    "support_changes",
                    f"{HISTORY} from_support to_support",
                    parent="stakeholder",
                    personal="reason",
                ),
            ),
        ),
        Part(
            m.Review,
            "reviews",
            (
                "held_on phases attendees other_attendees stakeholders_present summary overall_light "
                "finalised_at finalised_by created_by created_at"
            ),
            left_out={
                "version": VERSION_COUNTER,
            },
            refs={"stakeholders_present": "stakeholders"},
            keyed=True,
            history="stoplicht",
            personal="other_attendees",
            kept="summary",
            children=(
                Part(
                    m.ReviewItem,
                    "items",
                    "item text position colour carried_colour note updated_by updated_at",
                    parent="review",
                    refs={"item": "checklist_items"},
                    history="stoplichtpunt",
                    kept="text note",
                ),
                Part(
                    m.ReviewEvent,
                    "events",
                    f"{HISTORY} kind",
                    parent="review",
                    kept="reason",
                ),
            ),
        ),
        Part(
            m.Action,
            "actions",
            (
                "item review milestone description assignee owner_person organisation due_on closed_at "
                "closed_by closing_note created_by created_at"
            ),
            left_out={
                "version": VERSION_COUNTER,
            },
            refs={
                "item": "checklist_items",
                "review": "reviews",
                "milestone": "milestones",
                "owner_person": "stakeholders",
            },
            keyed=True,
            history="actie",
            kept="description closing_note",
        ),
        Part(
            m.Candidate,
            "candidates",
            (
                "organisation status motivation financing financing_need financing_note caseload average_length_months "
                "maximum_length_months created_by created_at"
            ),
            left_out={"version": VERSION_COUNTER},
            keyed=True,
            history="kandidaat",
            kept="motivation financing_note",
            children=(
                Part(
                    m.CandidateRating,
                    "ratings",
                    "criterion answer note updated_by updated_at",
                    parent="candidate",
                    history="kandidaatbeoordeling",
                    kept="note",
                ),
                Part(
                    m.CandidateStatusChange,
                    "status_changes",
                    f"{HISTORY} from_status to_status",
                    parent="candidate",
                    kept="reason",
                ),
                Part(
                    m.OrientationTalk,
                    "talks",
                    (
                        "held_on management project_leaders executors learnt sees_added_value "
                        "fits_practice commits_resources joins_team created_by created_at"
                    ),
                    parent="candidate",
                    history="gesprek",
                    personal="management project_leaders executors",
                    kept="learnt",
                ),
            ),
        ),
        Part(
            m.Agreement,
            "agreements",
            "organisation agreed_on parties terms document document_name created_by created_at",
            history="overeenkomst",
            personal="parties",
            kept="terms document_name",
        ),
        Part(
            m.Plan,
            "plan",
            "horizon kickoff_on kickoff_participants kickoff_notes meeting_notes updated_by updated_at",
            left_out={
                "version": VERSION_COUNTER,
            },
            single=True,
            history="plan",
            personal="kickoff_participants meeting_notes",
            kept="horizon kickoff_notes",
        ),
        Part(
            m.PeopleChange,
            "people_changes",
            "side occurred_on role description created_by created_at revisited_on revisit_note revisited_by",
            history="wisseling",
            personal="description",
            kept="role revisit_note",
        ),
        Part(
            m.ReportBack,
            "report_backs",
            "stakeholder reported_on content created_by created_at",
            refs={"stakeholder": "stakeholders"},
            history="terugkoppeling",
            personal="content",
        ),
        Part(
            m.TeamMember,
            "team_members",
            (
                "stakeholder team_role has_leadership has_content_knowledge has_practical_experience "
                "has_communication has_coordination joined_on left_on"
            ),
            left_out={"version": VERSION_COUNTER},
            refs={"stakeholder": "stakeholders"},
            keyed=True,
            history="teamlid",
            kept="team_role",
        ),
        Part(
            m.TeamMandate,
            "team_mandate",
            "sufficient note updated_by updated_at",
            left_out={"version": VERSION_COUNTER},
            single=True,
            history="mandaat",
            personal="note",
        ),
        Part(
            m.TeamChange,
            "team_changes",
            f"{HISTORY} member kind on",
            refs={"member": "team_members"},
            personal="reason",
        ),
        Part(
            m.ImplementabilityAssessment,
            "implementability",
            (
                "assessed_on complexity complexity_rationale adaptability adaptability_rationale scalable "
                "scalable_note affordable affordable_note feasible feasible_note created_by created_at"
            ),
            history="balans",
            kept="complexity_rationale adaptability_rationale scalable_note affordable_note feasible_note",
        ),
        Part(
            m.MethodVersion,
            "method_versions",
            (
                f"{HISTORY} number goal target_group inclusion_criteria exclusion_criteria approach "
                "preconditions theory effectiveness evidence database registration_status "
                "registration_date database_other recognition recognition_date"
            ),
            keyed=True,
            kept=(
                "reason goal target_group inclusion_criteria exclusion_criteria approach preconditions theory evidence "
                "database_other"
            ),
            children=(
                Part(
                    m.ActiveComponent,
                    "components",
                    "position text",
                    parent="version",
                    kept="text",
                ),
            ),
        ),
        Part(
            m.CfirAssessment,
            "cfir_assessments",
            "title assessed_on version candidate created_by created_at",
            left_out={"edit_version": VERSION_COUNTER},
            refs={"candidate": "candidates"},
            history="cfir",
            kept="title",
            children=(
                Part(
                    m.CfirRating,
                    "ratings",
                    "construct rating rationale needs_review updated_by updated_at",
                    parent="assessment",
                    history="cfir-score",
                    kept="rationale",
                    children=(
                        Part(
                            m.StrategyUptake,
                            "uptakes",
                            "strategy action milestone created_by created_at",
                            parent="rating",
                            refs={"action": "actions", "milestone": "milestones"},
                            history="cfir-strategie",
                        ),
                    ),
                ),
            ),
        ),
        Part(
            m.TrainingActivity,
            "training_activities",
            "held_on kind participants trainer notes created_by created_at",
            history="training",
            personal="trainer",
            kept="notes",
        ),
        Part(
            m.Professional,
            "professionals",
            "name role state state_since",
            keyed=True,
            history="professional",
            personal="name",
            kept="role",
            children=(
                Part(
                    m.ProfessionalStateChange,
                    "state_changes",
                    f"{HISTORY} from_state to_state changed_on",
                    parent="professional",
                    personal="reason",
                ),
            ),
        ),
        Part(
            m.QualityMonitoring,
            "quality_monitoring",
            "guard_name guard_since instrument fidelity_threshold updated_by updated_at",
            left_out={"version": VERSION_COUNTER},
            single=True,
            history="kwaliteitsbewaking",
            personal="guard_name",
            kept="instrument",
        ),
        Part(
            m.FidelityChecklist,
            "fidelity_checklists",
            "method_version title created_by created_at",
            refs={"method_version": "method_versions"},
            history="borgingschecklist",
            kept="title",
            children=(
                Part(
                    m.FidelityItem,
                    "items",
                    "position text",
                    parent="checklist",
                    keyed=True,
                    kept="text",
                ),
                Part(
                    m.FidelityObservation,
                    "observations",
                    "observed_on observer professional note created_by created_at",
                    parent="checklist",
                    refs={"professional": "professionals"},
                    history="observatie",
                    personal="observer",
                    kept="note",
                    children=(
                        Part(
                            m.FidelityScore,
                            "scores",
                            "item answer",
                            parent="observation",
                            refs={"item": "items"},
                        ),
                    ),
                ),
            ),
        ),
        Part(
            m.Feedback,
            "feedback",
            "received_on source summary change_made created_by created_at",
            history="feedback",
            kept="summary change_made",
        ),
        Part(
            m.Evaluation,
            "evaluations",
            "held_on participants findings created_by created_at",
            history="evaluatie",
            personal="participants",
            kept="findings",
            children=(
                Part(
                    m.Improvement,
                    "improvements",
                    "description owner due_on done_on done_by",
                    parent="evaluation",
                    history="verbetering",
                    personal="owner",
                    kept="description",
                ),
            ),
        ),
        Part(
            m.Indicator,
            "indicators",
            "name definition kind outcome unit scale_min scale_max target direction source created_by created_at",
            left_out={"version": VERSION_COUNTER},
            history="indicator",
            kept="name definition source",
            children=(
                Part(
                    m.Measurement,
                    "measurements",
                    "measured_on value note created_by created_at",
                    parent="indicator",
                    history="meting",
                    kept="note",
                ),
            ),
        ),
        Part(
            m.ReportRecord,
            "report_records",
            f"{HISTORY} period_start period_end",
            kept="reason",
        ),
    ),
)


OUTSIDE: tuple[Outside, ...] = (
    Outside(m.ChecklistTemplateItem, "an organisation's own checklist templates, not part of a trajectory", "text"),
    Outside(m.CalendarToken, "a user's secret calendar link; never leaves the installation", "token"),
    # A person's notifications about a trajectory (issue 17): no free text, only a link and structured parameters.
    Outside(m.Notification, "a user's notifications; made again by the receiving installation's scheduler", "url"),
    # Issue 21: who sees which trajectory, one row per (organisation, trajectory) for an index lookup. Derived
    # from owner, receiving_organisation and participants (which the export carries): the receiving installation
    # derives its own rows on import, so exporting them would only add a second truth that could disagree.
    Outside(
        m.Visibility, "derived from the trajectory's organisations (trajectories/visibility.py); rebuilt, never moved"
    ),
    Outside(m.NotificationPreference, "a user's notification settings; users are not moved with their settings"),
    Outside(Organisation, "takes part in trajectories; exported by name", "name"),
    Outside(Membership, "an account's role in an organisation"),
    Outside(
        Person,
        # Personal data, erased with person_erase once no open trajectory needs the person (retention.py).
        "shared between trajectories; erased with person_erase",
        "name function employer email phone",
        history="persoon",
        linked_from=(m.Stakeholder, "person"),
    ),
    # Accounts, managed by the application manager.
    Outside(User, "an account, not data of a trajectory", "password email full_name"),
    # The audit log is append-only and never holds a person's name in its labels (organisations/audit.py).
    Outside(
        AuditEvent,
        "the audit log; the actor's e-mail address is an account, like User.email",
        "actor_email object_type object_id object_label detail path method",
    ),
    Outside(ExternalIdentity, "a login at an identity provider (issuer and an opaque subject id)", "issuer subject"),
    # Mail to account holders (organisations/mail.py) and invitations to become one: account data, like User.email.
    Outside(
        OutgoingMail,
        "the outbox of mail to account holders, not data of a trajectory",
        "key to language subject text html last_error",
    ),
    Outside(
        Invitation,
        "an invitation into an organisation; the title names a trajectory, not a person",
        "email token_hash trajectory_title",
    ),
    # Issue 16: a create form's one-time token and the page its answer led to; forgotten after a few days.
    Outside(FormSubmission, "a create form's one-time token (organisations/submissions.py)", "token result_url"),
    # Issue 16: told to an organisation's beheerders when it is added to a trajectory (title, organisation, path).
    Outside(
        Notice,
        "a notice to an organisation's beheerders; names a trajectory, never a person",
        "subject by_organisation link",
    ),
    # Issue 21: a user's export, import or large report made by the worker; deleted with its file after 7 days.
    Outside(
        Job,
        "a user's background job and its result file (organisations/jobs.py); expires after a week",
        "kind title language error summary result_name content_type",
    ),
)


# Reading the declaration --------------------------------------------------------------------------------


def parts(part: Part = TRAJECTORY) -> Iterator[Part]:
    """Every part, the trajectory first, each before its children."""
    yield part
    for child in part.children:
        yield from parts(child)


@functools.cache
def part_of(model: type[Model]) -> Part | None:
    return next((part for part in parts() if part.model is model), None)


@functools.cache
def _parents() -> dict[type[Model], Part]:
    return {child.model: part for part in parts() for child in part.children}


def outside(model: type[Model]) -> Outside | None:
    return next((entry for entry in OUTSIDE if entry.model is model), None)


@functools.cache
def path(model: type[Model]) -> tuple[ForeignKey, ...]:
    """The foreign keys from ``model`` to the trajectory (the last one points at it); () for the trajectory."""
    part = part_of(model)
    if part is None:
        raise LookupError(f"{model.__name__} is not a part of a trajectory (trajectories/structure.py)")
    if not part.parent:
        return ()
    fk = cast(ForeignKey, model._meta.get_field(part.parent))
    return (fk, *path(_parents()[model].model)) if model in _parents() else (fk,)


def trajectory_lookup(model: type[Model]) -> str:
    """The lookup from ``model`` to its trajectory's id, e.g. ``review__trajectory_id``; ``id`` for the trajectory."""
    fks = path(model)
    return "__".join(fk.name for fk in fks) + "_id" if fks else "id"


def scope(model: type[Model], trajectory_id: int) -> Q:
    """The rows of ``model`` that belong to the trajectory, also those under a parent that was deleted since:
    the same filter works on the model's history rows (their ``id`` is the object's)."""
    linked = outside(model)
    if linked is not None and linked.linked_from:
        via, fk = linked.linked_from
        return _any_of("id", _ids(via, trajectory_id, column=f"{fk}_id"))
    part = part_of(model)
    if part is None:
        raise LookupError(f"{model.__name__} is not a part of a trajectory (trajectories/structure.py)")
    if not part.parent:
        return Q(id=trajectory_id)
    parent = _parents()[model]
    if parent.model is m.Trajectory:
        return Q(**{f"{part.parent}_id": trajectory_id})
    return _any_of(f"{part.parent}_id", _ids(parent.model, trajectory_id, column="id"))


def _any_of(column: str, querysets: tuple) -> Q:
    return functools.reduce(Q.__or__, (Q(**{f"{column}__in": ids}) for ids in querysets))


def _ids(model: type[Model], trajectory_id: int, *, column: str) -> tuple:
    """``column`` of the current rows of ``model`` in the trajectory and, when it is tracked, of its former rows."""
    found = [model._default_manager.filter(scope(model, trajectory_id)).values("pk" if column == "id" else column)]
    if hasattr(model._meta, "simple_history_manager_attribute"):
        history: Any = getattr(model, "history_records")  # noqa: B009 (django-simple-history adds it at run time)
        found.append(history.filter(scope(model, trajectory_id)).values(column))
    return tuple(found)


def linked_trajectory_ids(model: type[Model], pk: int):
    """The ids of the trajectories that show the ``model`` row ``pk`` through its ``linked_from`` part."""
    entry = outside(model)
    if entry is None or entry.linked_from is None:
        raise LookupError(f"{model.__name__} is not shown by a trajectory (trajectories/structure.py)")
    via, fk = entry.linked_from
    return via._default_manager.filter(**{f"{fk}_id": pk}).values(trajectory_lookup(via))


def audit_organisation(obj: Any) -> tuple[int | None, int | None] | None:
    """For the audit log: (giving organisation id, or None with the trajectory id to look it up by later);
    None when ``obj`` is not part of a trajectory. Registered with organisations.audit at start-up."""
    model = type(obj)._meta.concrete_model
    if part_of(model) is None:
        return None
    if model is m.Trajectory:
        return obj.owner_id, None
    fks = path(model)
    for fk in fks[:-1]:
        obj = getattr(obj, fk.name, None)
        if obj is None:
            return None, None
    last = fks[-1]
    if last.is_cached(obj) and getattr(obj, last.name) is not None:
        return getattr(obj, last.name).owner_id, None
    return None, getattr(obj, last.attname)


def trajectory_owners(trajectory_ids: set[int]) -> dict[int, int]:
    """Trajectory id → its giving organisation's id (for the audit log)."""
    return dict(m.Trajectory.objects.filter(pk__in=trajectory_ids).values_list("pk", "owner_id"))


# The guard -------------------------------------------------------------------------------------------------

TEXT_FIELDS = (CharField, TextField, EmailField)


def _decided(model: type[Model]) -> set[str]:
    return {f.name for f in [*model._meta.concrete_fields, *model._meta.many_to_many] if not f.primary_key}


def _text_fields(model: type[Model]) -> set[str]:
    return {f.name for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS) and not f.choices}


def _is_history_copy(model: type[Model]) -> bool:
    return any(f.name == "history_id" for f in model._meta.concrete_fields)


def problems(root: Part = TRAJECTORY, outside_models: tuple[Outside, ...] = OUTSIDE) -> list[str]:
    """What the declaration leaves undecided; empty when every model and field is accounted for.

    Every model of the trajectories app is a part or outside; a part's ``parent`` is its foreign key to the
    enclosing part; every field is exported or left out with a reason; every text field of both apps is
    personal or kept; a part has a history page exactly when django-simple-history tracks it.
    """
    from django.apps import apps

    found: list[str] = []
    declared = [part.model for part in parts(root)] + [entry.model for entry in outside_models]
    for model in {model for model in declared if declared.count(model) > 1}:
        found.append(f"{model.__name__} is declared twice")
    for app in ("trajectories", "organisations"):
        for model in apps.get_app_config(app).get_models():
            if _is_history_copy(model):
                continue
            if app == "trajectories" and model not in declared:
                found.append(f"{model.__name__} is neither a Part of the trajectory nor declared OUTSIDE")
            elif model not in declared and _text_fields(model):
                found.append(f"{model.__name__}: declare it OUTSIDE and classify {sorted(_text_fields(model))}")

    def walk(part: Part, enclosing: Part | None) -> None:
        name = part.model.__name__
        if enclosing is not None:
            fk = next((f for f in part.model._meta.concrete_fields if f.name == part.parent), None)
            if fk is None or fk.related_model is not enclosing.model:
                found.append(f"{name}.{part.parent} is not a foreign key to {enclosing.model.__name__}")
        exported = set(part.fields.split()) | set(part.left_out) | ({part.parent} if part.parent else set())
        if _decided(part.model) - exported:
            found.append(f"{name}: export or leave out {sorted(_decided(part.model) - exported)}")
        if exported - _decided(part.model):
            found.append(f"{name}: {sorted(exported - _decided(part.model))} no longer exist")
        tracked = hasattr(part.model._meta, "simple_history_manager_attribute")
        if tracked != bool(part.history):
            found.append(f"{name}: a tracked part needs a history slug, an untracked one none")
        for child in part.children:
            walk(child, part)

    walk(root, None)
    entries: list[Part | Outside] = [*parts(root), *outside_models]
    for entry in entries:
        personal, kept = set(getattr(entry, "personal", "").split()), set(entry.kept.split())
        name = entry.model.__name__
        if _text_fields(entry.model) - personal - kept:
            found.append(f"{name}: classify {sorted(_text_fields(entry.model) - personal - kept)} as personal or kept")
        if (personal | kept) - _text_fields(entry.model):
            found.append(f"{name}: {sorted((personal | kept) - _text_fields(entry.model))} are no text fields")
        if personal & kept:
            found.append(f"{name}: {sorted(personal & kept)} are both personal and kept")
    slugs = [entry.history for entry in entries if entry.history]
    found += [f"history slug {slug!r} is used twice" for slug in sorted({s for s in slugs if slugs.count(s) > 1})]
    return found
