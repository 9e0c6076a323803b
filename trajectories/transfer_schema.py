"""The schema an import file must meet before anything is written (issue 16, finding 5).

Nothing here lists a field: the shape of the file is read from the export declaration
(``transfer_format.TRANSFER_SPEC``, itself read from trajectories/structure.py) and each value is checked
against the model field it is written to: its type, choices, length (text fields: fii/lib/limits.py),
validators, the range of numbers and dates, and that a reference points at something in the file.

Reading is bounded in two steps (:func:`read_document`): the raw bytes are measured first (size, number of
objects and lists, nesting depth, number of values) with a scan that builds no objects, and only a file
within those limits is parsed. :func:`validate` then walks the parsed file once, in the order the importer
writes it, and raises :class:`TransferError` with the place in the file (``trajectories[0].reviews[2]``)
at the first value that does not fit. The importer converts values with :func:`scalar`, so a value is
read the same way when it is checked and when it is written.

The limits and the worker timeout belong together: ``gunicorn --timeout 60`` (docs/deployment.md). The
demo data (1,457 objects and lists, 0.36 MB) imports in 2.3 s on the 2-core benchmark machine, about
630 objects a second; ``MAX_CONTAINERS`` (20,000) keeps the row work of a file near 30 s, half the
timeout. Agreement documents are large but cheap (a base64 decode and one write each), so the byte limit
is set by them: 50 MB holds three documents of the 10 MB maximum and the data. A larger move between
installations goes through ``manage.py import_trajectories``, which has no worker timeout and reads the
same schema without the size limits.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import itertools
import json
import re
import uuid
from collections.abc import Callable, Iterable
from typing import Any, NoReturn, cast

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from fii.lib.limits import LONG_TEXT
from fii.model import Phase
from organisations.models import Organisation, Person, User

from .models import Review
from .transfer_format import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    MAX_DOCUMENT_BYTES,
    ORGANISATION_FIELDS,
    PERSON_FIELDS,
    TRANSFER_SPEC,
    USER_FIELDS,
    Kind,
    TransferError,
)

__all__ = [
    "MAX_CONTAINERS",
    "MAX_DEPTH",
    "MAX_IMPORT_BYTES",
    "MAX_LIST_ITEMS",
    "MAX_VALUES",
    "read_document",
    "scalar",
    "validate",
]

# See the module's docstring: consistent with a 60 s worker timeout.
MAX_IMPORT_BYTES = 50 * 1024 * 1024
MAX_CONTAINERS = 20_000  # objects and lists in the whole file
MAX_VALUES = 400_000  # values in the whole file (the export writes about five per object)
MAX_DEPTH = 12  # the deepest export (a fidelity observation's scores) nests 9 levels
MAX_LIST_ITEMS = 10_000  # rows in any one list (also on the command line: an organisation's persons fit)
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2200, 12, 31)  # dates a page can still calculate with

TOP_LEVEL = ("format", "version", "organisations", "users", "persons", "trajectories")
# Text may hold tab, line feed and carriage return (a textarea); one-line text none of them. Lone
# surrogates cannot be stored as UTF-8 (PostgreSQL refuses them).
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_CONTROL_IN_LINE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')  # a JSON string, escapes included, without backtracking
_DECIMAL = re.compile(r"-?[0-9]{1,20}(\.[0-9]{1,10})?")
_BASE64_MAX = 4 * ((MAX_DOCUMENT_BYTES + 2) // 3)


# --- reading --------------------------------------------------------------------------------------------


def read_document(raw: bytes, *, bounded: bool = True) -> Any:
    """Parse an export file; with ``bounded`` (uploads) refuse it, before parsing, when it is too large.

    The scan removes the strings (a regular expression, no objects made) and counts what is left: braces
    and brackets are the objects and lists the parser would make, commas the values. Nesting deeper than
    ``MAX_DEPTH`` is refused with or without ``bounded``, so the parser never recurses deeply.
    """
    if bounded and len(raw) > MAX_IMPORT_BYTES:
        raise TransferError(_("The file is larger than %(size)d MB.") % {"size": MAX_IMPORT_BYTES // (1024 * 1024)})
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise TransferError(_("The file is not a JSON export file.")) from None
    skeleton = _STRING.sub(b'""', raw)
    containers = skeleton.count(b"{") + skeleton.count(b"[")
    if bounded and (containers > MAX_CONTAINERS or skeleton.count(b",") + containers > MAX_VALUES):
        raise TransferError(
            _(
                "The file holds more than %(count)d objects, more than one import can process in time. "
                "Export fewer trajectories at a time, or ask the application manager to import it on the "
                "command line."
            )
            % {"count": MAX_CONTAINERS}
        )
    brackets = re.sub(rb"[^\[\]{}]", b"", skeleton)
    steps = (1 if char in b"[{" else -1 for char in brackets)
    if max(itertools.accumulate(steps), default=0) > MAX_DEPTH:
        raise TransferError(_("The file nests objects deeper than an export does."))
    del skeleton, brackets  # only the text and what the parser builds from it stay in memory
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise TransferError(_("The file is not a JSON export file.")) from None


# --- checking -------------------------------------------------------------------------------------------


def _fail(path: str, message: str) -> NoReturn:
    raise TransferError(_("%(path)s: %(message)s") % {"path": path, "message": message})


def _expect(value, expected_type, path: str):
    if not isinstance(value, expected_type) or (expected_type is int and isinstance(value, bool)):
        names = {dict: _("an object"), list: _("a list"), str: _("text"), int: _("a whole number")}
        _fail(path, _("expected %(what)s.") % {"what": names.get(expected_type, expected_type.__name__)})


def _list(value, path: str) -> list:
    _expect(value, list, path)
    if len(value) > MAX_LIST_ITEMS:
        _fail(path, _("more than %(count)d entries.") % {"count": MAX_LIST_ITEMS})
    return value


def _fields(row, path: str, expected: Iterable[str]) -> None:
    _expect(row, dict, path)
    expected = set(expected)
    missing, unknown = expected - set(row), set(row) - expected
    if missing:
        _fail(path, _("missing fields: %(fields)s.") % {"fields": ", ".join(sorted(missing))})
    if unknown:
        # The names come from the file: shown shortened, so a field name cannot flood the page.
        names = ", ".join(sorted(name[:40] for name in unknown)[:10])
        _fail(path, _("unknown fields: %(fields)s.") % {"fields": names})


def _shown(value) -> str:
    """A value from the file in an error message: short, and without control characters."""
    return _CONTROL_IN_LINE.sub("?", str(value)[:60])


def _in_range(value: dt.date, path: str) -> None:
    if not EARLIEST <= value <= LATEST:
        _fail(path, _("a date between %(first)s and %(last)s is expected.") % {"first": EARLIEST, "last": LATEST})


def _phases(value, path: str) -> list[str]:
    """A review's phases: the phases of the FII model, each once (the review page groups its items by them)."""
    _expect(value, list, path)
    if not value or len(value) > len(Phase) or any(not isinstance(v, str) or v not in Phase.values for v in value):
        _fail(path, _("expected a list of phases: %(phases)s.") % {"phases": ", ".join(Phase.values)})
    if len(set(value)) != len(value):
        _fail(path, _("a phase is named twice."))
    return value


# JSON fields hold what their model's code expects; each is declared here, or a file cannot fill it.
JSON_FIELDS: dict[tuple[type[models.Model], str], Callable[[Any, str], Any]] = {(Review, "phases"): _phases}


def scalar(model: type[models.Model], name: str, value, path: str):
    """``value`` from the file as the model field ``name`` stores it; TransferError when it does not fit."""
    model_field = cast(models.Field, model._meta.get_field(name))
    if value is None:
        if not model_field.null:
            _fail(path, _("a value is required."))
        return None
    try:
        if isinstance(model_field, models.DateTimeField):
            _expect(value, str, path)
            if len(value) > 40:
                raise ValueError
            value = dt.datetime.fromisoformat(value)
            if value.tzinfo is None:
                _fail(path, _("a date and time needs a time zone."))
            _in_range(value.date(), path)
        elif isinstance(model_field, models.DateField):
            _expect(value, str, path)
            if len(value) > 10:
                raise ValueError
            value = dt.date.fromisoformat(value)
            _in_range(value, path)
        elif isinstance(model_field, models.DecimalField):
            _expect(value, str, path)
            if not _DECIMAL.fullmatch(value):
                raise ValueError
        elif isinstance(model_field, models.BooleanField):
            if not isinstance(value, bool):
                _fail(path, _("expected true or false."))
        elif isinstance(model_field, models.IntegerField):
            _expect(value, int, path)
            if abs(value) > 2**31 - 1:  # SQLite and PostgreSQL refuse larger numbers at the save
                raise ValueError
        elif isinstance(model_field, models.UUIDField):
            _expect(value, str, path)
            value = uuid.UUID(value)
        elif isinstance(model_field, models.CharField | models.TextField):
            _expect(value, str, path)
            limit = model_field.max_length or LONG_TEXT
            if len(value) > limit:
                _fail(path, _("longer than %(limit)d characters.") % {"limit": limit})
            multiline = isinstance(model_field, models.TextField)
            if (_CONTROL_IN_TEXT if multiline else _CONTROL_IN_LINE).search(value):
                _fail(path, _("contains a control character."))
        elif isinstance(model_field, models.JSONField):
            check = JSON_FIELDS.get((cast(type[models.Model], model._meta.concrete_model), name))
            if check is None:
                _fail(path, _("this field cannot be imported."))
            return check(value, path)
        else:
            _fail(path, _("this field cannot be imported."))
        return model_field.clean(value, None)
    except (ValueError, OverflowError):
        _fail(path, _("not a valid value: %(value)s.") % {"value": _shown(value)})
    except ValidationError as error:
        _fail(path, " ".join(error.messages))


def document_content(value, path: str) -> bytes | None:
    """An agreement's document: base64 of a PDF of at most 10 MB, or null."""
    if value is None:
        return None
    _expect(value, str, path)
    if len(value) > _BASE64_MAX:
        _fail(path, _("the document must be a PDF of at most 10 MB."))
    try:
        content = base64.b64decode(value, validate=True)
    except (ValueError, binascii.Error):
        _fail(path, _("the document is not valid base64."))
    if not content.startswith(b"%PDF") or len(content) > MAX_DOCUMENT_BYTES:
        _fail(path, _("the document must be a PDF of at most 10 MB."))
    return content


class _Checker:
    """One walk over the parsed file in the importer's order; collects the names and keys it may refer to."""

    def __init__(self, data: dict):
        self.organisations: set[str] = set()
        self.users: set[str] = set()
        self.persons: set[int] = set()
        for i, row in enumerate(_list(data["organisations"], "organisations")):
            path = f"organisations[{i}]"
            _fields(row, path, ORGANISATION_FIELDS)
            for name in ORGANISATION_FIELDS:
                scalar(Organisation, name, row[name], f"{path}.{name}")
            self.organisations.add(row["name"])
        for i, row in enumerate(_list(data["users"], "users")):
            path = f"users[{i}]"
            _fields(row, path, USER_FIELDS)
            for name in USER_FIELDS:
                scalar(User, name, row[name], f"{path}.{name}")
            self.users.add(row["email"])
        for i, row in enumerate(_list(data["persons"], "persons")):
            path = f"persons[{i}]"
            _fields(row, path, {"key", *PERSON_FIELDS})
            self._key(row["key"], self.persons, f"{path}.key")
            self._name(row["organisation"], self.organisations, False, f"{path}.organisation", "organisations")
            for name in PERSON_FIELDS:
                if name != "organisation":
                    scalar(Person, name, row[name], f"{path}.{name}")

    @staticmethod
    def _key(value, seen: set, path: str) -> None:
        _expect(value, int, path)
        if value in seen:
            _fail(path, _("key %(key)s is used twice.") % {"key": _shown(value)})
        seen.add(value)

    @staticmethod
    def _name(value, known: set[str], nullable: bool, path: str, listed_in: str) -> None:
        if value is None and nullable:
            return
        _expect(value, str, path)
        if value not in known and listed_in == "users":
            _fail(path, _("user “%(email)s” is not in the list of users.") % {"email": _shown(value)})
        if value not in known:
            _fail(path, _("organisation “%(name)s” is not in the list of organisations.") % {"name": _shown(value)})

    def trajectory(self, row, path: str) -> None:
        _expect(row, dict, path)
        try:
            uuid.UUID(row.get("key") if isinstance(row.get("key"), str) else "")
        except ValueError:
            raise TransferError(_("trajectories: every trajectory needs a valid “key”.")) from None
        fields = {name: value for name, value in row.items() if name != "key"}
        self.rows(TRANSFER_SPEC, [fields], path, {}, single_path=True)

    def rows(self, kind: Kind, rows, path: str, keys: dict[str, set], *, single_path: bool = False) -> None:
        if kind.single:
            if rows is None:
                return
            rows = [rows]
        _list(rows, path)
        keys[kind.name] = set()
        expected = {*kind.fields, *(child.name for child in kind.children)} | ({"key"} if kind.keyed else set())
        for i, row in enumerate(rows):
            here = path if kind.single or single_path else f"{path}[{i}]"
            _fields(row, here, expected)
            for name in kind.fields:
                self.value(kind, name, row[name], f"{here}.{name}", keys)
            if kind.keyed:
                self._key(row["key"], keys[kind.name], f"{here}.key")
            for child in kind.children:
                self.rows(child, row[child.name], f"{here}.{child.name}", keys)

    def value(self, kind: Kind, name: str, value, path: str, keys: dict[str, set]) -> None:
        model_field = kind.model._meta.get_field(name)
        if name in kind.refs:
            targets = keys.get(kind.refs[name], set())
            values = _list(value, path) if model_field.many_to_many else [value]
            if model_field.many_to_many and len(set(map(repr, values))) != len(values):
                _fail(path, _("a key is named twice."))
            for v in values:
                if v is None and not model_field.many_to_many and model_field.null:
                    continue
                _expect(v, int, path)
                if v not in targets:
                    _fail(
                        path,
                        _("refers to key %(key)s, which is not in “%(list)s”.")
                        % {"key": _shown(v), "list": kind.refs[name]},
                    )
        elif model_field.many_to_many or model_field.is_relation:
            related = model_field.related_model
            known: set[str] | None = None
            listed_in = ""
            if related is User:
                known, listed_in = self.users, "users"
            elif related is Organisation:
                known, listed_in = self.organisations, "organisations"
            if related is Person:
                _expect(value, int, path)
                if value not in self.persons:
                    _fail(path, _("refers to person %(key)s, who is not in “persons”.") % {"key": _shown(value)})
            elif known is None:
                _fail(path, _("this field cannot be imported."))
            elif model_field.many_to_many:
                for v in _list(value, path):
                    self._name(v, known, False, path, listed_in)
            else:
                self._name(value, known, model_field.null, path, listed_in)
        elif isinstance(model_field, models.FileField):
            document_content(value, path)
        else:
            scalar(kind.model, name, value, path)


def _upgrade_from_4(data: dict) -> None:
    """Version 4 differs from 5 in one field: a strategy taken up always went to an action, so ``milestone`` is
    absent; it is added as null wherever ``uptakes`` are listed, and the file is read as version 5."""

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "uptakes" and isinstance(value, list):
                    for uptake in value:
                        if isinstance(uptake, dict):
                            uptake.setdefault("milestone", None)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data.get("trajectories"))
    data["version"] = EXPORT_VERSION


# Older versions this installation still reads, each with the step that brings a file to the next version.
UPGRADES = {4: _upgrade_from_4}


def validate(data: Any) -> None:
    """Check the whole parsed file against the schema; TransferError (in the active language) when it fails.

    A file of an older version that ``UPGRADES`` knows is brought up to the current version first (in place)."""
    _fields(data, _("the file"), TOP_LEVEL)
    if data["format"] != EXPORT_FORMAT:
        raise TransferError(_("This is not a “%(format)s” export.") % {"format": EXPORT_FORMAT})
    while not isinstance(data["version"], bool) and data["version"] in UPGRADES:
        UPGRADES[data["version"]](data)
    if data["version"] != EXPORT_VERSION or isinstance(data["version"], bool):
        raise TransferError(
            _("Version %(found)s of the export format is not supported; this installation reads version %(version)s.")
            % {"found": _shown(data["version"]), "version": EXPORT_VERSION}
        )
    checker = _Checker(data)
    for i, row in enumerate(_list(data["trajectories"], "trajectories")):
        checker.trajectory(row, f"trajectories[{i}]")
