"""The declaration of the trajectory (trajectories/structure.py): complete, and read by every consumer.

One guard replaces the five lists that each consumer used to keep: the page cache, the history pages, the
audit log, retention and the transfer format all read the same declaration.
"""

import dataclasses

import pytest
from django.apps import apps

from organisations import audit
from organisations.models import Person
from trajectories import models as m
from trajectories import retention, revisions, structure
from trajectories.history.registry import SLUG_OF
from trajectories.transfer_format import transfer_kinds


def test_the_declaration_decides_every_model_and_field():
    assert structure.problems() == []


def _without(part: structure.Part, model) -> structure.Part:
    children = tuple(_without(child, model) for child in part.children if child.model is not model)
    return dataclasses.replace(part, children=children)


def _changed(part: structure.Part, model, **changes) -> structure.Part:
    if part.model is model:
        return dataclasses.replace(part, **changes)
    return dataclasses.replace(part, children=tuple(_changed(child, model, **changes) for child in part.children))


@pytest.mark.parametrize(
    ("declaration", "complaint"),
    [
        (lambda: _without(structure.TRAJECTORY, m.Contact), "Contact is neither a Part of the trajectory"),
        (
            lambda: _changed(structure.TRAJECTORY, m.Contact, fields="date kind note created_by"),
            "Contact: export or leave out ['created_at']",
        ),
        (
            lambda: _changed(structure.TRAJECTORY, m.Contact, personal=""),
            "Contact: classify ['note'] as personal or kept",
        ),
        (
            lambda: _changed(structure.TRAJECTORY, m.Contact, history=""),
            "Contact: a tracked part needs a history slug",
        ),
        (
            lambda: _changed(structure.TRAJECTORY, m.Contact, parent="created_by"),
            "Contact.created_by is not a foreign key to Stakeholder",
        ),
    ],
    ids=["model missing", "field undecided", "text field unclassified", "history page missing", "wrong parent"],
)
def test_the_guard_fails_when_the_declaration_misses_something(declaration, complaint):
    found = structure.problems(declaration())
    assert any(problem.startswith(complaint) for problem in found), found


def _part_models():
    return {part.model for part in structure.parts()}


CONSUMERS = {
    # The page cache raises the revision of the trajectory on a write to any of its parts.
    "cache": lambda: (
        set(revisions.PATHS) == _part_models()
        and revisions.PATHS[m.ReviewItem][-1].related_model is m.Trajectory
        and {model.__name__ for model in revisions.rendered_models()} - {model.__name__ for model in revisions.PATHS}
        == revisions.NOT_RENDERED
    ),
    # Every tracked part (and a person, through the stakeholders) has a history page.
    "history": lambda: set(SLUG_OF) == {p.model for p in structure.parts() if p.history} | {Person},
    # The audit log files an event about a part under the trajectory's giving organisation.
    "audit": lambda: (
        structure.audit_organisation in audit._organisation_resolvers
        and all(structure.audit_organisation(part.model()) is not None for part in structure.parts())
    ),
    # Retention anonymises the personal text fields of every part that has them.
    "retention": lambda: (
        {model: rule.fields for model, rule in retention.PERSONAL.items()}
        == {p.model: tuple(p.personal.split()) for p in structure.parts() if p.personal}
    ),
    # The transfer format exports every part, nested as declared.
    "transfer": lambda: [kind.model for kind in transfer_kinds()] == [part.model for part in structure.parts()],
}


@pytest.mark.parametrize("consumer", CONSUMERS)
def test_every_consumer_reads_the_declaration(consumer):
    assert CONSUMERS[consumer]()


def test_a_path_leads_from_every_part_to_its_trajectory():
    for part in structure.parts():
        path = structure.path(part.model)
        assert (path[-1].related_model if path else part.model) is m.Trajectory, part.model.__name__
    assert structure.trajectory_lookup(m.FidelityScore) == "observation__checklist__trajectory_id"
    assert apps.get_model("trajectories", "CalendarToken") not in _part_models()
