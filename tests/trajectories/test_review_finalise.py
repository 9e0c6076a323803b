"""Finalising a review asks first and lists what deserves a look (issue 18)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from trajectories import selectors, services

TODAY = timezone.localdate()


def start(trajectory, by, held_on=TODAY):
    return services.review_start(trajectory=trajectory, by=by, held_on=held_on, phases=[trajectory.current_phase])


def _items(review):
    return list(review.items.order_by("position", "pk"))


def finalise_url(review):
    return reverse("trajectories:review_finalise", args=[review.trajectory_id, review.pk])


def test_checks_list_red_and_orange_without_action_and_unassessed_items(trajectory, bewerker):
    review = start(trajectory, bewerker)
    red, orange, green, acted, *rest = _items(review)
    for ri, colour in [(red, "rood"), (orange, "oranje"), (green, "groen"), (acted, "rood")]:
        services.review_item_set(review_item=ri, by=bewerker, colour=colour)
    services.action_create(trajectory=trajectory, by=bewerker, description="Bellen", item=acted.item, review=review)
    checks = selectors.review_finalise_checks(review)
    assert [ri.pk for ri in checks.needs_action] == [red.pk, orange.pk]
    assert [ri.pk for ri in checks.unassessed] == [ri.pk for ri in rest]
    assert checks.summary == "empty"


def test_a_closed_action_does_not_count_as_an_action(trajectory, bewerker):
    review = start(trajectory, bewerker)
    red = _items(review)[0]
    services.review_item_set(review_item=red, by=bewerker, colour="rood")
    action = services.action_create(trajectory=trajectory, by=bewerker, description="Klaar", item=red.item)
    services.action_close(action=action, by=bewerker, note="", expected_version=None)
    assert [ri.pk for ri in selectors.review_finalise_checks(review).needs_action] == [red.pk]


def test_summary_unchanged_since_the_previous_review_is_flagged(trajectory, bewerker):
    first = start(trajectory, bewerker, held_on=TODAY - dt.timedelta(days=14))
    services.review_update(
        review=first,
        by=bewerker,
        expected_version=None,
        held_on=first.held_on,
        summary="Loopt goed.",
        other_attendees="",
        attendees=[],
    )
    services.review_finalise(review=first, by=bewerker)
    second = start(trajectory, bewerker)
    services.review_update(
        review=second,
        by=bewerker,
        expected_version=None,
        held_on=TODAY,
        summary="Loopt goed. ",
        other_attendees="",
        attendees=[],
    )
    checks = selectors.review_finalise_checks(second)
    assert checks.summary == "unchanged" and checks.previous == first
    second.refresh_from_db()
    services.review_update(
        review=second,
        by=bewerker,
        expected_version=None,
        held_on=TODAY,
        summary="Training gestart.",
        other_attendees="",
        attendees=[],
    )
    assert selectors.review_finalise_checks(second).summary == ""


def test_nothing_to_flag_when_all_is_in_order(trajectory, bewerker):
    review = start(trajectory, bewerker)
    for ri in _items(review):
        services.review_item_set(review_item=ri, by=bewerker, colour="groen")
    services.review_update(
        review=review,
        by=bewerker,
        expected_version=None,
        held_on=TODAY,
        summary="Alles groen.",
        other_attendees="",
        attendees=[],
    )
    assert not selectors.review_finalise_checks(review).anything


def test_post_without_confirmation_shows_the_checks_and_finalises_nothing(client, trajectory, bewerker):
    review = start(trajectory, bewerker)
    red = _items(review)[0]
    services.review_item_set(review_item=red, by=bewerker, colour="rood")
    client.force_login(bewerker)
    response = client.post(finalise_url(review))
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 rood of oranje punt heeft geen open actie" in body
    assert f'href="{review.get_absolute_url()}#item-{red.pk}"' in body
    assert "De bespreking heeft nog geen samenvatting." in body
    review.refresh_from_db()
    assert not review.is_final


def test_htmx_gets_the_confirmation_part_only(client, trajectory, bewerker, django_assert_max_num_queries):
    review = start(trajectory, bewerker)
    client.force_login(bewerker)
    client.get(review.get_absolute_url())
    with django_assert_max_num_queries(12):
        response = client.get(finalise_url(review), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="finalise-heading"' in body and "<html" not in body
    assert 'name="confirmed" value="1"' in body


def test_confirmed_post_finalises(client, trajectory, bewerker):
    review = start(trajectory, bewerker)
    client.force_login(bewerker)
    response = client.post(finalise_url(review), {"confirmed": "1"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.is_final


@pytest.mark.parametrize(("persona", "status"), [("lezer", 403), ("outsider", 404)])
def test_confirmation_is_for_editors_only(client, trajectory, bewerker, personas, persona, status):
    review = start(trajectory, bewerker)
    client.force_login(personas[persona])
    assert client.get(finalise_url(review)).status_code == status


def test_confirmation_of_a_finalised_review_goes_back_to_it(client, trajectory, bewerker):
    review = start(trajectory, bewerker)
    services.review_finalise(review=review, by=bewerker)
    client.force_login(bewerker)
    response = client.get(finalise_url(review))
    assert response.status_code == 302 and response["Location"] == review.get_absolute_url()
