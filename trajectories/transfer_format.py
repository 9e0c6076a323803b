"""The ``fii-trajectories`` export format: which models and fields travel, how, and what is left out on purpose.

The format is documented in docs/export-format.md. Objects refer to each other by stable export keys,
never by database ids: organisations by name, users by e-mail address, persons and objects inside a
trajectory by their position in the file, a trajectory by its ``export_key``. Lists are in database
order (primary key) and an import creates rows in file order, so export → import into an empty
database → export gives the same bytes.

``TRANSFER_SPEC`` lists, per model, every field that is exported and every field that is deliberately
left out (with the reason); it is read from the declaration of the trajectory in trajectories/structure.py.
tests/trajectories/test_structure.py fails when a model or field is in neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

from organisations.models import Organisation, Person, User

from . import structure
from .structure import PARENT, Part

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
EXPORT_VERSION = 5  # 2: CFIR version, candidate, review flag; open points of a transition (issue 19)
# 3: a candidate's financing_need and financing_note; "financiering" is no longer a rating criterion (issue 19)
# 4: actions carry a key; a CFIR rating's strategies taken up (``uptakes``) refer to them; indicators with their
# measurements, the fidelity threshold, an observation's professional (issue 22)
# 5: a strategy taken up goes to an action or to a milestone (``uptakes``: ``milestone``, ``action`` may be null)
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024  # the same limit as the upload form


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


def _kind(part: Part) -> Kind:
    """A part of the trajectory (trajectories/structure.py) as it appears in the file."""
    left_out = {part.parent: PARENT} if part.parent else {}
    left_out.update(part.left_out)
    return Kind(
        model=part.model,
        name=part.name,
        fields=tuple(part.fields.split()),
        parent=part.parent,
        left_out=left_out,
        refs=dict(part.refs),
        keyed=part.keyed,
        single=part.single,
        children=tuple(_kind(child) for child in part.children),
    )


ORGANISATION_FIELDS = ("name", "kind", "financing")
USER_FIELDS = ("email", "full_name")
PERSON_FIELDS = ("organisation", "name", "function", "employer", "email", "phone", "erased_at", "created_at")

TRANSFER_SPEC = _kind(structure.TRAJECTORY)

# Models of the trajectories app that are not part of a trajectory, and why.
LEFT_OUT_MODELS = {
    entry.model.__name__: entry.reason for entry in structure.OUTSIDE if entry.model._meta.app_label == "trajectories"
}
# Fields of the referenced organisations, users and persons that are left out, and why.
LEFT_OUT_FIELDS = {
    Organisation: {
        "created_at": "local to the installation; an existing organisation is reused as it is",
        "retention_months": "a setting of the receiving installation's organisation",
        "fidelity_threshold": "a team setting of the receiving installation's organisation; a trajectory carries "
        "its own threshold in its quality monitoring",
        "version": "edit counter against lost updates of the organisation's settings; local to the installation",
    },
    User: {
        "password": "secret; imported users get no usable password",
        "last_login": "local to the installation",
        "is_superuser": "rights are given by the receiving installation",
        "is_staff": "rights are given by the receiving installation",
        "is_active": "imported users are created inactive",
        "date_joined": "local to the installation",
        "session_epoch": "sessions are local to the installation",
        "language": "a preference the account holder sets on the receiving installation",
        "unread_notifications": "counts this installation's notifications, which are not exported",
        "groups": "rights are given by the receiving installation",
        "user_permissions": "rights are given by the receiving installation",
    },
    Person: {"version": "edit counter against lost updates; starts again at 1 in the receiving installation"},
}


def transfer_kinds(kind: Kind | None = None):
    """Every kind of object in a trajectory, the trajectory first."""
    kind = kind or TRANSFER_SPEC
    yield kind
    for child in kind.children:
        yield from transfer_kinds(child)
