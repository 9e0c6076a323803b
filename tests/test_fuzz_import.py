"""Issue 16, finding 5: generated malformed export files posted to the import form never answer 5xx, and a
refused file writes nothing (no rows, no files).

Each example takes a valid export of a small trajectory (a person, a review with items, an action, a
milestone, a signed agreement) and breaks it: one value anywhere in the file is replaced by deep nesting,
text with NUL, control characters or lone surrogates, a wrong type, a list where a reference belongs, a huge
or non-finite number or an impossible date; or a field is removed or added; or the bytes are cut or
corrupted. A file that is still valid after the change is imported, and its pages must answer too.

Bounded: ``max_examples`` below keeps the test under 30 s on one core (measured: see the commit).
"""

import copy
import json

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from organisations.models import Organisation, Person, User
from tests.trajectories.test_transfer import _rich, _state, _upload
from trajectories.models import Trajectory
from trajectories.services import trajectories_export

EXAMPLES = 50


def _paths(node, here=()):
    """Every place in the file a value sits, the root's own keys included."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*here, key)
            yield from _paths(value, (*here, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield (*here, i)
            yield from _paths(value, (*here, i))


def _nested(depth: int, inner):
    for _ in range(depth):
        inner = [inner]
    return inner


hostile_text = st.one_of(
    st.text(alphabet=st.characters(codec=None, categories=None), max_size=20),
    st.sampled_from(["\x00", "a\x00b", "\x1b[31m", "\ud800", "\u202egnp.exe", "regel\r\nX: ja", "", " "]),
    st.builds(lambda unit, n: unit * n, st.sampled_from(["x", "漢", "😀"]), st.integers(200, 20_000)),
)
hostile_value = st.one_of(
    hostile_text,
    st.integers(min_value=-(10**40), max_value=10**40),
    st.sampled_from([10**30, -1, 0, 2**31, 2**63, 1.5, float("inf"), float("nan"), True, False, None]),
    st.sampled_from(["2026-02-30", "9999-12-31", "0001-01-01", "31-12-2026", "2026-01-01T10:00:00", "x" * 50]),
    st.builds(_nested, st.integers(1, 3_000), st.sampled_from([[], {}, "x", 1])),
    st.lists(st.integers(-2, 1_000), max_size=5),  # a list where a reference belongs
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


@pytest.fixture
def base_file(trajectory):
    _rich(trajectory)
    return trajectories_export(trajectories=Trajectory.objects.filter(pk=trajectory.pk))


def _mutated(data, base) -> bytes:
    doc = copy.deepcopy(base)
    how = data.draw(st.sampled_from(["replace", "replace", "replace", "remove", "add", "bytes"]), label="how")
    if how == "bytes":
        raw = json.dumps(doc).encode()
        at = data.draw(st.integers(0, len(raw) - 1), label="at")
        damage = data.draw(st.sampled_from([b"", b"\x00", b"\xff\xfe", b"[", b"}", b"\\u0000"]), label="damage")
        return raw[:at] + damage + (raw[at:] if damage else b"")
    path = data.draw(st.sampled_from(list(_paths(doc))), label="path")
    *parent_path, last = path
    parent = doc
    for step in parent_path:
        parent = parent[step]
    if how == "replace":
        parent[last] = data.draw(hostile_value, label="value")
    elif how == "remove":
        del parent[last]
    elif isinstance(parent, dict):
        parent[data.draw(st.text(min_size=1, max_size=8), label="key")] = data.draw(hostile_value, label="value")
    else:
        parent.append(data.draw(hostile_value, label="value"))
    return json.dumps(doc).encode()


@pytest.mark.django_db
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_malformed_import_files_never_answer_5xx_and_refusals_write_nothing(
    data, client, beheerder, trajectory, base_file, settings
):
    client.force_login(beheerder)
    content = _mutated(data, base_file)
    before = _state(settings)
    known = set(Trajectory.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("trajectories:organisation_import", args=[trajectory.owner_id]),
        {"file": _upload(content), "as_copy": "on"},
    )
    assert response.status_code < 500
    event(f"answer {response.status_code}")
    if response.status_code == 400:
        assert _state(settings) == before
        return
    assert response.status_code == 302  # still a valid file: imported, and its pages work
    for imported in Trajectory.objects.exclude(pk__in=known):
        assert client.get(reverse("trajectories:detail", args=[imported.pk])).status_code == 200
        for review in imported.reviews.all():
            assert client.get(reverse("trajectories:review", args=[imported.pk, review.pk])).status_code == 200
    assert not Person.objects.exclude(organisation=trajectory.owner).exists()
    assert User.objects.filter(memberships__isnull=True).count() == 0
    assert Organisation.objects.filter(name__iexact="gemeente testdam").count() == 1
