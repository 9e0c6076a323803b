"""The ``fii-trajectories`` export format: which models and fields travel, how, and what is left out on purpose.

The format is documented in docs/export-format.md. Objects refer to each other by stable export keys,
never by database ids: organisations by name, users by e-mail address, persons and objects inside a
trajectory by their position in the file, a trajectory by its ``export_key``. Lists are in database
order (primary key) and an import creates rows in file order, so export → import into an empty
database → export gives the same bytes.

``TRANSFER_SPEC`` lists, per model, every field that is exported and every field that is deliberately
left out (with the reason). tests/trajectories/test_transfer.py fails when a model or field is in neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

from organisations.models import Organisation, Person, User

from .models import (
    Action,
    ActiveComponent,
    Agreement,
    Assignment,
    Candidate,
    CandidateRating,
    CandidateStatusChange,
    CfirAssessment,
    CfirRating,
    ChecklistItem,
    Contact,
    Evaluation,
    Feedback,
    FidelityChecklist,
    FidelityItem,
    FidelityObservation,
    FidelityScore,
    ImplementabilityAssessment,
    Improvement,
    MethodVersion,
    Milestone,
    OrientationTalk,
    PeopleChange,
    PhaseState,
    PhaseTransition,
    Plan,
    Professional,
    ProfessionalStateChange,
    QualityMonitoring,
    ReportBack,
    ReportRecord,
    Review,
    ReviewEvent,
    ReviewItem,
    Stakeholder,
    SubphaseState,
    SupportChange,
    TeamChange,
    TeamMandate,
    TeamMember,
    TrainingActivity,
    Trajectory,
)

__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "LEFT_OUT_FIELDS",
    "LEFT_OUT_MODELS",
    "MAX_DOCUMENT_BYTES",
    "ORGANISATION_FIELDS",
    "PERSON_FIELDS",
    "TRANSFER_SPEC",
    "USER_FIELDS",
    "Kind",
    "TransferError",
    "transfer_kinds",
]

EXPORT_FORMAT = "fii-trajectories"
EXPORT_VERSION = 2  # 2: CFIR version, candidate, review flag; open points of a transition (issue 19)
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024  # the same limit as the upload form

# Left out for every model, with the reason (docs/export-format.md repeats these).
VERSION_COUNTER = "edit counter against lost updates; starts again at 1 in the receiving installation"
PARENT = "implied by the nesting in the file"


class TransferError(Exception):
    """An export file that cannot be imported; the message is meant for the user (Dutch when active)."""


@dataclass(frozen=True)
class Kind:
    """How one model appears in the file: as the list ``name`` inside its parent object."""

    model: type[models.Model]
    name: str
    fields: tuple[str, ...]
    parent: str = ""  # the foreign key to the enclosing object, left out of the file
    left_out: dict[str, str] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)  # field → name of an earlier keyed list in the trajectory
    keyed: bool = False  # objects carry "key" (their 1-based position) because others refer to them
    single: bool = False  # a one-to-one part: an object or null instead of a list
    children: tuple[Kind, ...] = ()


def _kind(model, name, fields, *, parent="trajectory", **options) -> Kind:
    left_out = {parent: PARENT} if parent else {}
    left_out.update(options.pop("left_out", {}))
    return Kind(model=model, name=name, fields=tuple(fields.split()), parent=parent, left_out=left_out, **options)


HISTORY = "reason created_by created_at"

TRAJECTORY = _kind(
    Trajectory,
    "trajectories",
    "title intervention_name owner receiving_organisation participants commissioner start_date end_date status "
    "has_commissioner receiving_identified start_phase start_override_reason current_phase review_interval "
    "created_by created_at updated_at closed_at",
    parent="",
    left_out={
        "version": VERSION_COUNTER,
        "export_key": 'written as the trajectory\'s "key"',
        "revision": "counts this installation's writes (it keys the page cache); starts again on import",
        "archived_at": "archiving is local to an installation: an import is not archived",
        "archived_by": "archiving is local to an installation: an import is not archived",
        "archive_reason": "archiving is local to an installation: an import is not archived",
        "anonymised_at": "the receiving installation's retention command decides for itself",
    },
    children=(
        _kind(PhaseState, "phase_states", "phase status completion_note started_at completed_at"),
        _kind(SubphaseState, "subphase_states", "subphase status notes updated_by updated_at"),
        _kind(
            PhaseTransition,
            "transitions",
            f"{HISTORY} from_phase from_status to_phase to_status_before open_points",
        ),
        _kind(
            Assignment,
            "assignment",
            "question_origin commissioner_contact innovation_question goal target_group problem_definition "
            "question_behind_question budget frame_start frame_end scale capacity_fte political_weight policy_plan "
            "policy_targets legal_anchoring is_realistic realistic_note is_ambitious ambitious_note updated_by "
            "updated_at",
            single=True,
        ),
        _kind(
            ChecklistItem,
            "checklist_items",
            "phase subphase text position retired_at created_at created_by",
            keyed=True,
        ),
        _kind(Milestone, "milestones", "title due_on reached_on created_by created_at", keyed=True),
        _kind(
            Stakeholder,
            "stakeholders",
            "person side level influence support desired_support notes created_by created_at",
            keyed=True,
            children=(
                _kind(Contact, "contacts", "date kind note created_by created_at", parent="stakeholder"),
                _kind(SupportChange, "support_changes", f"{HISTORY} from_support to_support", parent="stakeholder"),
            ),
        ),
        _kind(
            Review,
            "reviews",
            "held_on phases attendees other_attendees stakeholders_present summary overall_light finalised_at "
            "finalised_by created_by created_at",
            keyed=True,
            left_out={"version": VERSION_COUNTER},
            refs={"stakeholders_present": "stakeholders"},
            children=(
                _kind(
                    ReviewItem,
                    "items",
                    "item text position colour carried_colour note updated_by updated_at",
                    parent="review",
                    refs={"item": "checklist_items"},
                ),
                _kind(ReviewEvent, "events", f"{HISTORY} kind", parent="review"),
            ),
        ),
        _kind(
            Action,
            "actions",
            "item review milestone description assignee organisation due_on closed_at closed_by closing_note "
            "created_by created_at",
            left_out={"version": VERSION_COUNTER},
            refs={"item": "checklist_items", "review": "reviews", "milestone": "milestones"},
        ),
        _kind(
            Candidate,
            "candidates",
            "organisation status motivation financing caseload average_length_months maximum_length_months "
            "created_by created_at",
            keyed=True,
            children=(
                _kind(CandidateRating, "ratings", "criterion answer note updated_by updated_at", parent="candidate"),
                _kind(CandidateStatusChange, "status_changes", f"{HISTORY} from_status to_status", parent="candidate"),
                _kind(
                    OrientationTalk,
                    "talks",
                    "held_on management project_leaders executors learnt sees_added_value fits_practice "
                    "commits_resources joins_team created_by created_at",
                    parent="candidate",
                ),
            ),
        ),
        _kind(
            Agreement,
            "agreements",
            "organisation agreed_on parties terms document document_name created_by created_at",
        ),
        _kind(
            Plan,
            "plan",
            "horizon kickoff_on kickoff_participants kickoff_notes meeting_notes updated_by updated_at",
            single=True,
            left_out={"version": VERSION_COUNTER},
        ),
        _kind(
            PeopleChange,
            "people_changes",
            "side occurred_on role description created_by created_at revisited_on revisit_note revisited_by",
        ),
        _kind(
            ReportBack,
            "report_backs",
            "stakeholder reported_on content created_by created_at",
            refs={"stakeholder": "stakeholders"},
        ),
        _kind(
            TeamMember,
            "team_members",
            "stakeholder team_role has_leadership has_content_knowledge has_practical_experience has_communication "
            "has_coordination joined_on left_on",
            keyed=True,
            refs={"stakeholder": "stakeholders"},
        ),
        _kind(TeamMandate, "team_mandate", "sufficient note updated_by updated_at", single=True),
        _kind(TeamChange, "team_changes", f"{HISTORY} member kind on", refs={"member": "team_members"}),
        _kind(
            ImplementabilityAssessment,
            "implementability",
            "assessed_on complexity complexity_rationale adaptability adaptability_rationale scalable scalable_note "
            "affordable affordable_note feasible feasible_note created_by created_at",
        ),
        _kind(
            MethodVersion,
            "method_versions",
            f"{HISTORY} number goal target_group inclusion_criteria exclusion_criteria approach preconditions theory "
            "effectiveness evidence database registration_status registration_date database_other recognition "
            "recognition_date",
            keyed=True,
            children=(_kind(ActiveComponent, "components", "position text", parent="version"),),
        ),
        _kind(
            CfirAssessment,
            "cfir_assessments",
            "title assessed_on version candidate created_by created_at",
            refs={"candidate": "candidates"},
            children=(
                _kind(
                    CfirRating,
                    "ratings",
                    "construct rating rationale needs_review updated_by updated_at",
                    parent="assessment",
                ),
            ),
        ),
        _kind(TrainingActivity, "training_activities", "held_on kind participants trainer notes created_by created_at"),
        _kind(
            Professional,
            "professionals",
            "name role state state_since",
            children=(
                _kind(
                    ProfessionalStateChange,
                    "state_changes",
                    f"{HISTORY} from_state to_state changed_on",
                    parent="professional",
                ),
            ),
        ),
        _kind(
            QualityMonitoring,
            "quality_monitoring",
            "guard_name guard_since instrument updated_by updated_at",
            single=True,
        ),
        _kind(
            FidelityChecklist,
            "fidelity_checklists",
            "method_version title created_by created_at",
            refs={"method_version": "method_versions"},
            children=(
                _kind(FidelityItem, "items", "position text", parent="checklist", keyed=True),
                _kind(
                    FidelityObservation,
                    "observations",
                    "observed_on observer note created_by created_at",
                    parent="checklist",
                    children=(
                        _kind(FidelityScore, "scores", "item answer", parent="observation", refs={"item": "items"}),
                    ),
                ),
            ),
        ),
        _kind(Feedback, "feedback", "received_on source summary change_made created_by created_at"),
        _kind(
            Evaluation,
            "evaluations",
            "held_on participants findings created_by created_at",
            children=(
                _kind(Improvement, "improvements", "description owner due_on done_on done_by", parent="evaluation"),
            ),
        ),
        _kind(ReportRecord, "report_records", f"{HISTORY} period_start period_end"),
    ),
)

ORGANISATION_FIELDS = ("name", "kind", "financing")
USER_FIELDS = ("email", "full_name")
PERSON_FIELDS = ("organisation", "name", "function", "employer", "email", "phone", "erased_at", "created_at")

TRANSFER_SPEC = TRAJECTORY

# Models of the trajectories app that are not part of a trajectory, and why.
LEFT_OUT_MODELS = {
    "ChecklistTemplateItem": "an organisation's own checklist templates, not part of a trajectory",
    "CalendarToken": "a user's secret calendar link; never leaves the installation",
}
# Fields of the referenced organisations, users and persons that are left out, and why.
LEFT_OUT_FIELDS = {
    Organisation: {
        "created_at": "local to the installation; an existing organisation is reused as it is",
        "retention_months": "a setting of the receiving installation's organisation",
    },
    User: {
        "password": "secret; imported users get no usable password",
        "last_login": "local to the installation",
        "is_superuser": "rights are given by the receiving installation",
        "is_staff": "rights are given by the receiving installation",
        "is_active": "imported users are created inactive",
        "date_joined": "local to the installation",
        "session_epoch": "sessions are local to the installation",
        "access_version": "counts this installation's membership changes (it keys a cache)",
        "groups": "rights are given by the receiving installation",
        "user_permissions": "rights are given by the receiving installation",
    },
    Person: {},
}


def transfer_kinds(kind: Kind | None = None):
    """Every kind of object in a trajectory, the trajectory first."""
    kind = kind or TRANSFER_SPEC
    yield kind
    for child in kind.children:
        yield from transfer_kinds(child)
