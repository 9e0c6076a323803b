"""The meeting card on the review page (issue 18): attendees carried over, owners who can act, in-place editing."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from trajectories import services
from trajectories.selectors_people import trajectory_people

TODAY = timezone.localdate()


def start(trajectory, by, held_on=TODAY, **kwargs):
    return services.review_start(
        trajectory=trajectory, by=by, held_on=held_on, phases=[trajectory.current_phase], **kwargs
    )


def test_attendees_of_the_previous_review_are_ticked_on_the_next(client, trajectory, bewerker, beheerder):
    first = start(
        trajectory,
        bewerker,
        held_on=TODAY - dt.timedelta(days=14),
        attendees=[bewerker, beheerder],
        other_attendees="Wethouder Jansen",
    )
    services.review_finalise(review=first, by=bewerker)
    client.force_login(bewerker)
    form = client.get(reverse("trajectories:review_start", args=[trajectory.pk])).context["form"]
    assert sorted(form.initial["present"]) == sorted([f"u{bewerker.pk}", f"u{beheerder.pk}"])
    assert form.initial["other_attendees"] == "Wethouder Jansen"
    body = client.get(reverse("trajectories:review_start", args=[trajectory.pk])).content.decode()
    assert f'value="u{beheerder.pk}"' in body and "checked" in body


def test_first_review_starts_without_attendees(client, trajectory, bewerker):
    client.force_login(bewerker)
    form = client.get(reverse("trajectories:review_start", args=[trajectory.pk])).context["form"]
    assert "present" not in form.initial


def test_a_lezer_is_not_offered_as_action_owner(client, trajectory, bewerker, beheerder, lezer):
    assert {o.user for o in trajectory_people(trajectory)} == {bewerker, beheerder}
    review = start(trajectory, bewerker)
    client.force_login(bewerker)
    body = client.get(review.get_absolute_url()).content.decode()
    assert bewerker.get_full_name() in body
    assert f'<option value="u{lezer.pk}"' not in body
    ri = review.items.first()
    response = client.post(
        reverse("trajectories:review_item", args=[trajectory.pk, review.pk, ri.pk]),
        {"op": "action_add", f"a{ri.pk}-description": "Bellen", f"a{ri.pk}-assignee": f"u{lezer.pk}"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert not trajectory.actions.exists()  # refused: not a valid choice


def test_an_older_action_keeps_its_lezer_owner_when_edited(client, trajectory, bewerker, lezer):
    action = services.action_create(trajectory=trajectory, by=bewerker, description="Oud", assignee=lezer)
    assert lezer in {o.user for o in trajectory_people(trajectory, keep_users=[action.assignee_id])}
    client.force_login(bewerker)
    body = client.get(reverse("trajectories:action", args=[trajectory.pk, action.pk])).content.decode()
    assert f'<option value="u{lezer.pk}" selected' in body


def test_meeting_form_opens_in_place_and_saves_in_place(client, trajectory, bewerker, beheerder):
    review = start(trajectory, bewerker)
    url = reverse("trajectories:review_edit", args=[trajectory.pk, review.pk])
    client.force_login(bewerker)
    page = client.get(review.get_absolute_url()).content.decode()
    assert f'hx-get="{url}"' in page and 'hx-target="#review-meeting"' in page
    part = client.get(url, headers={"HX-Request": "true"})
    assert part.status_code == 200
    html = part.content.decode()
    assert 'id="review-meeting"' in html and "<html" not in html and f'hx-post="{url}"' in html
    saved = client.post(
        url,
        {
            "version": review.version,
            "held_on": TODAY.isoformat(),
            "summary": "Training gestart.",
            "present": [f"u{beheerder.pk}"],
        },
        headers={"HX-Request": "true"},
    )
    assert saved.status_code == 200
    html = saved.content.decode()
    assert "Training gestart." in html and beheerder.get_full_name() in html and "data-focus-on-swap" in html
    review.refresh_from_db()
    assert review.summary == "Training gestart." and list(review.attendees.all()) == [beheerder]


def test_meeting_form_errors_come_back_in_place_with_the_input(client, trajectory, bewerker):
    review = start(trajectory, bewerker)
    url = reverse("trajectories:review_edit", args=[trajectory.pk, review.pk])
    client.force_login(bewerker)
    future = (TODAY + dt.timedelta(days=3)).isoformat()
    response = client.post(
        url, {"version": review.version, "held_on": future, "summary": "Mijn tekst"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200  # swapped by htmx
    html = response.content.decode()
    assert "Mijn tekst" in html and "is-invalid" in html
    review.refresh_from_db()
    assert review.summary == ""


def test_meeting_form_still_works_as_a_plain_post(client, trajectory, bewerker):
    review = start(trajectory, bewerker)
    client.force_login(bewerker)
    response = client.post(
        reverse("trajectories:review_edit", args=[trajectory.pk, review.pk]),
        {"version": review.version, "held_on": TODAY.isoformat(), "summary": "Zonder JavaScript"},
    )
    assert response.status_code == 302 and response["Location"] == review.get_absolute_url()
    review.refresh_from_db()
    assert review.summary == "Zonder JavaScript"


def test_new_action_is_marked_for_focus_not_an_older_one(client, trajectory, bewerker):
    review = start(trajectory, bewerker)
    ri = review.items.first()
    older = services.action_create(trajectory=trajectory, by=bewerker, description="Ouder", item=ri.item)
    client.force_login(bewerker)
    response = client.post(
        reverse("trajectories:review_item", args=[trajectory.pk, review.pk, ri.pk]),
        {"op": "action_add", f"a{ri.pk}-description": "Nieuw"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    new = trajectory.actions.exclude(pk=older.pk).get()
    assert html.count("data-focus-on-swap") == 1
    marked = html[html.index(f'id="review-action-{new.pk}"') :]
    assert marked.index("data-focus-on-swap") < marked.index("</li>")


def test_progress_report_team_section_is_the_implementation_team(client, trajectory, bewerker, lezer):
    from tests.test_permissions import stakeholder_of

    member = services.team_member_add(
        trajectory=trajectory, by=bewerker, stakeholder=stakeholder_of(trajectory), team_role="Voorzitter"
    )
    client.force_login(lezer)
    response = client.get(reverse("trajectories:progress_report", args=[trajectory.pk]))
    assert response.status_code == 200
    team = response.content.decode().split('id="team-heading"', 1)[1].split("</section>", 1)[0]
    assert "Implementatieteam" in team
    assert f"{member.stakeholder.person} — Voorzitter" in team


def test_progress_report_says_when_there_is_no_implementation_team(client, trajectory, lezer):
    client.force_login(lezer)
    body = client.get(reverse("trajectories:progress_report", args=[trajectory.pk])).content.decode()
    assert "Er is nog geen implementatieteam benoemd (deelfase 5a)." in body


def test_a_key_figure_without_an_account_can_own_an_action(client, trajectory, bewerker):
    from tests.test_permissions import stakeholder_of

    key_figure = stakeholder_of(trajectory)
    review = start(trajectory, bewerker)
    ri = review.items.first()
    client.force_login(bewerker)
    page = client.get(review.get_absolute_url()).content.decode()
    assert f'<option value="p{key_figure.pk}">{key_figure.person} (geen account, krijgt geen e-mail)</option>' in page
    response = client.post(
        reverse("trajectories:review_item", args=[trajectory.pk, review.pk, ri.pk]),
        {
            "op": "action_add",
            f"a{ri.pk}-description": "Jurist geeft de inhaaltraining",
            f"a{ri.pk}-assignee": f"p{key_figure.pk}",
        },
        headers={"HX-Request": "true"},
    )
    action = trajectory.actions.get()
    assert action.owner_person == key_figure and action.assignee is None
    assert action.owner_name == str(key_figure.person)
    assert "geen account, krijgt geen e-mail" in response.content.decode()


def test_a_person_of_another_trajectory_cannot_own_an_action(client, trajectory, bewerker, municipality):
    from tests.factories import make_trajectory
    from tests.test_permissions import stakeholder_of

    elsewhere = stakeholder_of(make_trajectory(owner=municipality, by=bewerker, title="Ander traject"))
    review = start(trajectory, bewerker)
    ri = review.items.first()
    client.force_login(bewerker)
    response = client.post(
        reverse("trajectories:review_item", args=[trajectory.pk, review.pk, ri.pk]),
        {"op": "action_add", f"a{ri.pk}-description": "Bellen", f"a{ri.pk}-assignee": f"p{elsewhere.pk}"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "is-invalid" in response.content.decode() or not trajectory.actions.exists()
    assert not trajectory.actions.exists()
