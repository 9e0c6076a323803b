"""Export of whole trajectories to the ``fii-trajectories`` JSON format, and import into another installation.

The format is documented in docs/export-format.md. Objects refer to each other by stable export keys,
never by database ids: organisations by name, users by e-mail address, persons and objects inside a
trajectory by their position in the file, a trajectory by its ``export_key``. Lists are in database
order (primary key) and an import creates rows in file order, so export → import into an empty
database → export gives the same bytes.

``TRANSFER_SPEC`` lists, per model, every field that is exported and every field that is deliberately
left out (with the reason). tests/trajectories/test_transfer.py fails when a model or field is in neither.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from organisations.models import Organisation, Person, User

from ..models import (
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
    "TRANSFER_SPEC",
    "TransferError",
    "transfer_kinds",
    "trajectories_export",
    "trajectories_export_json",
    "trajectories_import",
]

EXPORT_FORMAT = "fii-trajectories"
EXPORT_VERSION = 1
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
    "created_by created_at updated_at",
    parent="",
    left_out={"version": VERSION_COUNTER, "export_key": 'written as the trajectory\'s "key"'},
    children=(
        _kind(PhaseState, "phase_states", "phase status completion_note started_at completed_at"),
        _kind(SubphaseState, "subphase_states", "subphase status notes updated_by updated_at"),
        _kind(PhaseTransition, "transitions", f"{HISTORY} from_phase from_status to_phase to_status_before"),
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
            "effectiveness evidence database registration_status registration_date",
            keyed=True,
            children=(_kind(ActiveComponent, "components", "position text", parent="version"),),
        ),
        _kind(
            CfirAssessment,
            "cfir_assessments",
            "title assessed_on created_by created_at",
            children=(
                _kind(CfirRating, "ratings", "construct rating rationale updated_by updated_at", parent="assessment"),
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
    Organisation: {"created_at": "local to the installation; an existing organisation is reused as it is"},
    User: {
        "password": "secret; imported users get no usable password",
        "last_login": "local to the installation",
        "is_superuser": "rights are given by the receiving installation",
        "is_staff": "rights are given by the receiving installation",
        "is_active": "imported users are created inactive",
        "date_joined": "local to the installation",
        "session_epoch": "sessions are local to the installation",
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


# --- export -----------------------------------------------------------------------------------------------


class _Exporter:
    def __init__(self):
        self.users: dict[str, User] = {}
        self.organisations: dict[str, Organisation] = {}
        self.persons: dict[int, Person] = {}
        self._cache: dict[tuple[type, int], models.Model] = {}

    def related(self, model, pk):
        """One query per referenced user, organisation or person, however often it is referred to."""
        if pk is None:
            return None
        if (model, pk) not in self._cache:
            self._cache[(model, pk)] = model.objects.get(pk=pk)
        return self._cache[(model, pk)]

    def user(self, user: User | None) -> str | None:
        if user is None:
            return None
        self.users[user.email] = user
        return user.email

    def organisation(self, organisation: Organisation | None) -> str | None:
        if organisation is None:
            return None
        self.organisations[organisation.name] = organisation
        return organisation.name

    def value(self, obj, model_field, keys: dict[str, dict[int, int]], kind: Kind):
        name = model_field.name
        if model_field.many_to_many:
            related = getattr(obj, name).all()
            if name in kind.refs:
                return sorted(keys[kind.refs[name]][o.pk] for o in related)
            if model_field.related_model is User:
                return sorted(self.user(u) for u in related)
            return sorted(self.organisation(o) for o in related)
        if model_field.is_relation:
            target_id = getattr(obj, model_field.attname)
            if name in kind.refs:
                return None if target_id is None else keys[kind.refs[name]][target_id]
            target = self.related(model_field.related_model, target_id)
            if model_field.related_model is User:
                return self.user(target)
            if model_field.related_model is Organisation:
                return self.organisation(target)
            if model_field.related_model is Person:
                self.persons[target.pk] = target
                return target.pk  # replaced by the person's key once all persons are known
            raise TypeError(f"No export rule for {obj._meta.label}.{name}")
        raw = getattr(obj, model_field.attname)
        return _plain(model_field, raw)

    def objects(self, kind: Kind, queryset, keys: dict[str, dict[int, int]]):
        rows = []
        keys[kind.name] = {}
        for position, obj in enumerate(queryset.order_by("pk"), start=1):
            row: dict[str, Any] = {}
            if kind.keyed:
                row["key"] = position
                keys[kind.name][obj.pk] = position
            for name in kind.fields:
                model_field = kind.model._meta.get_field(name)
                row[name] = self.value(obj, model_field, keys, kind)
            if kind.model is Agreement:
                row["document"] = _document_base64(obj.document)
            for child in kind.children:
                found = self.objects(child, child.model.objects.filter(**{child.parent: obj}), keys)
                row[child.name] = (found[0] if found else None) if child.single else found
            rows.append(row)
        return rows


def _plain(model_field, raw):
    if raw is None:
        return None
    if isinstance(model_field, models.DateTimeField):
        return raw.astimezone(dt.UTC).isoformat()
    if isinstance(model_field, models.DateField):
        return raw.isoformat()
    if isinstance(model_field, models.DecimalField):
        return f"{Decimal(raw):.{model_field.decimal_places}f}"
    if isinstance(model_field, models.UUIDField):
        return str(raw)
    if isinstance(model_field, models.FileField):
        return None  # written separately (see _document_base64)
    return raw


def _document_base64(document) -> str | None:
    if not document:
        return None
    with document.open("rb") as handle:
        return base64.b64encode(handle.read()).decode("ascii")


def trajectories_export(*, trajectories) -> dict:
    """The trajectories (a queryset) with everything that belongs to them, as a ``fii-trajectories`` dict."""
    exporter = _Exporter()
    keys: dict[str, dict[int, int]] = {}
    rows = []
    for trajectory in trajectories.order_by("pk"):
        row = exporter.objects(TRAJECTORY, Trajectory.objects.filter(pk=trajectory.pk), keys)[0]
        rows.append({"key": str(trajectory.export_key), **row})
    persons = [exporter.persons[pk] for pk in sorted(exporter.persons)]
    person_keys = {person.pk: position for position, person in enumerate(persons, start=1)}
    for row in rows:
        for stakeholder in row["stakeholders"]:
            stakeholder["person"] = person_keys[stakeholder["person"]]
    person_rows = []
    for position, person in enumerate(persons, start=1):
        person_row: dict[str, Any] = {"key": position}
        for name in PERSON_FIELDS:
            model_field = Person._meta.get_field(name)
            if name == "organisation":
                person_row[name] = exporter.organisation(person.organisation)
            else:
                person_row[name] = _plain(model_field, getattr(person, name))
        person_rows.append(person_row)
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "organisations": [
            {name: getattr(o, name) for name in ORGANISATION_FIELDS}
            for _key, o in sorted(exporter.organisations.items())
        ],
        "users": [{name: getattr(u, name) for name in USER_FIELDS} for _key, u in sorted(exporter.users.items())],
        "persons": person_rows,
        "trajectories": rows,
    }


def trajectories_export_json(*, trajectories) -> str:
    """The export as text: sorted keys, two-space indentation, UTF-8 characters as they are, final newline."""
    data = trajectories_export(trajectories=trajectories)
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


# --- import -----------------------------------------------------------------------------------------------


def _fail(path: str, message: str):
    raise TransferError(_("%(path)s: %(message)s") % {"path": path, "message": message})


def _expect(value, expected_type, path: str):
    if not isinstance(value, expected_type) or (expected_type is int and isinstance(value, bool)):
        names = {dict: _("an object"), list: _("a list"), str: _("text"), int: _("a whole number")}
        _fail(path, _("expected %(what)s.") % {"what": names.get(expected_type, expected_type.__name__)})


def _check_fields(row, path: str, expected: set[str]):
    _expect(row, dict, path)
    missing, unknown = expected - set(row), set(row) - expected
    if missing:
        _fail(path, _("missing fields: %(fields)s.") % {"fields": ", ".join(sorted(missing))})
    if unknown:
        _fail(path, _("unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})


class _Importer:
    def __init__(self, data: dict, *, as_copy: bool):
        self.as_copy = as_copy
        self.organisations: dict[str, Organisation] = {}
        self.users: dict[str, User] = {}
        self.persons: dict[int, Person] = {}
        self.created = {"organisations": 0, "users": 0, "persons": 0}
        self.imported: list[Trajectory] = []
        self.next_key: uuid.UUID | None = None
        self._organisations(data["organisations"])
        self._users(data["users"])
        self._persons(data["persons"])

    def _organisations(self, rows):
        _expect(rows, list, "organisations")
        for i, row in enumerate(rows):
            path = f"organisations[{i}]"
            _check_fields(row, path, set(ORGANISATION_FIELDS))
            values = {
                name: self._clean(Organisation, name, row[name], f"{path}.{name}") for name in ORGANISATION_FIELDS
            }
            organisation = Organisation.objects.filter(name=values["name"]).first()
            if organisation is None:
                organisation = Organisation.objects.create(**values)
                self.created["organisations"] += 1
            self.organisations[organisation.name] = organisation

    def _users(self, rows):
        _expect(rows, list, "users")
        for i, row in enumerate(rows):
            path = f"users[{i}]"
            _check_fields(row, path, set(USER_FIELDS))
            email = self._clean(User, "email", row["email"], f"{path}.email").lower()
            full_name = self._clean(User, "full_name", row["full_name"], f"{path}.full_name")
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                # No password and inactive: an import never gives anybody access.
                user = User.objects.create_user(email, None, full_name=full_name, is_active=False)
                self.created["users"] += 1
            self.users[row["email"]] = user

    def _persons(self, rows):
        _expect(rows, list, "persons")
        for i, row in enumerate(rows):
            path = f"persons[{i}]"
            _check_fields(row, path, {"key", *PERSON_FIELDS})
            _expect(row["key"], int, f"{path}.key")
            values = {
                name: self._clean(Person, name, row[name], f"{path}.{name}")
                for name in PERSON_FIELDS
                if name != "organisation"
            }
            person = Person(organisation=self._organisation(row["organisation"], f"{path}.organisation"), **values)
            person.save()
            self.persons[row["key"]] = person
            self.created["persons"] += 1

    def _organisation(self, name, path):
        if name not in self.organisations:
            _fail(path, _("organisation “%(name)s” is not in the list of organisations.") % {"name": name})
        return self.organisations[name]

    def _user(self, email, path):
        if email is None:
            return None
        if email not in self.users:
            _fail(path, _("user “%(email)s” is not in the list of users.") % {"email": email})
        return self.users[email]

    @staticmethod
    def _clean(model, name, value, path):
        model_field = model._meta.get_field(name)
        if value is None:
            if not model_field.null:
                _fail(path, _("a value is required."))
            return None
        try:
            if isinstance(model_field, models.DateTimeField):
                _expect(value, str, path)
                value = dt.datetime.fromisoformat(value)
                if value.tzinfo is None:
                    _fail(path, _("a date and time needs a time zone."))
            elif isinstance(model_field, models.DateField):
                _expect(value, str, path)
                value = dt.date.fromisoformat(value)
            elif isinstance(model_field, models.DecimalField):
                _expect(value, str, path)
            elif isinstance(model_field, models.BooleanField):
                if not isinstance(value, bool):
                    _fail(path, _("expected true or false."))
            elif isinstance(model_field, models.IntegerField):
                _expect(value, int, path)
            elif isinstance(model_field, models.CharField | models.TextField):
                _expect(value, str, path)
            elif isinstance(model_field, models.JSONField):
                return value  # the review's phases: checked by the database and the model's code
            return model_field.clean(value, None)
        except ValueError:
            _fail(path, _("not a valid value: %(value)s.") % {"value": value})
        except ValidationError as error:
            _fail(path, " ".join(error.messages))

    def objects(self, kind: Kind, rows, path: str, parent, keys: dict[str, dict[int, Any]], start: int = 0):
        expected = {*kind.fields, *(c.name for c in kind.children)} | ({"key"} if kind.keyed else set())
        if kind.single:
            if rows is None:
                return
            rows = [rows]
        _expect(rows, list, path)
        keys[kind.name] = {}
        for i, row in enumerate(rows, start=start):
            here = path if kind.single else f"{path}[{i}]"
            _check_fields(row, here, expected)
            obj = kind.model(**({kind.parent: parent} if kind.parent else {}))
            many: dict[str, list] = {}
            timestamps = {}
            for name in kind.fields:
                model_field = kind.model._meta.get_field(name)
                value, where = row[name], f"{here}.{name}"
                if name in kind.refs:
                    targets = keys.get(kind.refs[name], {})
                    values = value if model_field.many_to_many else [value]
                    if model_field.many_to_many:
                        _expect(value, list, where)
                    for v in values:
                        if v is not None and v not in targets:
                            _fail(where, _("refers to key %(key)s, which is not in “%(list)s”.")
                                  % {"key": v, "list": kind.refs[name]})  # fmt: skip
                    if model_field.many_to_many:
                        many[name] = [targets[v] for v in values]
                    else:
                        setattr(obj, name, None if value is None else targets[value])
                elif model_field.many_to_many:
                    _expect(value, list, where)
                    lookup = self._user if model_field.related_model is User else self._organisation
                    many[name] = [lookup(v, where) for v in value]
                elif model_field.is_relation:
                    if model_field.related_model is User:
                        setattr(obj, name, self._user(value, where))
                    elif model_field.related_model is Organisation:
                        if value is None and model_field.null:
                            setattr(obj, name, None)
                        else:
                            setattr(obj, name, self._organisation(value, where))
                    elif model_field.related_model is Person:
                        if value not in self.persons:
                            _fail(where, _("refers to person %(key)s, who is not in “persons”.") % {"key": value})
                        setattr(obj, name, self.persons[value])
                elif isinstance(model_field, models.FileField):
                    self._document(obj, value, where)
                else:
                    cleaned = self._clean(kind.model, name, value, where)
                    setattr(obj, model_field.attname, cleaned)
                    if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
                        timestamps[name] = cleaned
            if kind is TRAJECTORY:
                obj.export_key = self.next_key
            obj.save()
            if timestamps:  # auto_now fields take the time of the save; the file's times win
                kind.model.objects.filter(pk=obj.pk).update(**timestamps)
            for name, related in many.items():
                getattr(obj, name).set(related)
            if kind.keyed:
                _expect(row["key"], int, f"{here}.key")
                keys[kind.name][row["key"]] = obj
            for child in kind.children:
                self.objects(child, row[child.name], f"{here}.{child.name}", obj, keys)
            if kind is TRAJECTORY:
                self.imported.append(obj)

    @staticmethod
    def _document(obj, value, path):
        if value is None:
            return
        _expect(value, str, path)
        try:
            content = base64.b64decode(value, validate=True)
        except ValueError:
            _fail(path, _("the document is not valid base64."))
        if not content.startswith(b"%PDF") or len(content) > MAX_DOCUMENT_BYTES:
            _fail(path, _("the document must be a PDF of at most 10 MB."))
        obj.document.save("document.pdf", ContentFile(content), save=False)


def parent_key(row) -> uuid.UUID:
    try:
        return uuid.UUID(row["key"])
    except (KeyError, TypeError, ValueError, AttributeError):
        raise TransferError(_("trajectories: every trajectory needs a valid “key”.")) from None


def trajectories_import(*, data: Any, as_copy: bool = False, owner: Organisation | None = None) -> dict:
    """Import a ``fii-trajectories`` export, all or nothing. Returns the imported trajectories and counts.

    A trajectory whose key already exists is refused, unless ``as_copy``: then every trajectory gets a
    new key. With ``owner`` (the import form of an organisation) every trajectory must be owned by an
    organisation of that name, so nobody imports trajectories on another organisation's behalf.
    """
    _check_fields(data, _("the file"), {"format", "version", "organisations", "users", "persons", "trajectories"})
    if data["format"] != EXPORT_FORMAT:
        raise TransferError(_("This is not a “%(format)s” export.") % {"format": EXPORT_FORMAT})
    if data["version"] != EXPORT_VERSION:
        raise TransferError(
            _("Version %(found)s of the export format is not supported; this installation reads version %(version)s.")
            % {"found": data["version"], "version": EXPORT_VERSION}
        )
    _expect(data["trajectories"], list, "trajectories")
    for i, row in enumerate(data["trajectories"]):
        _expect(row, dict, f"trajectories[{i}]")
        if owner is not None and row.get("owner") != owner.name:
            raise TransferError(
                _("Trajectory “%(title)s” belongs to another organisation (%(owner)s); import it there.")
                % {"title": row.get("title"), "owner": row.get("owner")}
            )
    if not as_copy:
        keys = [parent_key(row) for row in data["trajectories"]]
        existing = list(Trajectory.objects.filter(export_key__in=keys).values_list("title", flat=True))
        if existing:
            raise TransferError(
                _("These trajectories already exist here: %(titles)s. Import them as a copy if that is intended.")
                % {"titles": ", ".join(sorted(existing))}
            )
    try:
        with transaction.atomic():
            importer = _Importer(data, as_copy=as_copy)
            for i, row in enumerate(data["trajectories"]):
                importer.next_key = uuid.uuid4() if as_copy else parent_key(row)
                fields = {k: v for k, v in row.items() if k != "key"}
                importer.objects(TRAJECTORY, [fields], "trajectories", None, {}, start=i)
    except IntegrityError as error:
        raise TransferError(_("The file breaks a rule of the database: %(error)s") % {"error": error}) from None
    return {"trajectories": importer.imported, **importer.created}
