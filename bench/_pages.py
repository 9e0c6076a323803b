"""The bench user's session and the paths of each measured page, chosen one way for every page benchmark.

``bench/load.py`` and ``bench/stall.py`` run :func:`prepare` in a child process per database (Django's settings are
per process); ``bench/page_profile.py`` calls :func:`bench_session` and :func:`page_paths` in its own process. So
the three measure the same pages of the same trajectories with a session made as a login makes it. Django must be
set up before any function here is called.
"""

from __future__ import annotations

USERS = {"all": "bench@example.invalid", "one": "seed-01-0-beheerder@example.invalid"}
# --user all: the bench user, beheerder in every seeded organisation; --user one: the beheerder of the first seeded
# organisation only, whose pages must cost the same however many other trajectories exist (issue 21).


def bench_session(user) -> str:
    """A day-long session for ``user`` with the login backend a real login records; its key."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "organisations.backends.AccountBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.set_expiry(24 * 60 * 60)
    session.create()
    return session.session_key


def page_paths(user, n: int) -> tuple[list[int], dict[str, list[str]]]:
    """(the ids of the trajectories the user sees, the paths of each page): up to ``n`` trajectory and review
    pages, spread over what the user sees, and light changes in open reviews of other trajectories."""
    from django.urls import reverse

    from trajectories.access import visible_trajectories
    from trajectories.models import Review

    ids = list(visible_trajectories(user).order_by("pk").values_list("pk", flat=True))
    step = max(1, len(ids) // n)
    # Not every fifth from the first (seed_scale gives those their open review); at most half of what the user
    # sees, so the light changes have open reviews left in the other half.
    chosen = ids[2::step][: min(n, len(ids) // 2)]
    finalised: dict[int, Review] = {}
    done = Review.objects.filter(trajectory_id__in=chosen, finalised_at__isnull=False)
    for review in done.order_by("trajectory_id", "-held_on"):
        finalised.setdefault(review.trajectory_id, review)
    # Light changes in other trajectories than the measured trajectory pages, which they would make render again
    # (the portfolio rows they touch do render again: a meeting in progress does that too).
    open_reviews = list(
        Review.objects.filter(finalised_at__isnull=True, items__isnull=False, trajectory_id__in=ids)
        .exclude(trajectory_id__in=chosen)
        .distinct()
        .order_by("trajectory_id")[:n]
    )
    items = {r.pk: r.items.order_by("position").values_list("pk", flat=True)[0] for r in open_reviews}
    portfolio = reverse("trajectories:portfolio")
    return ids, {
        "baseline": ["/bench/baseline/"],
        "portfolio": [f"{portfolio}?page={p}" for p in range(1, 9)],
        "trajectory": [reverse("trajectories:detail", args=[pk]) for pk in chosen],
        "review": [finalised[pk].get_absolute_url() for pk in chosen if pk in finalised],
        "light change": [
            reverse("trajectories:review_item", args=[r.trajectory_id, r.pk, items[r.pk]]) for r in open_reviews
        ],
        "my actions": [reverse("trajectories:my_actions")],
        "my week": [reverse("trajectories:my_week")],
    }


def statements_per_page(session_key: str, paths: dict[str, list[str]]) -> dict[str, int]:
    """The statements of one request of each page (transaction control left out), through Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = session_key
    control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")
    counts = {}
    for page, urls in paths.items():
        with CaptureQueriesContext(connection) as captured:
            if page == "light change":
                response = client.post(urls[0], {"colour": "oranje"}, headers={"HX-Request": "true"})
            else:
                response = client.get(urls[0])
        assert response.status_code == 200, (page, urls[0], response.status_code)
        counts[page] = sum(1 for q in captured.captured_queries if not q["sql"].startswith(control))
    return counts


def explain_visibility(user) -> dict[str, list[str]]:
    """The visibility queries of every list page as PostgreSQL plans them: the count and the first page of ids."""
    from django.db import connection

    from trajectories.access import visible_trajectories

    if connection.vendor != "postgresql":
        return {}
    visible = visible_trajectories(user)
    explain = {}
    for label, qs in (
        ("count", visible.order_by().values("pk")),
        ("page of ids", visible.order_by("title", "pk").values("pk")[:25]),
    ):
        sql, params = qs.query.sql_with_params()
        if label == "count":
            sql = f"SELECT count(*) FROM ({sql}) AS visible"
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) " + sql, params)
            explain[label] = [row[0] for row in cursor.fetchall()]
    return explain


def long_work(user, ids: list[int]) -> dict:
    """What bench/stall.py runs beside the light changes: the progress report PDF of the visible trajectory with
    the most reviews, over its whole life, and the JSON export of the first organisation the user manages."""
    from django.db import models
    from django.urls import reverse

    from organisations.access import may_manage, memberships_of
    from trajectories.models import Review, Trajectory

    biggest = (
        Review.objects.filter(trajectory_id__in=ids)
        .values("trajectory_id")
        .annotate(n=models.Count("pk"))
        .order_by("-n", "trajectory_id")
        .first()
    )
    trajectory = Trajectory.objects.get(pk=biggest["trajectory_id"])
    start = trajectory.created_at.date().isoformat()
    organisation = min(pk for pk in memberships_of(user) if may_manage(user, pk))
    return {
        "pdf": reverse("trajectories:progress_report_pdf", args=[trajectory.pk]) + f"?van={start}&tot=2100-01-01",
        "pdf_reviews": biggest["n"],
        "export": reverse("trajectories:organisation_export", args=[organisation]),
        "exported": Trajectory.objects.filter(owner_id=organisation).count(),
    }


def prepare(user_key: str, n: int, *, with_long_work: bool = False) -> dict:
    """Everything a load run needs of one database, as JSON-ready values (the child process prints them)."""
    from organisations.models import User
    from trajectories.models import Review, Trajectory

    user = User.objects.get(email=USERS[user_key])
    session = bench_session(user)
    ids, paths = page_paths(user, n)
    info = {
        "session": session,
        "paths": paths,
        "queries": statements_per_page(session, paths),
        "explain": explain_visibility(user),
        "trajectories": Trajectory.objects.count(),
        "visible": len(ids),
        "reviews": Review.objects.count(),
    }
    if with_long_work:
        info.update(long_work(user, ids))
    return info
