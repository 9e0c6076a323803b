"""Issue 21, the import likewise: an import writes with a number of statements that depends on the number of
models (and batches), not on the number of trajectories or objects, and still does what save() did for each row."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organisations.models import AuditEvent, Organisation, Person
from tests.factories import OrganisationFactory, UserFactory, make_trajectory
from tests.trajectories.test_transfer import _rich, demo  # noqa: F401 (a fixture)
from trajectories import services, visibility
from trajectories.models import Agreement, Review, Stakeholder, Trajectory
from trajectories.services import (
    trajectories_export,
    trajectories_export_json,
    trajectories_import,
    transfer,
    transfer_kinds,
)

pytestmark = pytest.mark.django_db


def _ancestors(kind, path=()):
    """(kind, its ancestors from the trajectory down) for every kind of the declaration, in declaration order."""
    yield kind, path
    for child in kind.children:
        yield from _ancestors(child, (*path, kind))


def test_every_reference_points_at_a_list_declared_and_so_written_before_it():
    """The import writes the kinds in declaration order; a reference must find its row already written.

    For every reference of every kind: each list of that name (names repeat: "items", "ratings") comes before
    the referring kind in declaration order, whichever of them the walk of the file read last; the one it means
    is keyed, of the field's model, and a child of the referring kind's parent or of an ancestor of it, so the
    file's scoping (a list read afresh per enclosing object) can reach it."""
    order = [kind for kind, _path in _ancestors(transfer.TRAJECTORY)]
    assert [k.model for k in order] == [k.model for k in transfer_kinds()]
    assert len({k.model for k in order}) == len(order)  # the import groups what it reads by model
    position = {id(k): i for i, k in enumerate(order)}
    checked = 0
    for kind, path in _ancestors(transfer.TRAJECTORY):
        for field_name, target in kind.refs.items():
            named = [k for k in order if k.name == target]
            assert named, (kind.name, field_name)
            assert all(position[id(k)] < position[id(kind)] for k in named), (kind.name, field_name, target)
            related = kind.model._meta.get_field(field_name).related_model
            reachable = [k for ancestor in path for k in ancestor.children if k.name == target]
            assert any(k.keyed and k.model is related for k in reachable), (kind.name, field_name, target)
            checked += 1
    assert checked == sum(len(k.refs) for k in transfer_kinds()) > 10


def _statements(data, owner) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        result = trajectories_import(data=data, as_copy=True, owner=owner)
    return len(queries), result


def test_importing_6_trajectories_takes_as_many_statements_as_2(municipality, bewerker, trajectory):
    rich = [_rich(trajectory)] + [
        _rich(make_trajectory(owner=municipality, by=bewerker, title=f"Traject {n}")) for n in range(5)
    ]
    two = trajectories_export(trajectories=Trajectory.objects.filter(pk__in=[t.pk for t in rich[:2]]))
    six = trajectories_export(trajectories=Trajectory.objects.filter(pk__in=[t.pk for t in rich]))
    assert len(six["persons"]) == 6 and len(six["trajectories"]) == 6
    statements_two, result = _statements(two, municipality)
    assert len(result["trajectories"]) == 2
    statements_six, result = _statements(six, municipality)
    assert len(result["trajectories"]) == 6
    assert statements_six == statements_two
    # Bounded by the declaration: a few statements per model (INSERT, history, timestamps, many-to-many rows).
    assert statements_two < 4 * len(list(transfer_kinds())) + 30


def test_from_the_command_line_organisations_and_users_of_the_installation_are_found_at_once(
    six_with_their_own_candidate_and_author,
):
    """Without an owner (``import_trajectories``) every trajectory here names its own candidate organisation and
    author: they are found by name and e-mail address with one query each, so 6 cost what 2 cost."""
    two, six = six_with_their_own_candidate_and_author
    assert len(six["organisations"]) == 7 and len(six["users"]) >= 6
    with CaptureQueriesContext(connection) as two_queries:
        trajectories_import(data=two, as_copy=True)
    with CaptureQueriesContext(connection) as six_queries:
        result = trajectories_import(data=six, as_copy=True)
    assert len(six_queries) == len(two_queries)
    assert result["organisations"] == result["users"] == 0  # all found, none made
    copies = Trajectory.objects.filter(pk__in=[t.pk for t in result["trajectories"]])
    assert {c.candidates.get().organisation.name for c in copies} == {f"Kandidaat {n}" for n in range(6)}
    assert {c.created_by.email for c in copies} == {f"auteur{n}@example.org" for n in range(6)}


@pytest.fixture
def six_with_their_own_candidate_and_author(municipality):
    """Six trajectories, each naming a candidate organisation and an author of its own, exported by two and by six."""
    rich = []
    for n in range(6):
        author = UserFactory(email=f"auteur{n}@example.org", full_name=f"Auteur {n}")
        trajectory = make_trajectory(owner=municipality, by=author, title=f"Traject {n}")
        services.candidate_add(
            trajectory=trajectory, by=author, organisation=OrganisationFactory(name=f"Kandidaat {n}")
        )
        rich.append(_rich(trajectory))
    two = trajectories_export(trajectories=Trajectory.objects.filter(pk__in=[t.pk for t in rich[:2]]))
    six = trajectories_export(trajectories=Trajectory.objects.filter(pk__in=[t.pk for t in rich]))
    return two, six


def _unknown_here(data: dict, tag: str) -> dict:
    """The file with its candidates and authors renamed, so this installation knows none of them."""
    text = json.dumps(data).replace("Kandidaat ", f"Kandidaat {tag} ").replace("@example.org", f"@{tag}.example.org")
    return json.loads(text)


def test_from_the_command_line_new_organisations_and_users_are_created_at_once(
    six_with_their_own_candidate_and_author,
):
    """Each trajectory names a candidate organisation and an author the installation lacks: they are created with
    one INSERT per model (plus history and audit), so 6 new ones of each cost what 2 cost."""
    two, six = six_with_their_own_candidate_and_author
    two, six = _unknown_here(two, "a"), _unknown_here(six, "b")
    statements_two, result_two = _statements(two, None)
    statements_six, result_six = _statements(six, None)
    assert (result_two["organisations"], result_six["organisations"]) == (2, 6)
    assert result_two["users"] >= 2 and result_six["users"] >= 6
    assert statements_six == statements_two
    copies = Trajectory.objects.filter(pk__in=[t.pk for t in result_six["trajectories"]])
    assert {c.candidates.get().organisation.name for c in copies} == {f"Kandidaat b {n}" for n in range(6)}
    authors = [c.created_by for c in copies]
    assert {a.email for a in authors} == {f"auteur{n}@b.example.org" for n in range(6)}
    assert all(not a.is_active and not a.has_usable_password() and a.full_name.startswith("Auteur") for a in authors)
    # What save() gave each: a "created" history row for an organisation, a "create" audit event for both.
    made = Organisation.objects.filter(name__startswith="Kandidaat b ")
    assert all(o.history_records.filter(history_type="+").count() == 1 for o in made)
    for label, ids in (("organisations.Organisation", made), ("organisations.User", authors)):
        events = AuditEvent.objects.filter(object_type=label, action="create", detail="import")
        assert set(events.values_list("object_id", flat=True)) >= {str(o.pk) for o in ids}


def test_from_the_form_new_candidate_organisations_are_created_at_once(
    municipality, six_with_their_own_candidate_and_author
):
    """From an organisation's form, a candidate organisation the installation lacks is created (by name, as the
    shortlist does) with the others of its batch: 6 cost what 2 cost."""
    two, six = six_with_their_own_candidate_and_author
    two, six = _unknown_here(two, "a"), _unknown_here(six, "b")
    statements_two, result_two = _statements(two, municipality)
    statements_six, result_six = _statements(six, municipality)
    assert (result_two["organisations"], result_six["organisations"]) == (2, 6)
    assert statements_six == statements_two
    copies = Trajectory.objects.filter(pk__in=[t.pk for t in result_six["trajectories"]])
    assert {c.candidates.get().organisation.name for c in copies} == {f"Kandidaat b {n}" for n in range(6)}


def test_a_second_batch_costs_another_round_and_progress_is_reported_per_batch(
    municipality, bewerker, trajectory, monkeypatch
):
    for n in range(4):
        make_trajectory(owner=municipality, by=bewerker, title=f"Traject {n}")
    data = trajectories_export(trajectories=Trajectory.objects.filter(owner=municipality))
    assert len(data["trajectories"]) == 5
    monkeypatch.setattr(transfer, "IMPORT_BATCH", 2)
    steps = []
    result = trajectories_import(data=data, as_copy=True, owner=municipality, progress=lambda *s: steps.append(s))
    assert steps == [(2, 5), (4, 5), (5, 5)]
    assert len(result["trajectories"]) == 5


def _without_keys(text: str) -> dict:
    data = json.loads(text)
    for row in data["trajectories"]:
        row.pop("key")
    return data


def test_export_import_as_a_copy_export_gives_the_same_document(demo, monkeypatch):  # noqa: F811 (the fixture)
    """Every kind of object (the demo data has them all), several trajectories to a batch and more than one
    batch: references between siblings (an action to its review, item and milestone, a score to its checklist's
    item) land on the copies of the same rows, never on the rows of another trajectory in the batch."""
    monkeypatch.setattr(transfer, "IMPORT_BATCH", 3)
    originals = list(Trajectory.objects.order_by("pk").values_list("pk", flat=True))
    assert len(originals) > 3
    first = trajectories_export_json(trajectories=Trajectory.objects.filter(pk__in=originals))
    result = trajectories_import(data=json.loads(first), as_copy=True)
    copies = [t.pk for t in result["trajectories"]]
    assert len(copies) == len(originals) and not set(copies) & set(originals)
    again = trajectories_export_json(trajectories=Trajectory.objects.filter(pk__in=copies))
    assert _without_keys(again) == _without_keys(first)
    assert json.loads(again)["trajectories"][0]["key"] != json.loads(first)["trajectories"][0]["key"]


def test_an_import_does_what_save_did_for_every_row(municipality, bewerker, trajectory, beheerder, settings):
    """History, the visibility table, the audit log, many-to-many rows, the file's timestamps and the document."""
    _rich(trajectory)
    review = trajectory.reviews.get()
    review.attendees.set([bewerker])
    review.stakeholders_present.set(trajectory.stakeholders.all())
    data = trajectories_export(trajectories=Trajectory.objects.filter(pk=trajectory.pk))
    last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    result = trajectories_import(data=data, as_copy=True, owner=municipality)
    (copy,) = result["trajectories"]
    # Who sees it: the owner's row in the visibility table, nothing missing or left over.
    assert visibility.differences([copy.pk]) == ({}, {}, {})
    assert visibility.visible_ids([municipality.pk]).filter(trajectory_id=copy.pk).exists()
    # "Created" history rows, as save() wrote them.
    assert copy.history_records.filter(history_type="+").count() == 1
    stakeholder = Stakeholder.objects.get(trajectory=copy)
    assert stakeholder.history_records.filter(history_type="+").count() == 1
    assert stakeholder.person.history_records.filter(history_type="+").count() == 1
    # The file's times, not the time of the import.
    original = Trajectory.objects.get(pk=trajectory.pk)
    stored = Trajectory.objects.get(pk=copy.pk)
    assert (stored.created_at, stored.updated_at) == (original.created_at, original.updated_at)
    # Many-to-many rows: the attendee (a member of the owner) and the stakeholder present, the copy's own.
    copied_review = Review.objects.get(trajectory=copy)
    assert list(copied_review.attendees.all()) == [bewerker]
    assert list(copied_review.stakeholders_present.all()) == [stakeholder]
    # The document, stored under the copy's own folder.
    agreement = Agreement.objects.get(trajectory=copy)
    assert agreement.document.name.startswith(f"agreements/{copy.pk}/")
    assert agreement.document.read() == Agreement.objects.get(trajectory=trajectory).document.read()
    # The audit log: one "create" event for the trajectory (under its owner) and one per person, no more.
    events = AuditEvent.objects.filter(pk__gt=last_event)
    made = sorted((e.object_type, e.action, e.organisation_id) for e in events)
    assert made == [
        ("organisations.Person", "create", municipality.pk),
        ("trajectories.Trajectory", "create", municipality.pk),
    ]
    assert Person.objects.filter(organisation=municipality, name="Wethouder Willemijn").count() == 2
