"""Export of whole trajectories to the ``fii-trajectories`` JSON format, and import into another installation.

The format (``trajectories.transfer_format``) is documented in docs/export-format.md. Objects refer to each
other by stable export keys, never by database ids. Lists are in database order (primary key) and an import
creates rows in file order, so export → import into an empty database → export gives the same bytes.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import textwrap
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.core.files.base import ContentFile
from django.db import DatabaseError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from organisations import audit
from organisations.access import access_changed
from organisations.models import Organisation, Person, User

from .. import review_schedule, visibility
from ..history import bulk_create_tracked, is_tracked
from ..models import Action, Agreement, Trajectory
from ..structure import trajectory_lookup
from ..transfer_format import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    LEFT_OUT_FIELDS,
    LEFT_OUT_MODELS,
    ORGANISATION_FIELDS,
    PERSON_FIELDS,
    TRANSFER_SPEC,
    USER_FIELDS,
    Kind,
    TransferError,
    transfer_kinds,
)
from ..transfer_schema import document_content, scalar, validate

TRAJECTORY = TRANSFER_SPEC

__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "LEFT_OUT_FIELDS",
    "LEFT_OUT_MODELS",
    "TransferError",
    "trajectories_export",
    "trajectories_export_chunks",
    "trajectories_export_json",
    "trajectories_import",
    "transfer_kinds",
]


# --- export -----------------------------------------------------------------------------------------------

# Trajectories read per round: each round reads every part of them with one query per model (and one per
# many-to-many field), so the number of queries depends on the number of models and rounds, never on how
# many objects a trajectory has (bench/export.py).
EXPORT_BATCH = 100

Progress = Callable[[int, int], None]


class _Exporter:
    """Reads trajectories part by part (trajectories/structure.py), a batch at a time, and writes them as text."""

    def __init__(self, trajectory_ids: list[int]):
        self.trajectory_ids = trajectory_ids
        self.users: dict[str, User] = {}  # e-mail address → user, for the list after the trajectories
        self.user_by_pk: dict[int, User] = {}
        self.organisation_by_pk: dict[int, Organisation] = {}
        self.person_keys: dict[int, int] = {}
        self.persons: list[Person] = []

    # Organisations and persons come before the trajectories in the file: find them first, one query per
    # field that refers to them over all trajectories.
    def referenced(self) -> None:
        organisation_ids: set[int] = set()
        person_ids: set[int] = set()
        subquery = Trajectory.objects.filter(pk__in=self.trajectory_ids).values("pk")
        for kind in transfer_kinds():
            rows = kind.model.objects.filter(**{f"{trajectory_lookup(kind.model)}__in": subquery})
            for name in kind.fields:
                model_field = kind.model._meta.get_field(name)
                if name in kind.refs or model_field.related_model not in (Organisation, Person):
                    continue
                column = name if model_field.many_to_many else model_field.attname
                found = {pk for pk in rows.values_list(column, flat=True).distinct() if pk is not None}
                (organisation_ids if model_field.related_model is Organisation else person_ids).update(found)
        self.persons = list(Person.objects.filter(pk__in=person_ids).order_by("pk"))
        self.person_keys = {person.pk: position for position, person in enumerate(self.persons, start=1)}
        organisation_ids.update(person.organisation_id for person in self.persons)
        self.organisation_by_pk = Organisation.objects.in_bulk(organisation_ids)

    def organisation_rows(self) -> list[dict]:
        by_name = {o.name: o for o in self.organisation_by_pk.values()}
        return [{name: getattr(o, name) for name in ORGANISATION_FIELDS} for _key, o in sorted(by_name.items())]

    def person_rows(self) -> list[dict]:
        rows = []
        for position, person in enumerate(self.persons, start=1):
            row: dict[str, Any] = {"key": position}
            for name in PERSON_FIELDS:
                if name == "organisation":
                    row[name] = self.organisation_by_pk[person.organisation_id].name
                else:
                    row[name] = _plain(Person._meta.get_field(name), getattr(person, name))
            rows.append(row)
        return rows

    def user_rows(self) -> list[dict]:
        return [{name: getattr(u, name) for name in USER_FIELDS} for _key, u in sorted(self.users.items())]

    def user(self, user: User | None) -> str | None:
        if user is None:
            return None
        self.users[user.email] = user
        return user.email

    # --- the trajectories, a batch at a time ---

    def trajectory_rows(self, progress: Progress | None = None) -> Iterator[dict]:
        total = len(self.trajectory_ids)
        done = 0
        for start in range(0, total, EXPORT_BATCH):
            batch = self.trajectory_ids[start : start + EXPORT_BATCH]
            children = self._read(batch)
            keys: dict[str, dict[int, int]] = {}
            for trajectory in children[(TRAJECTORY.model, None)]:
                row = self._row(TRAJECTORY, trajectory, children, keys)
                kept = cast(Trajectory, trajectory)
                yield {"key": str(kept.file_key or kept.export_key), **row}
                done += 1
                if progress is not None:
                    progress(done, total)

    def _read(self, batch: list[int]) -> dict[tuple[type[models.Model], int | None], list[models.Model]]:
        """Every object of the batch's trajectories, grouped by (model, the id of the enclosing object)."""
        grouped: dict[tuple[type[models.Model], int | None], list[models.Model]] = defaultdict(list)
        user_ids: set[int] = set()
        for kind in transfer_kinds():
            rows = kind.model.objects.filter(**{f"{trajectory_lookup(kind.model)}__in": batch}).order_by("pk")
            many = [name for name in kind.fields if kind.model._meta.get_field(name).many_to_many]
            if many:
                rows = rows.prefetch_related(*many)
            parent = kind.model._meta.get_field(kind.parent).attname if kind.parent else None
            for obj in rows:
                grouped[(kind.model, getattr(obj, parent) if parent else None)].append(obj)
                for name in kind.fields:
                    model_field = kind.model._meta.get_field(name)
                    if model_field.related_model is User and not model_field.many_to_many:
                        user_ids.add(getattr(obj, model_field.attname))
        user_ids.discard(None)  # type: ignore[arg-type]
        missing = user_ids - self.user_by_pk.keys()
        if missing:
            self.user_by_pk.update(User.objects.in_bulk(missing))
        return grouped

    def _row(self, kind: Kind, obj, children, keys: dict[str, dict[int, int]]) -> dict[str, Any]:
        row: dict[str, Any] = {}
        for name in kind.fields:
            row[name] = self._value(obj, kind.model._meta.get_field(name), keys, kind)
        if kind.model is Agreement:
            row["document"] = _document_base64(obj.document)
        for child in kind.children:
            keys.setdefault(child.name, {})
            found = []
            for position, child_obj in enumerate(children.get((child.model, obj.pk), ()), start=1):
                child_row = {"key": position} if child.keyed else {}
                if child.keyed:
                    keys[child.name][child_obj.pk] = position
                child_row.update(self._row(child, child_obj, children, keys))
                found.append(child_row)
            row[child.name] = (found[0] if found else None) if child.single else found
        return row

    def _value(self, obj, model_field, keys: dict[str, dict[int, int]], kind: Kind):
        name = model_field.name
        if model_field.many_to_many:
            related = getattr(obj, name).all()  # prefetched
            if name in kind.refs:
                return sorted(keys[kind.refs[name]][o.pk] for o in related)
            if model_field.related_model is User:
                return sorted(cast(str, self.user(u)) for u in related)
            return sorted(o.name for o in related)
        if model_field.is_relation:
            target_id = getattr(obj, model_field.attname)
            if name in kind.refs:
                return None if target_id is None else keys[kind.refs[name]][target_id]
            if target_id is None:
                return None
            if model_field.related_model is User:
                return self.user(self.user_by_pk[target_id])
            if model_field.related_model is Organisation:
                return self.organisation_by_pk[target_id].name
            if model_field.related_model is Person:
                return self.person_keys[target_id]
            raise TypeError(f"No export rule for {obj._meta.label}.{name}")
        return _plain(model_field, getattr(obj, model_field.attname))


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


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False)


def _list_chunks(name: str, rows: Iterable[Any], *, last: bool = False) -> Iterator[str]:
    """``"name": [...]`` as ``json.dumps(..., indent=2)`` writes it one level deep, one element at a time."""
    yield f"  {_dumps(name)}: ["
    first = True
    for row in rows:
        yield ("\n" if first else ",\n") + textwrap.indent(_dumps(row), "    ")
        first = False
    yield ("]" if first else "\n  ]") + ("\n" if last else ",\n")


def trajectories_export_chunks(*, trajectories, progress: Progress | None = None) -> Iterator[str]:
    """The export of the trajectories (a queryset) as text, piece by piece: the same bytes as
    ``json.dumps(export, sort_keys=True, indent=2, ensure_ascii=False) + "\\n"``, never held whole in memory.

    ``progress(done, total)`` is called after each trajectory.
    """
    exporter = _Exporter(list(trajectories.order_by("pk").values_list("pk", flat=True)))
    exporter.referenced()
    yield "{\n" + f'  "format": {_dumps(EXPORT_FORMAT)},\n'
    yield from _list_chunks("organisations", exporter.organisation_rows())
    yield from _list_chunks("persons", exporter.person_rows())
    yield from _list_chunks("trajectories", exporter.trajectory_rows(progress))
    yield from _list_chunks("users", exporter.user_rows())
    yield f'  "version": {_dumps(EXPORT_VERSION)}\n' + "}\n"
    if progress is not None and not exporter.trajectory_ids:
        progress(0, 0)


def trajectories_export_json(*, trajectories) -> str:
    """The export as text: sorted keys, two-space indentation, UTF-8 characters as they are, final newline."""
    return "".join(trajectories_export_chunks(trajectories=trajectories))


def trajectories_export(*, trajectories) -> dict:
    """The trajectories (a queryset) with everything that belongs to them, as a ``fii-trajectories`` dict."""
    return json.loads(trajectories_export_json(trajectories=trajectories))


# --- import -----------------------------------------------------------------------------------------------

# Trajectories written per round: each round creates every kind of object of them with one bulk INSERT (plus
# its history rows, the many-to-many rows and the file's timestamps), so the number of statements depends on
# the number of models and rounds, never on how many objects a trajectory has (bench/export.py --import).
# Django splits a statement at the database's limit of bound parameters (SQLite, and PostgreSQL with server-side
# binding), which adds statements only for very large rounds.
IMPORT_BATCH = 50


@dataclass
class _Pending:
    """An object read from the file and not yet written, with what is written after its row."""

    obj: models.Model
    many: dict[str, list[Any]]  # many-to-many field → the related objects
    timestamps: dict[str, Any]  # auto_now / auto_now_add field → the file's value
    document: bytes | None = None  # an agreement's PDF, stored when the row's trajectory has its id


class _Importer:
    """Writes a file that ``transfer_schema.validate`` accepted, a batch of trajectories at a time.

    Without ``owner`` (``manage.py import_trajectories``, the application manager moving an installation)
    organisations are matched by name and users by e-mail address across the installation, and missing ones
    are created. With ``owner`` (an organisation's import form) the import stays inside that organisation:
    see :func:`trajectories_import`.

    How a batch is written, and why every reference finds a row that exists:

    1. :meth:`objects` walks the batch's trajectories in file order, exactly as the file nests them, and makes
       an unsaved object of every row. A reference (``kind.refs``) is resolved while walking, with the same
       scoping as ever: ``keys[name]`` holds the rows of the list ``name`` that was read last (a new list of
       that name starts afresh), and a trajectory starts with no keys at all, so a reference never reaches
       into another trajectory of the batch. The object refers to the (still unsaved) object it names.
    2. :meth:`write` creates the objects kind by kind in declaration order (:func:`transfer_kinds`: the
       trajectory first, then each part before its children, siblings in declared order), one ``bulk_create``
       per kind. A parent is declared before its children, and every kind a reference may name is declared
       before the kind that refers to it (``refs`` name "an earlier keyed list of the trajectory";
       ``tests/trajectories/test_import_scale.py`` checks it for every kind of the declaration), so when a
       kind is written each object it points at has its id, which ``bulk_create`` copies into the foreign key.
    """

    def __init__(self, data: dict, *, owner: Organisation | None):
        self.owner = owner
        self.organisation_rows = {row["name"]: row for row in data["organisations"]}
        self.organisations: dict[str, Organisation] = {}
        self.users: dict[str, User | None] = {}
        self.persons: dict[int, Person] = {}
        self.created = {"organisations": 0, "users": 0, "persons": 0, "unknown_authors": 0}
        self.imported: list[Trajectory] = []
        self.saved_files: list[str] = []  # removed again when the import fails
        self.next_key: uuid.UUID | None = None
        self.next_file_key: uuid.UUID | None = None
        self.pending: dict[type[models.Model], list[_Pending]] = defaultdict(list)
        self.new_organisations: list[Organisation] = []  # made by _organisation, created by _create_new_organisations
        self.known = self._known_organisations()
        if owner is None:
            for name in self.organisation_rows:
                self._organisation(name)
            self._create_new_organisations()  # the persons' organisations, named in the file's list
        self._users(data["users"])
        self._persons(data["persons"])

    def _organisation(self, name: str) -> Organisation:
        """The organisation a candidate, agreement or (from the command line) anything else names."""
        if name not in self.organisations:
            row = self.organisation_rows[name]
            organisation: Organisation | None
            if self.owner is not None and name == self.owner.name:
                organisation = self.owner
            else:
                organisation = self.known.get(self._match(name))
            if organisation is None:
                # Not saved yet: the objects that refer to it are not either. It is created, with the other new
                # organisations, before anything that refers to it (_create_new_organisations).
                values = {field: row[field] for field in ORGANISATION_FIELDS}
                organisation = Organisation(**{**values, "name": name.strip()})
                self.new_organisations.append(organisation)
                self.created["organisations"] += 1
                self.known[self._match(name)] = organisation  # a second spelling of it in the file finds it
            self.organisations[row["name"]] = organisation
        return self.organisations[name]

    def _create_new_organisations(self) -> None:
        """The organisations :meth:`_organisation` made since the last call, with one INSERT (and one for their
        history, one for their audit events), whatever their number. Objects that refer to one get its id when
        they are created (``bulk_create`` copies a saved related object's id into the foreign key)."""
        _create_recorded(Organisation, self.new_organisations)
        self.new_organisations = []

    def _match(self, name: str) -> str:
        # From the form, as the shortlist does: an organisation is referred to by its name, whatever its case and
        # spaces; a new name becomes a new organisation. Referring to one gives it no access. From the command
        # line: by its exact name.
        return name.strip().lower() if self.owner is not None else name

    def _known_organisations(self) -> dict[str, Organisation]:
        """The installation's organisations that the file names, read at once (per 500 names), by :meth:`_match`;
        the first one made wins where several match, as ``.first()`` chose."""
        names = list(self.organisation_rows)
        known: dict[str, Organisation] = {}
        for start in range(0, len(names), 500):
            part = names[start : start + 500]
            if self.owner is not None:
                condition = Q()
                for name in part:
                    condition |= Q(name__iexact=name.strip())
            else:
                condition = Q(name__in=part)
            for organisation in Organisation.objects.filter(condition).order_by("pk"):
                known.setdefault(self._match(organisation.name), organisation)
        return known

    def _users(self, rows):
        members: dict[str, User] = {}
        if self.owner is not None:
            members = {u.email.lower(): u for u in User.objects.filter(memberships__organisation=self.owner)}
        else:  # every account of the installation the file names, read at once (per 500 addresses)
            emails = [row["email"] for row in rows]
            for start in range(0, len(emails), 500):
                condition = Q()
                for email in emails[start : start + 500]:
                    condition |= Q(email__iexact=email)
                for user in User.objects.filter(condition).order_by("pk"):
                    members.setdefault(user.email.lower(), user)  # the first account wins, as .first() chose
        new_users: list[User] = []
        for row in rows:
            email = row["email"].lower()
            if self.owner is not None:
                # Only the organisation's own members are recognised; anybody else becomes an unknown author,
                # whether or not an account exists elsewhere in the installation.
                self.users[row["email"]] = members.get(email)
                self.created["unknown_authors"] += email not in members
                continue
            found = members.get(email)
            if found is None:
                # No password and inactive: an import never gives anybody access.
                found = User.objects.make_user(email, None, full_name=row["full_name"], is_active=False)
                new_users.append(found)
                members[email] = found  # a second spelling of the address in the file finds it
            self.users[row["email"]] = found
        _create_recorded(User, new_users)  # one INSERT, whatever their number
        self.created["users"] += len(new_users)

    def _persons(self, rows):
        persons = []
        for i, row in enumerate(rows):
            path = f"persons[{i}]"
            values = {
                name: scalar(Person, name, row[name], f"{path}.{name}")
                for name in PERSON_FIELDS
                if name != "organisation"
            }
            # From the form every person is kept by the importing organisation, never placed in another
            # organisation's register.
            keeper = self.owner or self._organisation(row["organisation"])
            person = Person(organisation=keeper, **values)
            persons.append(person)
            self.persons[row["key"]] = person
        # A person holds personal data, so its creation is audited as a save() would have (_create_recorded).
        _create_recorded(Person, persons)
        self.created["persons"] += len(persons)

    def _organisation_for(self, kind: Kind, name: str, value):
        if self.owner is None or kind.model is not Trajectory:
            if value is None:
                return None
            if self.owner is not None and kind.model is Action and value != self.owner.name:
                return None  # the assignee's organisation among those taking part: only the owner takes part
            return self._organisation(value)
        # Who takes part is the owner's decision in this installation (and the other organisation is told):
        # the receiving organisation and the participants of the file are not taken over.
        return self.owner if name == "owner" else None

    def objects(self, kind: Kind, rows, path: str, parent, keys: dict[str, dict[int, Any]], start: int = 0):
        """Read ``rows`` (and their children) into unsaved objects, to be written by :meth:`write`."""
        if kind.single:
            if rows is None:
                return
            rows = [rows]
        keys[kind.name] = {}
        for i, row in enumerate(rows, start=start):
            here = path if kind.single else f"{path}[{i}]"
            obj = kind.model(**({kind.parent: parent} if kind.parent else {}))
            pending = _Pending(obj, {}, {})
            for name in kind.fields:
                model_field = kind.model._meta.get_field(name)
                # structure.py declares only a model's own fields for the transfer format, never a reverse
                # relation (tests/trajectories/test_structure.py checks it), so this holds for every file.
                assert isinstance(model_field, models.Field)
                value, where = row[name], f"{here}.{name}"
                if name in kind.refs:
                    targets = keys[kind.refs[name]]
                    if model_field.many_to_many:
                        pending.many[name] = [targets[v] for v in value]
                    else:
                        setattr(obj, name, None if value is None else targets[value])
                elif model_field.many_to_many and model_field.related_model is User:
                    pending.many[name] = [self.users[v] for v in value if self.users[v] is not None]
                elif model_field.many_to_many:
                    pending.many[name] = [self._organisation(v) for v in value] if self.owner is None else []
                elif model_field.related_model is User:
                    setattr(obj, name, None if value is None else self.users[value])
                elif model_field.related_model is Organisation:
                    setattr(obj, name, self._organisation_for(kind, name, value))
                elif model_field.related_model is Person:
                    setattr(obj, name, self.persons[value])
                elif isinstance(model_field, models.FileField):
                    pending.document = document_content(value, where)
                else:
                    cleaned = scalar(kind.model, name, value, where)
                    setattr(obj, model_field.attname, cleaned)
                    if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
                        pending.timestamps[name] = cleaned
            if isinstance(obj, Trajectory):  # kind is TRAJECTORY: the only part whose model is Trajectory
                # The import sets the key before each trajectory row; export_key is not nullable.
                assert self.next_key is not None
                obj.export_key, obj.file_key = self.next_key, self.next_file_key
            self.pending[kind.model].append(pending)
            if kind.keyed:
                keys[kind.name][row["key"]] = obj
            for child in kind.children:
                self.objects(child, row[child.name], f"{here}.{child.name}", obj, keys)
            if isinstance(obj, Trajectory):  # kind is TRAJECTORY, as above
                self.imported.append(obj)

    def write(self) -> list[Trajectory]:
        """Create everything :meth:`objects` read since the last call; the trajectories created."""
        trajectories = [cast(Trajectory, p.obj) for p in self.pending.get(Trajectory, [])]
        self._create_new_organisations()  # named by the batch (from the form: candidates, agreements)
        for kind in transfer_kinds():
            self._create(kind, self.pending.pop(kind.model, []))
        assert not self.pending, "every model of the file is a kind of the declaration"
        ids = [t.pk for t in trajectories]
        # What save() signals did for a new trajectory: who sees it (visibility.py) and the access version of
        # the members of the organisations taking part (revisions.py), once per batch. The page cache needs
        # nothing: a new trajectory has no cached part (ids are never reused), and nothing else changed.
        visibility.sync(ids)
        review_schedule.sync(ids)  # the next review of each, from its reviews and phases (bulk-created)
        organisation_ids = {t.owner_id for t in trajectories} | {t.receiving_organisation_id for t in trajectories}
        through = Trajectory.participants.through.objects.filter(trajectory_id__in=ids)
        access_changed(organisation_ids | set(through.values_list("organisation_id", flat=True)))
        # The audit log: one "create" event per trajectory, filed under its owner, in the name of whoever runs
        # the import. The rows inside a trajectory are part of that event (as bulk-created rows derived from a
        # recorded parent are, writes.py): the import is one act of the importer's, the log stays readable, and
        # the trajectory's history pages list every imported row with its own "created" history row.
        audit.record_created(trajectories, detail="import")
        return trajectories

    def _create(self, kind: Kind, entries: list[_Pending]) -> None:
        """One kind of object of the batch: its rows with "created" history, its file timestamps, its documents
        and its many-to-many rows."""
        if not entries:
            return
        model = kind.model
        objs = [p.obj for p in entries]
        for p in entries:
            if p.document is not None:
                agreement = cast(Agreement, p.obj)  # the only model with a document
                # The path names the trajectory (agreement_upload_to), which has its id by now.
                agreement.trajectory_id = agreement.trajectory.pk
                agreement.document.save("document.pdf", ContentFile(p.document), save=False)
                self.saved_files.append(cast(str, agreement.document.name))
        if is_tracked(model):
            bulk_create_tracked(model, objs)
        else:  # append-only and immutable rows: they are history themselves (trajectories/history)
            model._default_manager.bulk_create(objs)
        # auto_now and auto_now_add take the time of the INSERT; the file's times win (one UPDATE per kind).
        stamped = sorted({name for p in entries for name in p.timestamps})
        if stamped:
            for p in entries:
                for name in stamped:
                    setattr(p.obj, name, p.timestamps[name])
            model._default_manager.bulk_update(objs, stamped)
        for name in sorted({name for p in entries for name in p.many}):
            many_field = model._meta.get_field(name)
            assert isinstance(many_field, models.ManyToManyField)
            through = cast(type[models.Model], many_field.remote_field.through)
            source, target = (
                cast(models.ForeignKey, through._meta.get_field(side)).attname
                for side in (many_field.m2m_field_name(), many_field.m2m_reverse_field_name())
            )
            rows = [
                through(**{source: p.obj.pk, target: related.pk})
                for p in entries
                for related in dict.fromkeys(p.many.get(name, ()))  # once each, as set() would
            ]
            through._default_manager.bulk_create(rows)


def _create_recorded(model: type[models.Model], objs: list) -> None:
    """New rows of the installation's own (organisations, users, persons) in one INSERT, with what ``save()``
    gave each: a "created" history row where the model keeps history (one more INSERT) and one "create" audit
    event (one more INSERT, detail "import"). Nothing for an empty list."""
    if not objs:
        return
    if is_tracked(model):
        bulk_create_tracked(model, objs)
    else:
        model._default_manager.bulk_create(objs)
    audit.record_created(objs, detail="import")


def trajectories_import(
    *, data: Any, as_copy: bool = False, owner: Organisation | None = None, progress: Progress | None = None
) -> dict:
    """Import a ``fii-trajectories`` export, all or nothing. Returns the imported trajectories and counts.

    The whole file is checked against the schema (``trajectories.transfer_schema``) before anything is
    written. A trajectory whose key already exists is refused, unless ``as_copy``: then every trajectory
    gets a new key.

    With ``owner`` (the import form of an organisation) the import stays inside that organisation, so a
    file can neither reach into another tenant nor tell what exists there:

    - every trajectory must be given by an organisation of that name, and is given by ``owner``;
    - its receiving organisation and participants are left empty: the owner's beheerders add them, and the
      organisations added are told (issue 16);
    - every person is kept by ``owner``; users are never created, and an author (``created_by`` and the
      like, review attendees) who is not a member of ``owner`` becomes unknown (empty);
    - only ``owner``'s own trajectories count as existing: a key that another organisation's trajectory
      holds is replaced by a new one, as with ``as_copy``, and nothing is said about it;
    - a candidate's or agreement's organisation is referred to by name as the shortlist does (which gives
      it no access); an action's organisation is kept only when it is ``owner``.

    The trajectories are written ``IMPORT_BATCH`` at a time (see :class:`_Importer`), in one transaction;
    ``progress(done, total)`` is called after each batch.
    """
    validate(data)
    rows = data["trajectories"]
    if owner is not None:
        for row in rows:
            if row["owner"] != owner.name:
                raise TransferError(
                    _("Trajectory “%(title)s” belongs to another organisation (%(owner)s); import it there.")
                    % {"title": row["title"], "owner": row["owner"]}
                )
    keys = [uuid.uuid4() if as_copy else uuid.UUID(row["key"]) for row in rows]
    file_keys: list[uuid.UUID | None] = [None] * len(keys)
    if not as_copy:
        here = Trajectory.objects.filter(Q(export_key__in=keys) | Q(file_key__in=keys))
        existing = list((here if owner is None else here.filter(owner=owner)).values_list("title", flat=True))
        if existing:
            raise TransferError(
                _("These trajectories already exist here: %(titles)s. Import them as a copy if that is intended.")
                % {"titles": ", ".join(sorted(existing))}
            )
        if len(set(keys)) != len(keys):
            raise TransferError(_("trajectories: every trajectory needs a valid “key”."))
        taken = set(Trajectory.objects.filter(export_key__in=keys).values_list("export_key", flat=True))
        # The trajectory keeps the file's key in its exports (``file_key``), so nothing it shows later tells
        # that the key was taken.
        file_keys = [key if key in taken else None for key in keys]
        keys = [uuid.uuid4() if key in taken else key for key in keys]
    importer = None
    try:
        with transaction.atomic():
            importer = _Importer(data, owner=owner)
            for begin in range(0, len(rows), IMPORT_BATCH):
                end = min(begin + IMPORT_BATCH, len(rows))
                for i in range(begin, end):
                    importer.next_key, importer.next_file_key = keys[i], file_keys[i]
                    fields = {k: v for k, v in rows[i].items() if k != "key"}
                    importer.objects(TRAJECTORY, [fields], "trajectories", None, {}, start=i)
                importer.write()
                if progress is not None:
                    progress(end, len(rows))
    except BaseException as error:
        # The rows are rolled back; the agreement documents already written to storage go as well. Also when
        # the worker is stopped mid-import (gunicorn's timeout raises SystemExit in a sync worker).
        for name in importer.saved_files if importer else []:
            Agreement._meta.get_field("document").storage.delete(name)
        if isinstance(error, DatabaseError):
            raise TransferError(_("The file breaks a rule of the database: %(error)s") % {"error": error}) from None
        raise
    return {"trajectories": importer.imported, **importer.created}
