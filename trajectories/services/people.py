"""Key figures (4a), keeping support alive (4b), the implementation team (5a), and persons' data rights."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations import audit
from organisations.models import ERASED_NAME, Person

from ..history import is_tracked
from ..models import (
    COMPETENCY_FIELDS,
    Action,
    Agreement,
    Assignment,
    Candidate,
    CandidateRating,
    CandidateStatusChange,
    Contact,
    Milestone,
    OrientationTalk,
    PeopleChange,
    PhaseState,
    PhaseTransition,
    Plan,
    ReportBack,
    Review,
    ReviewItem,
    Stakeholder,
    SubphaseState,
    SupportChange,
    TeamChange,
    TeamMandate,
    TeamMember,
    Trajectory,
)
from ..writes import update_recorded
from .sharing import check_person_link, person_may_be_edited_by
from .subphases import subphases_follow_work
from .versioning import differing, save_versioned

__all__ = [
    "PERSON_FIELDS",
    "contact_record",
    "person_erase",
    "person_export",
    "person_export_json",
    "report_back_record",
    "stakeholder_add",
    "stakeholder_update",
    "team_mandate_set",
    "team_member_add",
    "team_member_leave",
    "team_member_update",
]

PERSON_FIELDS = ("name", "function", "employer", "email", "phone")
STAKEHOLDER_FIELDS = ("side", "level", "influence", "support", "desired_support", "notes")


def _duplicate_person() -> ValidationError:
    return ValidationError({"person": _("This person is already in the stakeholder register of this trajectory.")})


@transaction.atomic
def stakeholder_add(
    *,
    trajectory: Trajectory,
    by,
    person: Person | None = None,
    person_fields: dict | None = None,
    side: str,
    level: str,
    influence: int,
    support: str,
    desired_support: str,
    notes: str = "",
    at: dt.datetime | None = None,
) -> Stakeholder:
    """Add an existing person, or a new one (kept by the trajectory's giving organisation), to the register."""
    now = at or timezone.now()
    if person is None:
        person = Person.objects.create(
            organisation=trajectory.owner,
            created_at=now,
            **{k: (person_fields or {}).get(k, "") for k in PERSON_FIELDS},
        )
    elif Person.objects.select_for_update().get(pk=person.pk).is_erased:
        raise ValidationError({"person": _("This person was erased and cannot be added again.")})
    else:
        check_person_link(person=person, trajectory=trajectory)
    try:
        with transaction.atomic():
            stakeholder = Stakeholder.objects.create(
                trajectory=trajectory,
                person=person,
                side=side,
                level=level,
                influence=influence,
                support=support,
                desired_support=desired_support,
                notes=notes,
                created_by=by,
                created_at=now,
            )
    except IntegrityError:
        raise _duplicate_person() from None
    SupportChange.objects.create(stakeholder=stakeholder, to_support=support, created_by=by, created_at=now)
    subphases_follow_work(trajectory=trajectory, by=by, phase="versterken")
    return stakeholder


@transaction.atomic
def stakeholder_update(
    *,
    stakeholder: Stakeholder,
    by,
    person_fields: dict | None = None,
    reason: str = "",
    at: dt.datetime | None = None,
    expected_version: int | None = None,
    person_expected_version: int | None = None,
    **fields,
) -> Stakeholder:
    """Change the register row (and the person's details); a new support level is kept as history.

    The person's details change only by a member of the organisation that keeps the person (bewerker or
    beheerder); the register row belongs to the trajectory and changes by its editors. With the versions the
    edit form loaded, nothing is saved when a colleague changed the row or the person since: :class:`StaleEdit`.
    """
    unknown = set(fields) - set(STAKEHOLDER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown stakeholder fields: {sorted(unknown)}")
    stakeholder = Stakeholder.objects.select_for_update().select_related("person").get(pk=stakeholder.pk)
    before = stakeholder.support
    if person_fields and not person_may_be_edited_by(by, stakeholder.person):
        raise PermissionDenied
    save_versioned(Stakeholder, stakeholder, expected_version, **differing(stakeholder, fields))
    person = stakeholder.person
    if person_fields and not person.is_erased:
        # Checked even when this user changed nothing of the person: the form would put the old details back.
        wanted = {name: person_fields[name] for name in PERSON_FIELDS if name in person_fields}
        save_versioned(Person, person, person_expected_version, **differing(person, wanted))
    if stakeholder.support != before:
        SupportChange.objects.create(
            stakeholder=stakeholder,
            from_support=before,
            to_support=stakeholder.support,
            reason=reason,
            created_by=by,
            created_at=at or timezone.now(),
        )
    return stakeholder


def contact_record(*, stakeholder: Stakeholder, by, date: dt.date, kind: str, note: str = "") -> Contact:
    contact = Contact.objects.create(stakeholder=stakeholder, date=date, kind=kind, note=note, created_by=by)
    subphases_follow_work(trajectory=stakeholder.trajectory, by=by, phase="versterken")
    return contact


def report_back_record(
    *, trajectory: Trajectory, by, reported_on: dt.date, content: str, stakeholder: Stakeholder | None = None
) -> ReportBack:
    if stakeholder is not None and stakeholder.trajectory_id != trajectory.pk:
        raise ValueError("The stakeholder belongs to another trajectory.")
    report_back = ReportBack.objects.create(
        trajectory=trajectory, stakeholder=stakeholder, reported_on=reported_on, content=content, created_by=by
    )
    subphases_follow_work(trajectory=trajectory, by=by, phase="versterken")
    return report_back


def _competency_values(competencies: Iterable[str]) -> dict[str, bool]:
    chosen = set(competencies)
    return {name: code in chosen for code, name in COMPETENCY_FIELDS.items()}


@transaction.atomic
def team_member_add(
    *,
    trajectory: Trajectory,
    by,
    stakeholder: Stakeholder,
    team_role: str = "",
    competencies: Iterable[str] = (),
    joined_on: dt.date | None = None,
    reason: str = "",
) -> TeamMember:
    if stakeholder.trajectory_id != trajectory.pk:
        raise ValueError("The stakeholder belongs to another trajectory.")
    joined_on = joined_on or timezone.localdate()
    try:
        with transaction.atomic():
            member = TeamMember.objects.create(
                trajectory=trajectory,
                stakeholder=stakeholder,
                team_role=team_role,
                joined_on=joined_on,
                **_competency_values(competencies),
            )
    except IntegrityError:
        raise ValidationError({"stakeholder": _("This person is already in the team.")}) from None
    TeamChange.objects.create(
        trajectory=trajectory, member=member, kind=TeamChange.Kind.JOINED, on=joined_on, reason=reason, created_by=by
    )
    subphases_follow_work(trajectory=trajectory, by=by, phase="implementeren")
    return member


@transaction.atomic
def team_member_update(
    *, member: TeamMember, by, team_role: str, competencies: Iterable[str], expected_version: int | None = None
) -> TeamMember:
    """Change a member's role and competencies; with ``expected_version`` (the edit form) only if nobody saved
    the member since the form was opened, else :class:`StaleEdit`."""
    values = {"team_role": team_role, **_competency_values(competencies)}
    save_versioned(TeamMember, member, expected_version, **differing(member, values))
    return member


@transaction.atomic
def team_member_leave(*, member: TeamMember, by, left_on: dt.date, reason: str = "") -> TeamMember:
    member = TeamMember.objects.select_for_update().get(pk=member.pk)
    if member.left_on is not None:
        raise ValidationError(_("This member already left the team."))
    if left_on < member.joined_on:
        raise ValidationError({"left_on": _("A member cannot leave before joining.")})
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    TeamChange.objects.create(
        trajectory_id=member.trajectory_id,
        member=member,
        kind=TeamChange.Kind.LEFT,
        on=left_on,
        reason=reason,
        created_by=by,
    )
    return member


def team_mandate_set(
    *, trajectory: Trajectory, by, sufficient: bool, note: str, expected_version: int | None = None
) -> TeamMandate:
    """Record the team's mandate. ``expected_version`` is the version the edit form loaded (0: there was no
    mandate yet); when a colleague saved since, nothing is saved: :class:`StaleEdit`."""
    values = {"sufficient": sufficient, "note": note, "updated_by": by}
    mandate = TeamMandate.objects.filter(trajectory=trajectory).first()
    if mandate is None:
        try:
            with transaction.atomic():
                return TeamMandate.objects.create(trajectory=trajectory, **values)
        except IntegrityError:  # a colleague created it a moment ago: compare with theirs
            mandate = TeamMandate.objects.get(trajectory=trajectory)
    save_versioned(TeamMandate, mandate, expected_version, updated_at=timezone.now(), **values)
    return mandate


# Persons' data rights (AVG/GDPR): access (export) and erasure.


def _dates(value):
    return value.isoformat() if value else None


def person_export(*, person: Person) -> dict:
    """Everything stored about a person: the record, and per trajectory the register row with its history."""
    stakeholders = (
        Stakeholder.objects.filter(person=person)
        .select_related("trajectory")
        .prefetch_related(
            "contacts", "support_changes", "team_memberships__changes", "report_backs", "reviews_attended"
        )
        .order_by("trajectory__title", "pk")
    )
    return {
        "person": {
            **{name: getattr(person, name) for name in PERSON_FIELDS},
            "kept_by": person.organisation.name,
            "created_at": _dates(person.created_at),
            "erased_at": _dates(person.erased_at),
        },
        "trajectories": [
            {
                "trajectory": s.trajectory.title,
                "side": s.side,
                "level": s.level,
                "influence": s.influence,
                "support": s.support,
                "desired_support": s.desired_support,
                "notes": s.notes,
                "registered_at": _dates(s.created_at),
                "contacts": [{"date": _dates(c.date), "kind": c.kind, "note": c.note} for c in s.contacts.all()],
                "present_at_reviews": sorted(_dates(r.held_on) for r in s.reviews_attended.all()),
                "support_history": [
                    {"at": _dates(c.created_at), "from": c.from_support, "to": c.to_support, "reason": c.reason}
                    for c in s.support_changes.all()
                ],
                "report_backs": [{"date": _dates(r.reported_on), "content": r.content} for r in s.report_backs.all()],
                "team_memberships": [
                    {
                        "role": m.team_role,
                        "competencies": [str(c) for c in m.competencies()],
                        "joined_on": _dates(m.joined_on),
                        "left_on": _dates(m.left_on),
                        "changes": [
                            {"kind": c.kind, "on": _dates(c.on), "reason": c.reason}
                            for c in sorted(m.changes.all(), key=lambda c: (c.on, c.pk))
                        ],
                    }
                    for m in s.team_memberships.all()
                ],
            }
            for s in stakeholders
        ],
    }


def person_export_json(*, person: Person) -> str:
    return json.dumps(person_export(person=person), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


REDACTED = f"[{ERASED_NAME}]"


def _scrub(text: str, needles: list[str]) -> str:
    """Replace each needle (name, e-mail, phone) as a whole word, ignoring case: "Jan" is not taken out of "januari"."""
    for needle in needles:
        text = re.sub(rf"(?<!\w){re.escape(needle)}(?!\w)", REDACTED, text, flags=re.IGNORECASE)
    return text


def _scrub_rows(queryset, fields: Iterable[str], needles: list[str]) -> None:
    # queryset.update() on purpose: erasure is the one change allowed on append-only history rows.
    for row in queryset.values("pk", *fields):
        changed = {name: _scrub(row[name], needles) for name in fields if row[name]}
        changed = {name: value for name, value in changed.items() if value != row[name]}
        if changed:
            queryset.model.objects.filter(pk=row["pk"]).update(**changed)
    if is_tracked(queryset.model):
        # Earlier versions of the same rows, in the change history, are scrubbed the same way.
        history = queryset.model.history_records.filter(id__in=queryset.values("pk"))
        for row in history.values("history_id", *fields):
            changed = {name: _scrub(row[name], needles) for name in fields if row[name]}
            changed = {name: value for name, value in changed.items() if value != row[name]}
            if changed:
                history.model.objects.filter(history_id=row["history_id"]).update(**changed)


@transaction.atomic
def person_erase(*, person: Person, by) -> Person:
    """Remove a person's name and contact details everywhere, history included.

    The person row stays as an anonymous "verwijderde persoon", so the trajectories keep their
    register, contacts and team history without knowing who it was. Copies of the name, e-mail address
    or phone number typed into free text (notes, reasons, review attendee lines) are replaced too, as whole
    words and ignoring case. A first name on its own, or a phone number written differently, cannot be
    recognised reliably and is left as typed.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.is_erased:
        return person
    needles = sorted({v.strip() for v in (person.name, person.email, person.phone) if v and v.strip()}, key=len)
    needles.reverse()  # longest first, so a full name goes before a part of it
    stakeholders = Stakeholder.objects.filter(person=person)
    trajectory_ids = list(stakeholders.values_list("trajectory_id", flat=True))
    _scrub_rows(stakeholders, ["notes"], needles)
    _scrub_rows(Contact.objects.filter(stakeholder__person=person), ["note"], needles)
    _scrub_rows(SupportChange.objects.filter(stakeholder__person=person), ["reason"], needles)
    _scrub_rows(ReportBack.objects.filter(trajectory_id__in=trajectory_ids), ["content"], needles)
    _scrub_rows(TeamMember.objects.filter(stakeholder__person=person), ["team_role"], needles)
    _scrub_rows(TeamChange.objects.filter(trajectory_id__in=trajectory_ids), ["reason"], needles)
    _scrub_rows(TeamMandate.objects.filter(trajectory_id__in=trajectory_ids), ["note"], needles)
    # Free text elsewhere in the same trajectories where a team may have typed the name.
    linked = {"trajectory_id__in": trajectory_ids}
    _scrub_rows(Review.objects.filter(**linked), ["other_attendees", "summary"], needles)
    _scrub_rows(ReviewItem.objects.filter(review__trajectory_id__in=trajectory_ids), ["note"], needles)
    _scrub_rows(Action.objects.filter(**linked), ["description", "closing_note"], needles)
    _scrub_rows(SubphaseState.objects.filter(**linked), ["notes"], needles)
    _scrub_rows(PhaseState.objects.filter(**linked), ["completion_note"], needles)
    _scrub_rows(PhaseTransition.objects.filter(**linked), ["reason"], needles)
    _scrub_rows(Assignment.objects.filter(**linked), ["commissioner_contact"], needles)
    _scrub_rows(Trajectory.objects.filter(pk__in=trajectory_ids), ["commissioner"], needles)
    # Phase 2: who took part in talks, the shortlist's notes, the agreement and the plan of approach.
    candidates = {"candidate__trajectory_id__in": trajectory_ids}
    _scrub_rows(Candidate.objects.filter(**linked), ["motivation"], needles)
    _scrub_rows(CandidateRating.objects.filter(**candidates), ["note"], needles)
    _scrub_rows(CandidateStatusChange.objects.filter(**candidates), ["reason"], needles)
    _scrub_rows(
        OrientationTalk.objects.filter(**candidates), ["management", "project_leaders", "executors", "learnt"], needles
    )
    _scrub_rows(Agreement.objects.filter(**linked), ["parties", "terms"], needles)
    _scrub_rows(
        Plan.objects.filter(**linked), ["horizon", "kickoff_participants", "kickoff_notes", "meeting_notes"], needles
    )
    _scrub_rows(Milestone.objects.filter(**linked), ["title"], needles)
    _scrub_rows(PeopleChange.objects.filter(**linked), ["role", "description", "revisit_note"], needles)
    anonymous = {"name": ERASED_NAME, "function": "", "employer": "", "email": "", "phone": ""}
    Person.objects.filter(pk=person.pk).update(**anonymous, erased_at=timezone.now())
    Person.history_records.filter(id=person.pk).update(**anonymous)
    person.refresh_from_db()
    # update() sends no signal; the history was rewritten above instead of added to.
    update_recorded(person, anonymous, action=audit.Action.ERASE, history=False)
    return person
