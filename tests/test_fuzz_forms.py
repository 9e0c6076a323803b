"""Issue 16: generated hostile values posted to every form of the permission matrix never answer 5xx,
and a refused submission (400) changes nothing.

Values: very long text, NUL and other control characters, bidi overrides, huge and odd numbers, impossible
dates, empty strings, and the matrix's own valid values. The fields of a form are read from its page (every
``name="…"`` on it) and from the matrix's POST bodies. Bounded: a Hypothesis test per form with a
few examples per form and no deadline, so it runs in the normal suite in about a minute.
"""

import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from organisations.models import AuditEvent
from trajectories.models import Trajectory

from .test_permissions import MATRIX, POST_DATA, WRITES

NOT_FORMS = {"logout", "login", "set_language"}  # no data of the application behind them
# Pages every reader opens that also take a POST from editors (the view asks for more only on POST).
READ_PAGES_WITH_A_FORM = {
    "organisations:detail",
    "trajectories:training",
    "trajectories:checklist",
    "trajectories:checklist_item",
    "trajectories:report_backs",
    "trajectories:actions",
    "trajectories:action",
    "trajectories:implementability",
    "trajectories:cfir_list",
    "trajectories:shortlist",
    "trajectories:agreement",
}
FORMS = sorted(
    name
    for name, (_args, method, expected) in MATRIX.items()
    if name not in NOT_FORMS
    and (method == "post" or expected.get("lezer") == 403 or name in READ_PAGES_WITH_A_FORM)
    and not name.endswith(("_pdf", "export", "_csv", "_xlsx", "feed", "document"))
)
FIELD = re.compile(r'name="([A-Za-z0-9_\-]+)"')
SKIP_FIELDS = {"csrfmiddlewaretoken", "next"}

hostile_text = st.one_of(
    st.builds(
        lambda unit, n: unit * n, st.sampled_from(["a", "é", "漢", "x ", "\u202e", "😀"]), st.integers(1, 12_000)
    ),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "\x01\x02\x1b[31m",
            "regel\r\nX-INJECT: ja",
            "\u202egnp.exe\u202c",
            "\u2028\u2029",
            "<script>alert(1)</script>",
            "'; DROP TABLE trajectories_trajectory; --",
        ]
    ),
    st.text(min_size=0, max_size=50),
)
hostile_number = st.sampled_from(
    ["9" * 40, "-1", "0", "1e309", "NaN", "-9223372036854775809", "1.5", "0x10", "٣", "1,5", "999999999999"]
)
hostile_date = st.sampled_from(
    ["2026-02-30", "31-12-2026", "0000-00-00", "9999-12-31", "0001-01-01", "gisteren", "2026-13-01"]
)
hostile_value = st.one_of(hostile_text, hostile_number, hostile_date)

_fields: dict[str, list[str]] = {}
_urls: dict[tuple, str] = {}


def _form_fields(client, name: str, url: str, method: str) -> list[str]:
    if name not in _fields:
        names = set(POST_DATA.get(name, {})) | set(WRITES.get(name, (None, {}))[1])
        if method == "get":
            response = client.get(url)
            if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
                names |= set(FIELD.findall(response.content.decode()))
        _fields[name] = sorted(names - SKIP_FIELDS)
    return _fields[name]


def _fingerprint() -> tuple:
    changes = AuditEvent.objects.filter(
        action__in=[AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE, AuditEvent.Action.DELETE],
        result=AuditEvent.Result.SUCCESS,
    ).count()
    trajectories = tuple(Trajectory.objects.order_by("pk").values_list("pk", "version", "title", "current_phase"))
    return changes, trajectories


@pytest.mark.django_db
@pytest.mark.parametrize("name", FORMS)
@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
@given(data=st.data())
def test_hostile_values_in_every_form_never_answer_5xx_and_refusals_change_nothing(name, data, client, world):
    trajectory, personas = world
    beheerder = personas["beheerder"]  # all personas exist: some URLs point at a lezer's membership
    args_for, method, _expected = MATRIX[name]
    # The objects behind the URL are made once per test, not per example: a second builder call can clash
    # with what the first example changed (a removed member, a team member added twice).
    key = (name, id(trajectory))
    if key not in _urls:
        _urls[key] = reverse(name, args=args_for(trajectory) if args_for else None)
    url = _urls[key]
    client.force_login(beheerder)
    fields = _form_fields(client, name, url, method)
    valid = {**POST_DATA.get(name, {}), **WRITES.get(name, (None, {}))[1]}
    body = {}
    for field in fields:
        if data.draw(st.booleans(), label=f"hostile {field}") or field not in valid:
            body[field] = data.draw(hostile_value, label=field)
        else:
            body[field] = valid[field]
    before = _fingerprint()
    response = client.post(url, body)
    assert response.status_code < 500, f"{name}: {response.status_code}"
    if response.status_code == 400:
        assert _fingerprint() == before, f"{name} changed data while refusing the submission"


def test_the_fuzzed_forms_cover_the_matrix():
    assert len(FORMS) > 40
    assert {"trajectories:edit", "trajectories:participant_add", "trajectories:stakeholder_add"} <= set(FORMS)
