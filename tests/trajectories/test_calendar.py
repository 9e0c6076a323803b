import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from icalendar import Calendar
from pytest_django.asserts import assertContains, assertRedirects

from tests.factories import make_trajectory
from trajectories import services
from trajectories.calendar import build_feed, one_line
from trajectories.models import CalendarToken, Trajectory

START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def review_url(t):
    return f"https://fii.example/trajecten/{t.pk}/stoplicht/"


def hold_review(trajectory, by, held_on):
    review = services.review_start(trajectory=trajectory, by=by, held_on=held_on, phases=[trajectory.current_phase])
    services.review_finalise(review=review, by=by)
    return review


def feed_of(trajectories, today, name="Stoplichtbesprekingen"):
    return Calendar.from_ical(build_feed(trajectories, name=name, today=today, url_for=review_url))


def events(calendar):
    return sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))


def dates(calendar):
    return [e.decoded("dtstart") for e in events(calendar)]


@pytest.fixture
def started(municipality, bewerker):
    """A trajectory that started on Monday 5 January 2026 with the default two-weekly review."""
    return make_trajectory(owner=municipality, by=bewerker, title="Vroeg Eropaf", start_date=START.date(), at=START)


# The feed itself


def test_feed_is_a_dutch_calendar_with_all_day_events_on_the_interval_after_the_last_review(started, bewerker):
    hold_review(started, bewerker, dt.date(2026, 3, 2))
    calendar = feed_of(Trajectory.objects.filter(pk=started.pk), today=dt.date(2026, 3, 10))

    assert str(calendar["prodid"]) == "-//FII trajecten//NL"
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["x-wr-calname"]) == "Stoplichtbesprekingen"
    days = dates(calendar)
    assert days[0] == dt.date(2026, 3, 16)
    assert all(later - earlier == dt.timedelta(days=14) for earlier, later in zip(days, days[1:], strict=False))
    assert days[-1] == dt.date(2026, 8, 31)  # the next one, 14 September, is more than six months ahead
    first = events(calendar)[0]
    assert type(first.decoded("dtstart")) is dt.date  # all-day, not a date-time
    assert first.decoded("dtend") == dt.date(2026, 3, 17)
    assert str(first["uid"]) == f"review-{started.pk}-20260316@fii"
    assert str(first["summary"]) == "Stoplichtbespreking: Vroeg Eropaf"
    assert "dtstamp" in first
    assert "Verkennen" in str(first["description"])
    assert review_url(started) in str(first["description"])
    assert str(first["url"]) == review_url(started)


def test_uids_are_stable_between_fetches(started):
    today = dt.date(2026, 1, 10)
    uids = [{str(e["uid"]) for e in events(feed_of(Trajectory.objects.all(), today))} for _ in range(2)]
    assert uids[0] == uids[1]
    assert f"review-{started.pk}-20260119@fii" in uids[0]


def test_before_the_first_review_the_interval_counts_from_the_start_of_the_phase(started):
    assert dates(feed_of(Trajectory.objects.all(), dt.date(2026, 1, 10)))[0] == dt.date(2026, 1, 19)


def test_monthly_reviews_follow_the_calendar_months(started, bewerker):
    Trajectory.objects.filter(pk=started.pk).update(review_interval=Trajectory.ReviewInterval.MAANDELIJKS)
    hold_review(started, bewerker, dt.date(2026, 2, 10))
    days = dates(feed_of(Trajectory.objects.all(), dt.date(2026, 2, 20)))
    assert days == [dt.date(2026, month, 10) for month in range(3, 9)]


def test_overdue_review_stays_on_its_due_date_and_says_it_is_overdue(started, bewerker):
    hold_review(started, bewerker, dt.date(2026, 1, 5))
    calendar = feed_of(Trajectory.objects.all(), today=dt.date(2026, 3, 10))
    overdue, *upcoming = events(calendar)

    assert overdue.decoded("dtstart") == dt.date(2026, 1, 19)
    with translation.override("nl"):
        expected = gettext("Stoplight review (overdue): %(title)s") % {"title": "Vroeg Eropaf"}
    assert str(overdue["summary"]) == expected != "Stoplichtbespreking: Vroeg Eropaf"
    # The schedule goes on from the due date without a backlog of past dates.
    assert upcoming[0].decoded("dtstart") == dt.date(2026, 3, 16)
    assert all(e.decoded("dtstart") >= dt.date(2026, 3, 10) for e in upcoming)
    assert all(str(e["summary"]) == "Stoplichtbespreking: Vroeg Eropaf" for e in upcoming)


@pytest.mark.parametrize("status", [Trajectory.Status.GEPAUZEERD, Trajectory.Status.AFGEROND])
def test_trajectory_that_is_not_active_has_no_events(started, status):
    Trajectory.objects.filter(pk=started.pk).update(status=status)
    assert events(feed_of(Trajectory.objects.all(), dt.date(2026, 1, 10))) == []


def test_feed_is_dutch_even_when_the_request_is_english(started):
    with translation.override("en"):
        calendar = feed_of(Trajectory.objects.all(), dt.date(2026, 1, 10))
    assert str(events(calendar)[0]["summary"]) == "Stoplichtbespreking: Vroeg Eropaf"


def test_building_the_feed_takes_the_same_queries_for_one_or_many_trajectories(started, municipality, bewerker):
    today = dt.date(2026, 1, 10)
    with CaptureQueriesContext(connection) as one:
        build_feed(Trajectory.objects.all(), name="x", today=today, url_for=review_url)
    for n in range(5):
        t = make_trajectory(owner=municipality, by=bewerker, title=f"Traject {n}", start_date=START.date(), at=START)
        hold_review(t, bewerker, dt.date(2026, 1, 6))
    assert len(one) == 1
    with CaptureQueriesContext(connection) as many:
        body = build_feed(Trajectory.objects.all(), name="x", today=today, url_for=review_url)
    assert len(many) == len(one)
    assert len({e["uid"].split("-")[1] for e in Calendar.from_ical(body).walk("VEVENT")}) == 6


def test_texts_are_escaped_and_every_line_is_folded_at_75_octets(municipality, bewerker):
    """The feed is written line by line (trajectories/calendar.py): what a calendar client reads back must be
    exactly what was typed, also with the characters RFC 5545 escapes and with titles far longer than a line."""
    title = "Schulden; vroeg, eropaf \\ samen — één aanpak voor Zuidoost " + "ééééé" * 20
    trajectory = make_trajectory(owner=municipality, by=bewerker, title=title, start_date=START.date(), at=START)
    body = build_feed(Trajectory.objects.all(), name="Agenda; van, mij", today=dt.date(2026, 1, 10), url_for=review_url)
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    assert max(len(line) for line in body.split(b"\r\n")) <= 75
    calendar = Calendar.from_ical(body)
    assert str(calendar["x-wr-calname"]) == "Agenda; van, mij"
    first = events(calendar)[0]
    assert str(first["summary"]) == f"Stoplichtbespreking: {one_line(title)}"
    assert str(first["description"]) == f"Fase: Verkennen\n{review_url(trajectory)}"
    assert str(first["transp"]) == "TRANSPARENT"
    assert first.decoded("dtstamp").tzinfo is not None


# The feed views: the token in the URL is the only credential


def token_for(user):
    return CalendarToken.objects.create(user=user).token


def feed_url(token):
    return reverse("trajectories:calendar_feed", args=[token])


def trajectory_feed_url(token, trajectory):
    return reverse("trajectories:trajectory_calendar_feed", args=[token, trajectory.pk])


def test_feed_answers_without_a_session_as_a_private_calendar(client, lezer, trajectory):
    response = client.get(feed_url(token_for(lezer)))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=300"
    assert response["Content-Disposition"].startswith('inline; filename="')
    assert response["Content-Disposition"].endswith('.ics"')
    event = events(Calendar.from_ical(response.content))[0]
    assert str(event["summary"]) == "Stoplichtbespreking: Schuldhulp Vroeg"
    assert f"http://testserver/trajecten/{trajectory.pk}/stoplicht/" in str(event["description"])


def test_unknown_token_gets_404(client, lezer, trajectory):
    token_for(lezer)
    assert client.get(feed_url("not-the-token")).status_code == 404
    assert client.get(trajectory_feed_url("not-the-token", trajectory)).status_code == 404
    assert client.get(feed_url("x" * 200)).status_code == 404


def test_token_of_a_deactivated_user_gets_404(client, lezer, trajectory):
    token = token_for(lezer)
    lezer.is_active = False
    lezer.save()
    assert client.get(feed_url(token)).status_code == 404


def test_feeds_only_answer_get_and_head(client, lezer, trajectory):
    token = token_for(lezer)
    assert client.head(feed_url(token)).status_code == 200  # some calendar clients probe first
    assert client.post(feed_url(token)).status_code == 405
    assert client.post(trajectory_feed_url(token, trajectory)).status_code == 405


def test_trajectory_feed_holds_that_trajectory_only(client, lezer, trajectory, municipality, bewerker):
    make_trajectory(owner=municipality, by=bewerker, title="Ander traject")
    response = client.get(trajectory_feed_url(token_for(lezer), trajectory))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    assert {str(e["summary"]) for e in calendar.walk("VEVENT")} == {"Stoplichtbespreking: Schuldhulp Vroeg"}
    assert "Schuldhulp Vroeg" in str(calendar["x-wr-calname"])


def test_outsider_token_gets_404_on_a_trajectory_it_cannot_see(client, outsider, trajectory):
    assert client.get(trajectory_feed_url(token_for(outsider), trajectory)).status_code == 404


def test_personal_feed_leaves_out_trajectories_the_user_cannot_see(client, outsider, outsider_org, trajectory):
    make_trajectory(owner=outsider_org, by=outsider, title="Eigen traject Elders")
    response = client.get(feed_url(token_for(outsider)))
    summaries = {str(e["summary"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert summaries == {"Stoplichtbespreking: Eigen traject Elders"}


def test_personal_feed_queries_do_not_grow_with_the_trajectories(
    client, lezer, trajectory, municipality, bewerker, django_assert_max_num_queries
):
    url = feed_url(token_for(lezer))
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(6):
        hold_review(
            make_trajectory(owner=municipality, by=bewerker, title=f"Traject {n}"), bewerker, timezone.localdate()
        )
    with django_assert_max_num_queries(len(one)):
        response = client.get(url)
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) > 7


# The page with the links


def test_settings_page_shows_the_links_and_next_reviews(client, lezer, trajectory):
    client.force_login(lezer)
    response = client.get(reverse("trajectories:calendar"))
    assert response.status_code == 200
    token = CalendarToken.objects.get(user=lezer).token
    assertContains(response, f"http://testserver{feed_url(token)}")
    assertContains(response, f"http://testserver{trajectory_feed_url(token, trajectory)}")
    assertContains(response, "Schuldhulp Vroeg")
    assertContains(response, "readonly")


def test_settings_page_keeps_the_token_between_visits(client, lezer):
    client.force_login(lezer)
    client.get(reverse("trajectories:calendar"))
    client.get(reverse("trajectories:calendar"))
    assert CalendarToken.objects.filter(user=lezer).count() == 1


def test_settings_page_query_budget(client, lezer, trajectory, municipality, bewerker, django_assert_max_num_queries):
    client.force_login(lezer)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("trajectories:calendar"))
    for n in range(6):
        make_trajectory(owner=municipality, by=bewerker, title=f"Traject {n}")
    with django_assert_max_num_queries(len(one)):
        assert client.get(reverse("trajectories:calendar")).status_code == 200


def test_anonymous_user_is_sent_to_login(client, db):
    response = client.get(reverse("trajectories:calendar"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    response = client.post(reverse("trajectories:calendar"))
    assert response["Location"].startswith(reverse("login"))
    assert not CalendarToken.objects.exists()


def test_new_token_kills_the_old_links_and_the_new_ones_work(client, lezer, trajectory):
    old = token_for(lezer)
    client.force_login(lezer)
    response = client.post(reverse("trajectories:calendar"), follow=True)
    assertRedirects(response, reverse("trajectories:calendar"))
    new = CalendarToken.objects.get(user=lezer).token
    assert new != old
    with translation.override("nl"):
        assert [str(m) for m in response.context["messages"]] == [
            gettext("New calendar links made; the old links no longer work.")
        ]
    client.logout()
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(trajectory_feed_url(old, trajectory)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200
    assert client.get(trajectory_feed_url(new, trajectory)).status_code == 200
