"""The seed command for benchmarks, and query budgets that do not grow with the size of the data.

Speed itself is measured by bench/load.py, never here; these tests only count queries.
"""

import random

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fii import middleware
from fii.management.commands.seed_scale import BENCH_EMAIL, UPDATES_PER_ROW, Seeder
from organisations.models import AuditEvent, Organisation, User
from trajectories import review_schedule, visibility
from trajectories.models import Action, ChecklistItem, Review, ReviewItem, Stakeholder, Trajectory

from .factories import make_trajectory

QUERY_BUDGET = 12


@pytest.mark.django_db
def test_seed_command_creates_pages_that_render(client, capsys):
    call_command("seed_scale", "--size", "6", "--items", "4", "--stakeholders", "3")
    out = capsys.readouterr().out
    assert "Seeded on" in out and "trajectories" in out and "review items" in out
    assert Trajectory.objects.count() == 6
    assert set(Trajectory.objects.values_list("current_phase", flat=True)) == {
        "signaleren", "verkennen", "innoveren", "versterken", "implementeren", "borgen"
    }  # fmt: skip
    trajectory = Trajectory.objects.get(current_phase="borgen")
    assert ChecklistItem.objects.filter(trajectory=trajectory).count() == 6 * 4  # every phase it reached
    assert trajectory.reviews.count() == 26
    assert ReviewItem.objects.filter(review__trajectory=trajectory).count() == 26 * 4
    assert trajectory.transitions.count() == 6
    assert Stakeholder.objects.filter(trajectory=trajectory).count() == 3
    assert Action.objects.filter(trajectory=trajectory).exists()
    assert trajectory.reviews.filter(finalised_at__isnull=True).count() <= 1

    client.force_login(User.objects.get(email=BENCH_EMAIL))
    portfolio = client.get(reverse("trajectories:portfolio"))
    assert portfolio.status_code == 200
    assert portfolio.context["page"].paginator.count == 6
    assert client.get(trajectory.get_absolute_url()).status_code == 200
    assert client.get(trajectory.reviews.first().get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_seed_command_writes_history_audit_and_visibility_rows_as_real_use_does():
    call_command("seed_scale", "--size", "10", "--items", "4", "--stakeholders", "3")
    reviews = Review.objects.count()
    history = Review.history_records.model.objects
    assert history.filter(history_type="+").count() == reviews  # one "created" row per review
    changed = history.filter(history_type="~").count()
    assert changed == round(reviews * UPDATES_PER_ROW[Review])  # and the changes the demo's use leaves
    items = ReviewItem.objects.count()
    assert ReviewItem.history_records.model.objects.filter(history_type="~").count() == round(
        items * UPDATES_PER_ROW[ReviewItem]
    )
    assert ChecklistItem.history_records.model.objects.count() == ChecklistItem.objects.count()
    events = AuditEvent.objects.filter(object_type="trajectories.Review")
    assert events.filter(action="create").count() == reviews
    assert events.filter(action="update").count() == changed
    assert not AuditEvent.objects.filter(action="create", object_type="trajectories.ReviewItem").exists()
    owned = AuditEvent.objects.filter(object_type="trajectories.Action").exclude(organisation_id=None)
    assert owned.count() == AuditEvent.objects.filter(object_type="trajectories.Action").count() > 0
    assert visibility.differences() == ({}, {}, {})
    assert review_schedule.differences() == {}  # each trajectory's next review, stored for Mijn week
    assert not Trajectory.objects.filter(review_due_on=None).exists()


@pytest.mark.django_db
def test_seed_command_refuses_a_database_with_other_trajectories(municipality):
    make_trajectory(owner=municipality, title="Echt traject")
    with pytest.raises(CommandError, match="not seeded"):
        call_command("seed_scale", "--size", "2", "--items", "2", "--stakeholders", "1")
    assert Trajectory.objects.count() == 1


@pytest.mark.django_db
def test_seed_command_refuses_to_seed_twice():
    call_command("seed_scale", "--size", "1", "--items", "2", "--stakeholders", "1")
    with pytest.raises(CommandError, match="already seeded"):
        call_command("seed_scale", "--size", "1", "--items", "2", "--stakeholders", "1")


def _pages(trajectory: Trajectory, organisation: Organisation) -> dict:
    """The benchmarked pages (GET) and the htmx light change (POST), as (method, url, data, headers)."""
    finalised = trajectory.reviews.filter(finalised_at__isnull=False).first()
    open_review = trajectory.reviews.get(finalised_at__isnull=True)
    item = open_review.items.first()
    portfolio = reverse("trajectories:portfolio")
    htmx = {"HX-Request": "true"}
    return {
        "portfolio": ("get", portfolio, {}, {}),
        "portfolio page 2": ("get", portfolio, {"page": 2}, {}),
        "portfolio filtered": ("get", portfolio, {"phase": "implementeren", "status": "actief", "q": "a"}, {}),
        "portfolio by organisation": ("get", portfolio, {"organisation": organisation.pk}, {}),
        "portfolio htmx": ("get", portfolio, {"phase": "borgen"}, htmx),
        "trajectory": ("get", trajectory.get_absolute_url(), {}, {}),
        "review (finalised)": ("get", finalised.get_absolute_url(), {}, {}),
        "review (open)": ("get", open_review.get_absolute_url(), {}, {}),
        "review list": ("get", reverse("trajectories:reviews", args=[trajectory.pk]), {}, {}),
        "light change (htmx)": (
            "post",
            reverse("trajectories:review_item", args=[trajectory.pk, open_review.pk, item.pk]),
            {"colour": "rood"},
            htmx,
        ),
    }


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def _count(client, pages: dict, django_assert_max_num_queries) -> dict[str, int]:
    """Statements per page, without transaction control: the BEGIN and COMMIT around a write are logged as
    statements too, but do no work (the budget for a write allows for those, and for the SAVEPOINT and RELEASE
    of the service's block inside the request's transaction, organisations/audit.py).

    Each page twice: with an empty cache (the budget is for this, the first view after a change) and
    again with its parts cached (``<page> (cached)``), which must never need more."""
    counts = {}
    for name, (method, url, data, headers) in pages.items():
        control = 4 if method == "post" else 0
        cache.clear()
        for label in (name, f"{name} (cached)"):
            with (
                django_assert_max_num_queries(QUERY_BUDGET + control),
                CaptureQueriesContext(connection) as queries,
            ):
                response = getattr(client, method)(url, data, headers=headers)
            assert response.status_code == 200, (label, response.status_code)
            counts[label] = sum(1 for q in queries.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL))
            assert counts[label] <= QUERY_BUDGET, (label, counts[label])
        assert counts[f"{name} (cached)"] <= counts[name]
    return counts


@pytest.mark.django_db(transaction=True)
def test_pages_use_the_same_queries_at_two_sizes_within_budget(client, django_assert_max_num_queries, monkeypatch):
    """The benchmarked pages stay within 12 queries and need no more with ten times the trajectories.

    Without a test transaction around it, so a write's transaction adds no SAVEPOINT statements that
    production does not send either. The idle clock's once-a-minute session write is held off: on a loaded
    machine the seeding between the two counts can take longer than a minute, and that write (two statements)
    is the middleware's, not the page's.
    """
    monkeypatch.setattr(middleware, "TOUCH_EVERY", 24 * 60 * 60)
    seeder = Seeder(organisations=3, items=5, stakeholders=4, password="x" * 12, rng=random.Random(9))
    seeder.organisations_and_users()
    seeder.trajectories(range(0, 10))  # the first trajectory has an open review (every fifth has)
    client.force_login(User.objects.get(email=BENCH_EMAIL))
    trajectory = Trajectory.objects.order_by("pk").first()
    pages = _pages(trajectory, seeder.orgs[0])
    small = _count(client, pages, django_assert_max_num_queries)

    # Ten times the trajectories is what must not cost queries; their reviews and actions only have to exist, so the
    # ninety others get two reviews each instead of a year of them (the seeding was most of this test's minute).
    seeder.reviews = 2
    seeder.trajectories(range(10, 100))
    assert Trajectory.objects.count() == 100
    assert Action.objects.exclude(trajectory=trajectory).count() > Action.objects.filter(trajectory=trajectory).count()
    large = _count(client, pages, django_assert_max_num_queries)
    assert large == small
    assert Review.objects.filter(trajectory=trajectory).count() == 26
