"""Phase 2 (Verkennen): shortlist, talks, the choice and agreement, and the shared plan of approach."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fii.model import Criterion
from organisations.models import Notice, Organisation

from .. import review_schedule
from ..models import (
    OPEN_CANDIDATE_STATUSES,
    Agreement,
    Candidate,
    CandidateRating,
    CandidateStatus,
    CandidateStatusChange,
    Milestone,
    OrientationTalk,
    PeopleChange,
    Plan,
    Trajectory,
)
from .participants import notice_organisation_added
from .sharing import persons_detach_unshared
from .subphases import subphases_follow_work
from .versioning import differing, save_versioned

__all__ = [
    "ShortlistError",
    "agreement_record",
    "candidate_add",
    "candidate_choose",
    "candidate_rate",
    "candidate_set_status",
    "milestone_save",
    "people_change_record",
    "people_change_revisit",
    "plan_for",
    "plan_update",
    "talk_record",
]


class ShortlistError(ValueError):
    """A shortlist rule was broken; the message is meant for the user."""


def _change_status(candidate: Candidate, to_status: str, *, by, reason: str, at: dt.datetime) -> None:
    CandidateStatusChange.objects.create(
        candidate=candidate,
        from_status=candidate.status,
        to_status=to_status,
        reason=reason,
        created_by=by,
        created_at=at,
    )
    candidate.status = to_status
    candidate.save(update_fields=["status"])


@transaction.atomic
def candidate_add(
    *,
    trajectory: Trajectory,
    by,
    organisation: Organisation | None = None,
    new_organisation: dict | None = None,
    motivation: str = "",
    at: dt.datetime | None = None,
) -> Candidate:
    """Put an existing organisation, or a new one (``new_organisation``: name, kind, financing), on the shortlist."""
    if (organisation is None) == (new_organisation is None):
        raise ShortlistError(_("Choose an existing organisation or enter a new one."))
    if new_organisation is not None:
        name = new_organisation["name"].strip()
        if Organisation.objects.filter(name__iexact=name).exists():
            raise ShortlistError(_("An organisation with this name already exists; choose it from the list."))
        organisation = Organisation.objects.create(
            name=name, kind=new_organisation["kind"], financing=new_organisation["financing"]
        )
    assert organisation is not None  # one of the two was given (checked above)
    if organisation.pk == trajectory.owner_id:
        raise ShortlistError(_("The giving organisation cannot be its own receiving organisation."))
    if trajectory.candidates.filter(organisation=organisation).exists():
        raise ShortlistError(_("This organisation is already on the shortlist."))
    now = at or timezone.now()
    candidate = Candidate.objects.create(
        trajectory=trajectory,
        organisation=organisation,
        motivation=motivation,
        financing=organisation.financing,
        created_by=by,
        created_at=now,
    )
    CandidateStatusChange.objects.create(
        candidate=candidate,
        from_status="",
        to_status=CandidateStatus.KANDIDAAT,
        reason=motivation,
        created_by=by,
        created_at=now,
    )
    subphases_follow_work(trajectory=trajectory, by=by, phase="verkennen")
    return candidate


@transaction.atomic
def candidate_rate(
    *,
    candidate: Candidate,
    by,
    facts: dict,
    ratings: dict[str, tuple[str, str]],
    expected_version: int | None = None,
) -> Candidate:
    """Save the candidate's facts (financing structure and what it asks of the process, caseload, trajectory
    lengths) and its answer and note per criterion. The financing is no criterion (figure 3): it is no score.

    The candidate's version covers the whole assessment: with ``expected_version`` (the form) nothing is saved
    when a colleague saved an assessment since the form was opened (:class:`StaleEdit`)."""
    saved = Candidate.objects.get(pk=candidate.pk)  # the form has already written the input onto ``candidate``
    save_versioned(Candidate, candidate, expected_version, **differing(saved, facts))
    now = timezone.now()
    existing = {r.criterion: r for r in candidate.ratings.all()}
    for code, (answer, note) in ratings.items():
        if code not in Criterion.values:
            raise ValueError(f"Unknown criterion {code!r}.")
        rating = existing.get(code)
        if rating is None:
            CandidateRating.objects.create(
                candidate=candidate, criterion=code, answer=answer, note=note, updated_by=by, updated_at=now
            )
        elif (rating.answer, rating.note) != (answer, note):
            rating.answer, rating.note, rating.updated_by, rating.updated_at = answer, note, by, now
            rating.save(update_fields=["answer", "note", "updated_by", "updated_at"])
    return candidate


def _locked(candidate: Candidate) -> tuple[Candidate, Trajectory]:
    """Lock the trajectory first: every shortlist decision of one trajectory goes through it in turn."""
    trajectory = Trajectory.objects.select_for_update().get(pk=candidate.trajectory_id)
    return Candidate.objects.select_related("organisation").get(pk=candidate.pk), trajectory


@transaction.atomic
def candidate_set_status(
    *, candidate: Candidate, by, status: str, reason: str, at: dt.datetime | None = None
) -> Candidate:
    """Any status change but choosing (see :func:`candidate_choose`), always with a reason.

    Leaving "chosen" also ends the organisation's role as receiving organisation, and with it its
    members' access to the trajectory.
    """
    if not reason.strip():
        raise ShortlistError(_("Give a reason for the change."))
    if status not in CandidateStatus.values:
        raise ShortlistError(_("Choose a valid status."))
    if status == CandidateStatus.GEKOZEN:
        raise ShortlistError(_("Use “Choose this organisation” to choose a candidate."))
    candidate, trajectory = _locked(candidate)
    if status == candidate.status:
        raise ShortlistError(_("The candidate already has this status."))
    if (
        candidate.status == CandidateStatus.GEKOZEN
        and trajectory.receiving_organisation_id == candidate.organisation_id
    ):
        trajectory.receiving_organisation = None
        trajectory.save_changes("receiving_organisation")
        persons_detach_unshared()
    _change_status(candidate, status, by=by, reason=reason.strip(), at=at or timezone.now())
    return candidate


@transaction.atomic
def candidate_choose(*, candidate: Candidate, by, rationale: str, at: dt.datetime | None = None) -> Candidate:
    """Choose the receiving organisation (2b): record the decision, reject the candidates still open,
    and make the organisation the trajectory's receiving organisation, so its members get access."""
    if not rationale.strip():
        raise ShortlistError(_("Explain why this organisation is chosen."))
    candidate, trajectory = _locked(candidate)
    if not candidate.is_open:
        raise ShortlistError(_("Only a candidate that is still open can be chosen."))
    chosen = trajectory.candidates.filter(status=CandidateStatus.GEKOZEN).select_related("organisation").first()
    if chosen is not None:
        raise ShortlistError(
            _("%(organisation)s is already chosen; change its status first.") % {"organisation": chosen.organisation}
        )
    now = at or timezone.now()
    _change_status(candidate, CandidateStatus.GEKOZEN, by=by, reason=rationale.strip(), at=now)
    others = trajectory.candidates.filter(status__in=OPEN_CANDIDATE_STATUSES).exclude(pk=candidate.pk)
    reason = _("%(organisation)s was chosen.") % {"organisation": candidate.organisation}
    for other in others:
        _change_status(other, CandidateStatus.AFGEWEZEN, by=by, reason=reason, at=now)
    previous = trajectory.receiving_organisation_id
    trajectory.receiving_organisation = candidate.organisation
    trajectory.save_changes("receiving_organisation")
    persons_detach_unshared()
    if previous != candidate.organisation_id:
        notice_organisation_added(
            trajectory=trajectory, organisation=candidate.organisation, kind=Notice.Kind.RECEIVING_CHOSEN
        )
    return candidate


def talk_record(*, candidate: Candidate, by, at: dt.datetime | None = None, **fields) -> OrientationTalk:
    """Record an orientation talk; the first one moves a plain candidate to "in talks"."""
    now = at or timezone.now()
    with transaction.atomic():
        talk = OrientationTalk.objects.create(candidate=candidate, created_by=by, created_at=now, **fields)
        if candidate.status == CandidateStatus.KANDIDAAT:
            candidate, _trajectory = _locked(candidate)
            if candidate.status == CandidateStatus.KANDIDAAT:
                reason = _("Orientation talk on %(date)s.") % {"date": talk.held_on.strftime("%d-%m-%Y")}
                _change_status(candidate, CandidateStatus.IN_GESPREK, by=by, reason=reason, at=now)
        subphases_follow_work(trajectory=candidate.trajectory, by=by, phase="verkennen")
    return talk


@transaction.atomic
def agreement_record(
    *,
    trajectory: Trajectory,
    by,
    agreed_on: dt.date,
    parties: str,
    terms: str,
    document: UploadedFile | None = None,
    at: dt.datetime | None = None,
) -> Agreement:
    """Record the agreement with the trajectory's receiving organisation, with the signed PDF if given.

    The upload is validated by the form (type and size); here the file is only stored.
    """
    if trajectory.receiving_organisation_id is None:
        raise ShortlistError(_("Choose the receiving organisation before recording the agreement."))
    agreement = Agreement(
        trajectory=trajectory,
        organisation_id=trajectory.receiving_organisation_id,
        agreed_on=agreed_on,
        parties=parties,
        terms=terms,
        created_by=by,
        created_at=at or timezone.now(),
    )
    if document is not None:
        name = document.name or "document.pdf"
        agreement.document_name = name[-255:]
        agreement.document.save(name, document, save=False)
    agreement.save()
    subphases_follow_work(trajectory=trajectory, by=by, phase="verkennen")
    return agreement


def plan_for(trajectory: Trajectory) -> Plan:
    plan, _created = Plan.objects.get_or_create(trajectory=trajectory)
    return plan


@transaction.atomic
def plan_update(*, trajectory: Trajectory, by, expected_version: int | None, review_interval: str, **fields) -> Plan:
    """Save the plan of approach. The periodic meeting sets the stoplight cadence of the trajectory.

    Raises :class:`StaleEdit` when a colleague saved the plan after ``expected_version`` was loaded.
    """
    plan = plan_for(trajectory)
    save_versioned(Plan, plan, expected_version, updated_by=by, updated_at=timezone.now(), **fields)
    if trajectory.review_interval != review_interval:
        trajectory.review_interval = review_interval
        trajectory.save_changes("review_interval")
        review_schedule.sync([trajectory.pk])
    subphases_follow_work(trajectory=trajectory, by=by, phase="verkennen")
    return plan


def milestone_save(
    *,
    trajectory: Trajectory,
    by,
    title: str,
    due_on: dt.date,
    reached_on: dt.date | None = None,
    milestone=None,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Milestone:
    """Add a milestone, or change one; with ``expected_version`` (the edit form) only if nobody saved it since
    the form was opened, else :class:`StaleEdit`."""
    if milestone is None:
        milestone = Milestone.objects.create(
            trajectory=trajectory,
            title=title,
            due_on=due_on,
            reached_on=reached_on,
            created_by=by,
            created_at=at or timezone.now(),
        )
        subphases_follow_work(trajectory=trajectory, by=by, phase="verkennen")
        return milestone
    # Compared with the row as saved: a model form has already written the input onto ``milestone``.
    saved = Milestone.objects.get(pk=milestone.pk)
    changes = differing(saved, {"title": title, "due_on": due_on, "reached_on": reached_on})
    save_versioned(Milestone, milestone, expected_version, **changes)
    return milestone


def people_change_record(
    *, trajectory: Trajectory, by, side: str, occurred_on: dt.date, role: str, description: str
) -> PeopleChange:
    return PeopleChange.objects.create(
        trajectory=trajectory,
        side=side,
        occurred_on=occurred_on,
        role=role,
        description=description,
        created_by=by,
    )


def people_change_revisit(*, change: PeopleChange, by, revisited_on: dt.date, note: str) -> PeopleChange:
    change.revisited_on, change.revisit_note, change.revisited_by = revisited_on, note, by
    change.save(update_fields=["revisited_on", "revisit_note", "revisited_by"])
    return change
