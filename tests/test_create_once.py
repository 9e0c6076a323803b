"""Idempotent creates (issue 16, finding 6): a retried form submission does not create a second time.

Every create view is enumerated here against the URL patterns, carries ``@create_once``, and its form carries
the one-time token; a retry with the same token is sent to the first result.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse
from django.utils import timezone

from organisations.models import AuditEvent, FormSubmission
from organisations.submissions import TOKEN_FIELD, is_create_once, new_token
from tests.factories import OrganisationFactory
from tests.test_permissions import MATRIX, all_url_names
from trajectories import services
from trajectories.models import Action, Milestone

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# URL name → what its POST creates. A retry of any of these must not create twice.
CREATES = {
    "trajectories:create": "a trajectory",
    "trajectories:review_start": "a review",
    "trajectories:review_finalise": "a finalisation (review event)",
    "trajectories:review_reopen": "a re-opening (review event)",
    "trajectories:review_item": "an action from the meeting table (op=action_add; lights and notes are updates)",
    "trajectories:actions": "an action",
    "trajectories:plan_task_create": "an action of the plan",
    "trajectories:milestone_create": "a milestone",
    "trajectories:shortlist": "a candidate",
    "trajectories:talk_create": "a talk with a candidate",
    "trajectories:agreement": "the agreement",
    "trajectories:people_change_create": "a change of people",
    "trajectories:stakeholder_add": "a stakeholder (and a person)",
    "trajectories:contact_add": "a contact moment (a note about a stakeholder)",
    "trajectories:report_backs": "a report-back",
    "trajectories:team_member_add": "a team member",
    "trajectories:training": "a training activity",
    "trajectories:professional_create": "a professional",
    "trajectories:fidelity_create": "a fidelity checklist",
    "trajectories:feedback_create": "a feedback moment",
    "trajectories:evaluation_create": "an evaluation",
    "trajectories:improvement_create": "an improvement",
    "trajectories:implementability": "an implementability assessment",
    "trajectories:cfir_list": "a CFIR assessment",
    "trajectories:cfir_strategy_take_up": "an action or milestone for a CFIR barrier, with the strategy",
    "trajectories:indicator_create": "an indicator",
    "trajectories:measurement_create": "a measurement of an indicator",
    "trajectories:indicator_suggest": "an indicator from a suggestion of the handreiking",
    "trajectories:booster_action": "a booster action when fidelity falls below the threshold",
    "trajectories:checklist": "a checklist item",
    "trajectories:template": "a template checklist item",
    "trajectories:organisation_import": "imported trajectories",
    "trajectories:first_beheerder_invite": "an invitation",
    "organisations:detail": "an invitation",
}

# Names that sound like a create but are not one, and why a retry of them is harmless.
NOT_CREATES = {
    "trajectories:participant_add": "adds an organisation to a set: a second add changes nothing",
    "trajectories:checklist_fill": "copies the template once under a row lock (test_concurrency.py)",
    "trajectories:milestone_edit": "an edit, conflict-safe",
    "trajectories:team_member": "an edit, conflict-safe",
    "trajectories:stakeholder": "an edit, conflict-safe",
}

SOUNDS_LIKE_A_CREATE = re.compile(r"(create|add|nieuw|new|start|finalise|reopen|import|invite|record)")


def views_by_name(resolver=None, namespace=""):
    from django.urls import URLPattern, URLResolver

    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            yield from views_by_name(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def view_of(name: str):
    return dict(views_by_name())[name]


def test_every_create_view_is_guarded_against_retries():
    names = {name for name in all_url_names() if not name.startswith("admin:")}
    assert set(CREATES) <= names, sorted(set(CREATES) - names)
    unguarded = [name for name in CREATES if not is_create_once(view_of(name))]
    assert not unguarded, f"Decorate these create views with @create_once: {unguarded}"
    unlisted = [
        name
        for name in sorted(names)
        if SOUNDS_LIKE_A_CREATE.search(name.rpartition(":")[2]) and name not in CREATES and name not in NOT_CREATES
    ]
    assert not unlisted, f"Is this a create view? List it in CREATES (and guard it) or NOT_CREATES: {unlisted}"
    stray = [name for name in sorted(names) if is_create_once(view_of(name)) and name not in CREATES]
    assert not stray, f"Guarded but not listed as a create view: {stray}"


# A view that creates with one of its operations only: the forms of that operation.
ONLY_FORMS_WITH = {"trajectories:review_item": 'value="action_add"'}


def _forms_posting_to(name: str):
    """Template text of every <form> whose action is the URL ``name``."""
    pattern = re.compile(r"<form\b[^>]*action=\"\{% url '" + re.escape(name) + r"'[^>]*>(.*?)</form>", re.S)
    for path in TEMPLATES.rglob("*.html"):
        for match in pattern.finditer(path.read_text()):
            if ONLY_FORMS_WITH.get(name, "") in match.group(1):
                yield path, match.group(1)


def test_every_form_that_posts_to_a_create_view_carries_the_token():
    missing = [
        f"{path.relative_to(TEMPLATES)} → {name}"
        for name in CREATES
        for path, body in _forms_posting_to(name)
        if "{% submission_token %}" not in body
    ]
    assert not missing, missing


@pytest.mark.parametrize("name", sorted(CREATES))
def test_the_create_form_on_its_own_page_carries_the_token(name, client, beheerder, trajectory):
    """Pages whose form posts to themselves: the beheerder's page holds a fresh token."""
    args_for, _method, _expected = MATRIX[name]
    if name == "trajectories:agreement":  # the agreement form appears once a candidate is chosen
        welzijn = OrganisationFactory(name="Kandidaat Welzijn")
        candidate = services.candidate_add(trajectory=trajectory, by=beheerder, organisation=welzijn)
        services.candidate_choose(candidate=candidate, by=beheerder, rationale="Past")
    url = reverse(name, args=args_for(trajectory) if args_for else None)
    client.force_login(beheerder)
    response = client.get(url)
    if response.status_code == 405:
        pytest.skip("POST only: its form is on another page (checked in the templates)")
    assert response.status_code == 200
    assert f'name="{TOKEN_FIELD}"' in response.content.decode()


def _milestone(client, trajectory, token, title="Kick-off"):
    return client.post(
        reverse("trajectories:milestone_create", args=[trajectory.pk]),
        {"title": title, "due_on": "2026-12-01", TOKEN_FIELD: token},
    )


def test_a_retried_create_redirects_to_the_first_result_and_creates_nothing(client, bewerker, trajectory):
    client.force_login(bewerker)
    token = new_token()
    first = _milestone(client, trajectory, token)
    assert first.status_code == 302
    retry = _milestone(client, trajectory, token)
    assert retry.status_code == 302
    assert retry["Location"] == first["Location"].split("#")[0]
    assert retry["X-FII-Replayed"] == "1" and "X-FII-Replayed" not in first
    assert Milestone.objects.filter(trajectory=trajectory).count() == 1
    assert AuditEvent.objects.filter(action="create", object_type="trajectories.Milestone").count() == 1
    page = client.get(retry["Location"])
    assert "Nothing was added twice" in page.content.decode() or "niets dubbel" in page.content.decode()


def test_a_new_token_creates_again(client, bewerker, trajectory):
    client.force_login(bewerker)
    _milestone(client, trajectory, new_token())
    _milestone(client, trajectory, new_token())
    assert Milestone.objects.filter(trajectory=trajectory).count() == 2


def test_a_post_without_a_token_still_creates(client, bewerker, trajectory):
    client.force_login(bewerker)
    response = client.post(
        reverse("trajectories:milestone_create", args=[trajectory.pk]), {"title": "Kick-off", "due_on": "2026-12-01"}
    )
    assert response.status_code == 302
    assert Milestone.objects.filter(trajectory=trajectory).count() == 1
    assert not FormSubmission.objects.exists()


def test_the_token_claim_adds_one_savepoint_to_the_requests_transaction(client, bewerker, trajectory):
    """create_once keeps one block of its own inside the request's transaction (AuditMiddleware), not two."""
    client.force_login(bewerker)
    url = reverse("trajectories:milestone_create", args=[trajectory.pk])

    def savepoints(data: dict) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.post(url, data).status_code == 302
        return sum(query["sql"].startswith("SAVEPOINT") for query in queries.captured_queries)

    without_token = savepoints({"title": "Kick-off", "due_on": "2026-12-01"})
    with_token = savepoints({"title": "Evaluation", "due_on": "2026-12-02", TOKEN_FIELD: new_token()})
    assert with_token - without_token == 1


def test_a_form_with_errors_releases_its_token_for_the_corrected_form(client, bewerker, trajectory):
    client.force_login(bewerker)
    token = new_token()
    refused = client.post(
        reverse("trajectories:milestone_create", args=[trajectory.pk]), {"title": "", "due_on": "", TOKEN_FIELD: token}
    )
    assert refused.status_code == 400
    assert not FormSubmission.objects.filter(token=token).exists()
    assert _milestone(client, trajectory, token).status_code == 302
    assert Milestone.objects.filter(trajectory=trajectory).count() == 1


def test_another_users_token_creates_nothing_and_reveals_nothing(client, bewerker, beheerder, trajectory):
    client.force_login(bewerker)
    token = new_token()
    _milestone(client, trajectory, token)
    client.force_login(beheerder)
    response = _milestone(client, trajectory, token, title="Tweede")
    assert response.status_code == 400
    assert list(Milestone.objects.values_list("title", flat=True)) == ["Kick-off"]


def test_a_retried_action_from_the_meeting_table_is_added_once(client, bewerker, trajectory):
    review = services.review_start(
        trajectory=trajectory, by=bewerker, held_on=timezone.localdate(), phases=[trajectory.current_phase]
    )
    ri = review.items.first()
    client.force_login(bewerker)
    url = reverse("trajectories:review_item", args=[trajectory.pk, review.pk, ri.pk])
    page = reverse("trajectories:review", args=[trajectory.pk, review.pk])
    data = {"op": "action_add", f"a{ri.pk}-description": "Bellen", TOKEN_FIELD: new_token()}
    headers = {"HX-Request": "true", "HX-Current-URL": f"http://testserver{page}"}
    assert client.post(url, data, headers=headers).status_code == 200
    retry = client.post(url, data, headers=headers)
    assert retry.status_code == 200
    assert retry["HX-Redirect"] == page
    assert retry["X-FII-Replayed"] == "1"  # the answer itself says it was a replay
    assert Action.objects.filter(review=review).count() == 1


def test_a_retried_finalisation_is_told_it_was_done(client, bewerker, trajectory):
    review = services.review_start(
        trajectory=trajectory, by=bewerker, held_on=timezone.localdate(), phases=[trajectory.current_phase]
    )
    client.force_login(bewerker)
    url = reverse("trajectories:review_finalise", args=[trajectory.pk, review.pk])
    data = {"confirmed": "1", TOKEN_FIELD: new_token()}
    client.post(url, data)
    retry = client.post(url, data, follow=True)
    assert review.events.filter(kind="afgerond").count() == 1
    last = [str(m) for m in retry.context["messages"]][-1]
    assert "twice" in last or "dubbel" in last


@pytest.mark.django_db(transaction=True)
def test_a_create_that_fails_releases_its_token_so_the_retry_creates_once(client, monkeypatch):
    from django.db import DatabaseError

    from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, make_trajectory

    org = OrganisationFactory(name="Gemeente Testdam")
    bewerker = MembershipFactory(organisation=org, role="bewerker", user=UserFactory(email="b@testdam.nl")).user
    trajectory = make_trajectory(owner=org, by=bewerker)
    real_save = AuditEvent.save

    def dropped(event, *args, **kwargs):
        if event.object_type == "trajectories.Milestone":
            raise DatabaseError("server closed the connection unexpectedly")
        return real_save(event, *args, **kwargs)

    client.force_login(bewerker)
    client.raise_request_exception = False
    token = new_token()
    with monkeypatch.context() as patch:
        patch.setattr(AuditEvent, "save", dropped)
        assert _milestone(client, trajectory, token).status_code == 500
    assert not Milestone.objects.exists()
    assert not FormSubmission.objects.filter(token=token).exists()
    assert _milestone(client, trajectory, token).status_code == 302
    assert _milestone(client, trajectory, token).status_code == 302
    assert Milestone.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="trajectories.Milestone", result="success").count() == 1


def test_apply_retention_forgets_old_tokens(bewerker):
    old = FormSubmission.objects.create(
        token=new_token(), user=bewerker, created_at=timezone.now() - dt.timedelta(days=8)
    )
    recent = FormSubmission.objects.create(token=new_token(), user=bewerker)
    call_command("apply_retention")
    assert not FormSubmission.objects.filter(pk=old.pk).exists()
    assert FormSubmission.objects.filter(pk=recent.pk).exists()
