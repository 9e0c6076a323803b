"""Which objects have a history page, and how each is scoped to its trajectory.

A URL names the object by a slug and its primary key; the slug maps to the model and to a filter that
ties its history rows to the trajectory in the URL. Because the filter runs on the history rows, the
history of a deleted object stays visible, and an object of another trajectory answers 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from organisations.models import Person

from .. import models as m


def _direct(trajectory) -> Q:
    return Q(trajectory_id=trajectory.pk)


def _via(field: str, parent) -> Callable:
    """Rows whose ``field`` points at a (current or former) ``parent`` row of the trajectory."""

    def scope(trajectory) -> Q:
        current = parent.objects.filter(trajectory_id=trajectory.pk).values("pk")
        former = parent.history_records.filter(trajectory_id=trajectory.pk).values("id")
        return Q(**{f"{field}__in": current}) | Q(**{f"{field}__in": former})

    return scope


def _person_scope(trajectory) -> Q:
    """A person's history is shown to those who see a trajectory the person is (or was) a stakeholder in."""
    current = m.Stakeholder.objects.filter(trajectory_id=trajectory.pk).values("person_id")
    former = m.Stakeholder.history_records.filter(trajectory_id=trajectory.pk).values("person_id")
    return Q(id__in=current) | Q(id__in=former)


@dataclass(frozen=True)
class Tracked:
    model: type
    scope: Callable


REGISTRY: dict[str, Tracked] = {
    "traject": Tracked(m.Trajectory, lambda t: Q(id=t.pk)),
    "opdracht": Tracked(m.Assignment, _direct),
    "fase": Tracked(m.PhaseState, _direct),
    "deelfase": Tracked(m.SubphaseState, _direct),
    "checklistpunt": Tracked(m.ChecklistItem, _direct),
    "stoplicht": Tracked(m.Review, _direct),
    "stoplichtpunt": Tracked(m.ReviewItem, _via("review_id", m.Review)),
    "actie": Tracked(m.Action, _direct),
    "sleutelfiguur": Tracked(m.Stakeholder, _direct),
    "persoon": Tracked(Person, _person_scope),
    "contact": Tracked(m.Contact, _via("stakeholder_id", m.Stakeholder)),
    "terugkoppeling": Tracked(m.ReportBack, _direct),
    "teamlid": Tracked(m.TeamMember, _direct),
    "mandaat": Tracked(m.TeamMandate, _direct),
    "kandidaat": Tracked(m.Candidate, _direct),
    "kandidaatbeoordeling": Tracked(m.CandidateRating, _via("candidate_id", m.Candidate)),
    "gesprek": Tracked(m.OrientationTalk, _via("candidate_id", m.Candidate)),
    "overeenkomst": Tracked(m.Agreement, _direct),
    "plan": Tracked(m.Plan, _direct),
    "mijlpaal": Tracked(m.Milestone, _direct),
    "wisseling": Tracked(m.PeopleChange, _direct),
    "balans": Tracked(m.ImplementabilityAssessment, _direct),
    "cfir": Tracked(m.CfirAssessment, _direct),
    "cfir-score": Tracked(m.CfirRating, _via("assessment_id", m.CfirAssessment)),
    "training": Tracked(m.TrainingActivity, _direct),
    "professional": Tracked(m.Professional, _direct),
    "kwaliteitsbewaking": Tracked(m.QualityMonitoring, _direct),
    "borgingschecklist": Tracked(m.FidelityChecklist, _direct),
    "observatie": Tracked(m.FidelityObservation, _via("checklist_id", m.FidelityChecklist)),
    "feedback": Tracked(m.Feedback, _direct),
    "evaluatie": Tracked(m.Evaluation, _direct),
    "verbetering": Tracked(m.Improvement, _via("evaluation_id", m.Evaluation)),
}


SLUG_OF = {tracked.model: slug for slug, tracked in REGISTRY.items()}
