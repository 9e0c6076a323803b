"""Export of whole trajectories to the ``fii-trajectories`` JSON format, and import into another installation.

The format (``trajectories.transfer_format``) is documented in docs/export-format.md. Objects refer to each
other by stable export keys, never by database ids. Lists are in database order (primary key) and an import
creates rows in file order, so export → import into an empty database → export gives the same bytes.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from organisations.models import Organisation, Person, User

from ..models import Agreement, Trajectory
from ..transfer_format import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    LEFT_OUT_FIELDS,
    LEFT_OUT_MODELS,
    MAX_DOCUMENT_BYTES,
    ORGANISATION_FIELDS,
    PERSON_FIELDS,
    TRANSFER_SPEC,
    USER_FIELDS,
    Kind,
    TransferError,
    transfer_kinds,
)

TRAJECTORY = TRANSFER_SPEC

__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "LEFT_OUT_FIELDS",
    "LEFT_OUT_MODELS",
    "TransferError",
    "trajectories_export",
    "trajectories_export_json",
    "trajectories_import",
    "transfer_kinds",
]


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
        self.saved_files: list[str] = []  # removed again when the import fails
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

    def _document(self, obj, value, path):
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
        self.saved_files.append(obj.document.name)


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
    importer = None
    try:
        with transaction.atomic():
            importer = _Importer(data, as_copy=as_copy)
            for i, row in enumerate(data["trajectories"]):
                importer.next_key = uuid.uuid4() if as_copy else parent_key(row)
                fields = {k: v for k, v in row.items() if k != "key"}
                importer.objects(TRAJECTORY, [fields], "trajectories", None, {}, start=i)
    except Exception as error:
        # The rows are rolled back; the agreement documents already written to storage go as well.
        for name in importer.saved_files if importer else []:
            Agreement._meta.get_field("document").storage.delete(name)
        if isinstance(error, IntegrityError):
            raise TransferError(_("The file breaks a rule of the database: %(error)s") % {"error": error}) from None
        raise
    return {"trajectories": importer.imported, **importer.created}
