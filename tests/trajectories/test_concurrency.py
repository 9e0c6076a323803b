"""Races between two requests, reproduced with two threads and real transactions (PostgreSQL only)."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from tests.factories import OrganisationFactory, UserFactory, make_trajectory
from trajectories import services
from trajectories.models import ChecklistItem

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_two_people_filling_an_empty_checklist_at_once_copy_the_template_once():
    owner = OrganisationFactory(name="Gemeente Racedam")
    user = UserFactory(email="racer@racedam.nl")
    trajectory = make_trajectory(owner=owner, by=user, title="Race", start_phase="verkennen")
    assert not ChecklistItem.objects.filter(trajectory=trajectory, phase="borgen").exists()

    first_copied, release = threading.Event(), threading.Event()
    copied = {}

    def first():
        try:
            with transaction.atomic():
                copied["first"] = services.checklist_copy_from_template(trajectory=trajectory, phase="borgen", by=user)
                first_copied.set()
                release.wait(timeout=10)  # hold the transaction open while the second one tries
        finally:
            connection.close()

    def second():
        try:
            first_copied.wait(timeout=10)
            copied["second"] = services.checklist_copy_from_template(trajectory=trajectory, phase="borgen", by=user)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    threads[1].join(timeout=1)  # with the lock, the second waits for the first to commit
    release.set()
    for thread in threads:
        thread.join(timeout=20)

    assert copied["first"] > 0
    assert copied["second"] == 0
    assert ChecklistItem.objects.filter(trajectory=trajectory, phase="borgen").count() == copied["first"]


def test_the_same_submission_sent_twice_at_once_creates_once():
    """A retry that arrives while the first submission is still running waits for it and follows it
    (issue 16, finding 6): the second claim of the token blocks on the first one's uncommitted row."""
    from django.test import Client
    from django.urls import reverse

    from organisations.submissions import TOKEN_FIELD, new_token
    from tests.factories import MembershipFactory
    from trajectories.models import Milestone
    from trajectories.services import verkennen

    owner = OrganisationFactory(name="Gemeente Racedam")
    user = MembershipFactory(organisation=owner, role="bewerker", user=UserFactory(email="racer@racedam.nl")).user
    trajectory = make_trajectory(owner=owner, by=user, title="Race", start_phase="verkennen")
    url = reverse("trajectories:milestone_create", args=[trajectory.pk])
    data = {"title": "Kick-off", "due_on": "2026-12-01", TOKEN_FIELD: new_token()}
    first_inside, release = threading.Event(), threading.Event()
    real_save = verkennen.milestone_save
    answers = {}

    def held_save(**kwargs):
        milestone = real_save(**kwargs)
        first_inside.set()
        release.wait(timeout=10)  # the first request holds its transaction open here
        return milestone

    def send(name):
        try:
            client = Client()
            client.force_login(user)
            answers[name] = client.post(url, data)
        finally:
            connection.close()

    import trajectories.services as services_package

    original = services_package.milestone_save
    services_package.milestone_save = held_save
    try:
        first = threading.Thread(target=send, args=("first",))
        first.start()
        assert first_inside.wait(timeout=10)
        services_package.milestone_save = original
        second = threading.Thread(target=send, args=("second",))
        second.start()
        second.join(timeout=1)
        assert second.is_alive(), "the second submission waits for the first"
        release.set()
        first.join(timeout=20)
        second.join(timeout=20)
    finally:
        services_package.milestone_save = original
        release.set()
    assert answers["first"].status_code == answers["second"].status_code == 302
    assert Milestone.objects.filter(trajectory=trajectory).count() == 1


def test_a_review_redated_while_the_interval_changes_stores_the_next_review_from_both(monkeypatch):
    """Each write stores the trajectory's next review (trajectories/review_schedule.py). The second writer (which
    locks only its review) waits for the first one's lock on the trajectory before it reads, so the stored date
    counts the new interval from the new date; reading first, it would have stored the old interval, computed
    before the first committed."""
    import datetime as dt

    from django.utils import timezone

    from trajectories import review_schedule

    owner = OrganisationFactory(name="Gemeente Racedam")
    user = UserFactory(email="racer@racedam.nl")
    trajectory = make_trajectory(owner=owner, by=user, title="Race", start_phase="verkennen")
    # Both writes also raise the page cache's revision of the trajectory, one row that serialises them already;
    # without it the test shows that review_schedule.sync's own lock does (an optimisation stays in its room).
    monkeypatch.setattr("trajectories.revisions._raise", lambda trajectories: None)
    today = timezone.localdate()
    review = services.review_start(trajectory=trajectory, by=user, held_on=today, phases=["verkennen"])
    changed, release = threading.Event(), threading.Event()

    def first():
        try:
            with transaction.atomic():
                services.plan_update(
                    trajectory=trajectory, by=user, expected_version=None, review_interval="maandelijks"
                )
                changed.set()
                release.wait(timeout=10)  # hold the transaction open while the review's date changes
        finally:
            connection.close()

    def second():
        try:
            changed.wait(timeout=10)
            services.review_update(
                review=review, by=user, expected_version=None, held_on=today - dt.timedelta(days=3), summary="",
                other_attendees="", attendees=[],
            )  # fmt: skip
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    threads[1].join(timeout=1)
    release.set()
    for thread in threads:
        thread.join(timeout=20)

    assert review_schedule.differences() == {}


def test_a_light_change_naming_another_trajectorys_review_neither_waits_for_nor_locks_it():
    """The meeting's light change locks the review only when it belongs to the URL's trajectory (issue 21): with
    another trajectory's review in the URL it answers 404 at once, even while a colleague's transaction holds
    that review, and takes no lock on it."""
    from django.test import Client
    from django.urls import reverse

    from tests.factories import MembershipFactory
    from trajectories.models import Review

    owner = OrganisationFactory(name="Gemeente Racedam")
    user = MembershipFactory(organisation=owner, role="bewerker", user=UserFactory(email="racer@racedam.nl")).user
    mine = make_trajectory(owner=owner, by=user, title="Mijn traject", start_phase="verkennen")
    other = make_trajectory(owner=owner, by=user, title="Ander traject", start_phase="verkennen")
    theirs = services.review_start(trajectory=other, by=user, held_on=dt.date(2026, 11, 23), phases=["verkennen"])
    item = theirs.items.first()
    held, release, answers = threading.Event(), threading.Event(), {}

    def colleague():
        try:
            with transaction.atomic():
                Review.objects.select_for_update().get(pk=theirs.pk)
                held.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    def light_change():
        try:
            client = Client()
            client.force_login(user)
            url = reverse("trajectories:review_item", args=[mine.pk, theirs.pk, item.pk])
            answers["light"] = client.post(url, {"colour": "rood"}, headers={"HX-Request": "true"})
        finally:
            connection.close()

    holder = threading.Thread(target=colleague)
    holder.start()
    try:
        assert held.wait(timeout=10)
        changer = threading.Thread(target=light_change)
        changer.start()
        changer.join(timeout=5)
        assert not changer.is_alive(), "the light change waited for another trajectory's review"
    finally:
        release.set()
        holder.join(timeout=20)
    assert answers["light"].status_code == 404
    item.refresh_from_db()
    assert item.colour == ""
