"""Retention (AVG): anonymise the personal data of closed trajectories after the giving organisation's period.

Every text field of every model is classified here, either as personal data that is anonymised or as not
personal (tests/trajectories/test_retention.py fails on a text field that is in neither list). Personal data
is what names or describes people: names, contact details, participants of talks and meetings, team members,
professionals, trainers, quality guards, observers, notes about stakeholders and contacts. The content of the
trajectory (questions, goals, checklists, findings, decisions) is kept, so the trajectory stays useful as
a record of what was done.

Persons (``organisations.Person``) are shared between trajectories. A person is erased (the existing
``person_erase``: name and contact details replaced, copies in free text scrubbed, history included) only
when every trajectory the person is a stakeholder in has been anonymised; a person who is also in a
trajectory that is still open or whose period has not passed stays intact, and is erased by the run that
anonymises the last of them.

History rows (django-simple-history) of the same objects are anonymised with the same fields. Anonymising
writes with ``queryset.update()`` on purpose, so no new history rows copy anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from organisations.models import AuditEvent, ExternalIdentity, Membership, Organisation, Person, User

from . import models as m
from .history import is_tracked

ANONYMISED = "Geanonimiseerd"


def _direct(trajectory_id: int) -> Q:
    return Q(trajectory_id=trajectory_id)


def _via(fk: str, parent) -> Callable[[int], Q]:
    def scope(trajectory_id: int) -> Q:
        ids = set(parent.objects.filter(trajectory_id=trajectory_id).values_list("pk", flat=True))
        if is_tracked(parent):
            ids |= set(parent.history_records.filter(trajectory_id=trajectory_id).values_list("id", flat=True))
        return Q(**{f"{fk}__in": ids})

    return scope


@dataclass(frozen=True)
class Rule:
    scope: Callable[[int], Q]
    fields: tuple[str, ...]


# Personal data, anonymised when the retention period has passed.
PERSONAL: dict[type, Rule] = {
    m.Trajectory: Rule(lambda tid: Q(pk=tid), ("commissioner",)),
    m.Assignment: Rule(_direct, ("commissioner_contact",)),
    m.Stakeholder: Rule(_direct, ("notes",)),
    m.Contact: Rule(_via("stakeholder_id", m.Stakeholder), ("note",)),
    m.SupportChange: Rule(_via("stakeholder_id", m.Stakeholder), ("reason",)),
    m.ReportBack: Rule(_direct, ("content",)),
    m.TeamMandate: Rule(_direct, ("note",)),
    m.TeamChange: Rule(_direct, ("reason",)),
    m.Review: Rule(_direct, ("other_attendees",)),
    m.OrientationTalk: Rule(_via("candidate_id", m.Candidate), ("management", "project_leaders", "executors")),
    m.Agreement: Rule(_direct, ("parties",)),
    m.Plan: Rule(_direct, ("kickoff_participants", "meeting_notes")),
    m.PeopleChange: Rule(_direct, ("description",)),
    m.TrainingActivity: Rule(_direct, ("trainer",)),
    m.Professional: Rule(_direct, ("name",)),
    m.ProfessionalStateChange: Rule(_via("professional_id", m.Professional), ("reason",)),
    m.QualityMonitoring: Rule(_direct, ("guard_name",)),
    m.FidelityObservation: Rule(_via("checklist_id", m.FidelityChecklist), ("observer",)),
    m.Evaluation: Rule(_direct, ("participants",)),
    m.Improvement: Rule(_via("evaluation_id", m.Evaluation), ("owner",)),
}

# Text fields that hold no personal data (content of the trajectory, codes, file names, secrets), and the
# personal fields that are handled elsewhere (Person through person_erase; User is an account, not data of
# a trajectory, and is managed by the application manager).
NOT_PERSONAL: dict[type, tuple[str, ...]] = {
    m.Trajectory: ("title", "intervention_name", "start_override_reason", "archive_reason"),
    m.Assignment: (
        "innovation_question",
        "goal",
        "target_group",
        "problem_definition",
        "question_behind_question",
        "scale",
        "policy_plan",
        "policy_targets",
        "legal_anchoring",
        "realistic_note",
        "ambitious_note",
    ),
    m.PhaseState: ("completion_note",),
    m.SubphaseState: ("notes",),
    m.PhaseTransition: ("reason", "open_points"),
    m.TeamMember: ("team_role",),
    m.ChecklistTemplateItem: ("text",),
    m.ChecklistItem: ("text",),
    m.Review: ("summary",),
    m.ReviewItem: ("text", "note"),
    m.ReviewEvent: ("reason",),
    m.Action: ("description", "closing_note"),
    m.CalendarToken: ("token",),
    m.ReportRecord: ("reason",),
    m.Candidate: ("motivation",),
    m.CandidateRating: ("note",),
    m.CandidateStatusChange: ("reason",),
    m.OrientationTalk: ("learnt",),
    m.Agreement: ("terms", "document_name"),
    m.Plan: ("horizon", "kickoff_notes"),
    m.Milestone: ("title",),
    m.PeopleChange: ("role", "revisit_note"),
    m.ImplementabilityAssessment: (
        "complexity_rationale",
        "adaptability_rationale",
        "scalable_note",
        "affordable_note",
        "feasible_note",
    ),
    m.MethodVersion: (
        "reason",
        "goal",
        "target_group",
        "inclusion_criteria",
        "exclusion_criteria",
        "approach",
        "preconditions",
        "theory",
        "evidence",
        "database_other",
    ),
    m.ActiveComponent: ("text",),
    m.CfirAssessment: ("title",),
    m.CfirRating: ("rationale",),
    m.TrainingActivity: ("notes",),
    m.Professional: ("role",),
    m.QualityMonitoring: ("instrument",),
    m.FidelityChecklist: ("title",),
    m.FidelityItem: ("text",),
    m.FidelityObservation: ("note",),
    m.Feedback: ("summary", "change_made"),
    m.Evaluation: ("findings",),
    m.Improvement: ("description",),
    m.SupportChange: (),
    m.TeamChange: (),
    Organisation: ("name",),
    Membership: (),
    Person: ("name", "function", "employer", "email", "phone"),  # erased with person_erase (see above)
    User: ("password", "email", "full_name"),  # accounts: managed by the application manager
    # The audit log is append-only and never holds a person's name in its labels (organisations/audit.py);
    # the actor's e-mail address is an account, like User.email. It is not trajectory data.
    AuditEvent: ("actor_email", "object_type", "object_id", "object_label", "detail", "path", "method"),
    # A login at an identity provider belongs to the account (issuer and an opaque subject id).
    ExternalIdentity: ("issuer", "subject"),
}


@dataclass
class Outcome:
    trajectories: list = field(default_factory=list)
    fields: int = 0
    history_rows: int = 0
    persons: int = 0


def expired_trajectories(now: dt.datetime):
    """Closed, not yet anonymised trajectories whose giving organisation's period has passed."""
    candidates = m.Trajectory.objects.filter(
        status__in=m.CLOSED_STATUSES,
        closed_at__isnull=False,
        anonymised_at__isnull=True,
        owner__retention_months__isnull=False,
    ).select_related("owner")
    return [t for t in candidates if t.closed_at + relativedelta(months=t.owner.retention_months) <= now]


def _anonymise(queryset, fields) -> int:
    changed = 0
    for name in fields:
        changed += queryset.exclude(**{name: ""}).exclude(**{name: ANONYMISED}).update(**{name: ANONYMISED})
    return changed


class _DryRun(Exception):
    """Raised inside the transaction of a dry run, so everything it did is rolled back."""


def apply_retention(*, now: dt.datetime | None = None, dry_run: bool = False) -> Outcome:
    """Anonymise every expired trajectory in one transaction; a dry run rolls it back and reports the counts."""
    try:
        with transaction.atomic():
            outcome = _apply(now or timezone.now())
            if dry_run:
                raise _DryRun(outcome)
    except _DryRun as stop:
        return stop.args[0]
    return outcome


def _apply(now: dt.datetime) -> Outcome:
    from .services import person_erase

    outcome = Outcome(trajectories=expired_trajectories(now))
    if not outcome.trajectories:
        return outcome
    expired_ids = [t.pk for t in outcome.trajectories]
    person_ids = set(m.Stakeholder.objects.filter(trajectory_id__in=expired_ids).values_list("person_id", flat=True))
    still_needed = set(
        m.Stakeholder.objects.filter(person_id__in=person_ids, trajectory__anonymised_at__isnull=True)
        .exclude(trajectory_id__in=expired_ids)
        .values_list("person_id", flat=True)
    )
    persons = list(Person.objects.filter(pk__in=person_ids - still_needed, erased_at__isnull=True))
    outcome.persons = len(persons)
    for trajectory in outcome.trajectories:
        for model, rule in PERSONAL.items():
            scope = rule.scope(trajectory.pk)
            outcome.fields += _anonymise(model.objects.filter(scope), rule.fields)
            if is_tracked(model):
                outcome.history_rows += _anonymise(model.history_records.filter(scope), rule.fields)
    for person in persons:
        person_erase(person=person, by=None)
    m.Trajectory.objects.filter(pk__in=expired_ids).update(anonymised_at=now)
    return outcome
