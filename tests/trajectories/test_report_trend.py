"""Issue 19: the progress report's trend compares like with like. Each checklist item is compared with its own light
at the start of the period (an item belongs to one phase's checklist), and a change of phase in between is never
read as better or worse; the report says in one sentence what the trend compares."""

import datetime as dt

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from trajectories import services
from trajectories.reports import LikeForLikeTrend, like_for_like_trend


def finalised_review(trajectory, by, *, days_ago, phase, colours):
    review = services.review_start(
        trajectory=trajectory, by=by, held_on=dt.date.today() - dt.timedelta(days=days_ago), phases=[phase]
    )
    items = list(review.items.order_by("position"))
    for review_item, colour in zip(items, colours, strict=False):
        services.review_item_set(review_item=review_item, by=by, colour=colour, note="")
    return services.review_finalise(review=review, by=by)


def report(client, trajectory, *, since_days):
    start = (dt.date.today() - dt.timedelta(days=since_days)).isoformat()
    return client.get(reverse("trajectories:progress_report", args=[trajectory.pk]), {"van": start})


def test_items_are_compared_with_their_own_earlier_light(trajectory, bewerker):
    before = finalised_review(trajectory, bewerker, days_ago=40, phase="verkennen", colours=["rood", "groen", "groen"])
    latest = finalised_review(trajectory, bewerker, days_ago=5, phase="verkennen", colours=["groen", "oranje", ""])
    trend = like_for_like_trend(latest, before)
    # Item 1 red → green, item 2 green → orange; item 3 was not assessed now, so it is not compared.
    assert (trend.better, trend.worse, trend.same, trend.compared) == (1, 1, 0, 2)
    assert trend.direction == "better"  # of the compared items, the worst light went from red to orange
    assert not trend.phase_changed


def test_report_says_what_the_trend_compares(client, lezer, trajectory, bewerker):
    finalised_review(trajectory, bewerker, days_ago=40, phase="verkennen", colours=["oranje", "groen"])
    finalised_review(trajectory, bewerker, days_ago=5, phase="verkennen", colours=["rood", "groen"])
    client.force_login(lezer)
    response = report(client, trajectory, since_days=30)
    assertContains(response, "slechter dan aan het begin van de periode")
    assertContains(response, "binnen dezelfde fase: 0 beter, 1 slechter, 1 gelijk")


@pytest.mark.parametrize("later_colour", ["groen", "rood"])
def test_no_trend_across_a_change_of_phase(client, lezer, trajectory, bewerker, later_colour):
    before = finalised_review(trajectory, bewerker, days_ago=40, phase="verkennen", colours=["rood"] * 6)
    services.trajectory_move(
        trajectory=trajectory, by=bewerker, reason="Ontvangende organisatie gekozen", to_phase="innoveren"
    )
    latest = finalised_review(trajectory, bewerker, days_ago=5, phase="innoveren", colours=[later_colour] * 6)
    # Taken over the whole review, the overall light would read as better (or the same): another checklist.
    assert like_for_like_trend(latest, before) == LikeForLikeTrend("", phase_changed=True)
    client.force_login(lezer)
    response = report(client, trajectory, since_days=30)
    assertContains(response, "De fase is in deze periode veranderd, dus er is geen trend")
    for word in ("beter dan aan het begin", "slechter dan aan het begin", "gelijk aan het begin"):
        assertNotContains(response, word)
