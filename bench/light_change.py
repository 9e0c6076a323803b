"""What one light change costs, statement by statement, and where its floor lies (issue 21).

Run from the project root against a database seeded by ``manage.py seed_scale`` (never your own data: it changes
lights in the seed's open reviews):

    .venv/bin/python bench/light_change.py --database postgresql://postgres@127.0.0.1:5432/fii_scale_2k

In one process with the Django test client, logged in as the beheerder of one seeded organisation: ``--changes``
light changes (the htmx POST of the review page, colours in turn, items of several open reviews), each timed whole
and per SQL statement (``connection.execute_wrapper``: the time from handing the statement to the driver until the
rows are back, so ORM compilation is not in it), and as many requests to the bare baseline view in between. The
COMMIT is timed too, on its own line: Django sends it through the driver's ``commit()``, which ``execute_wrapper``
never sees, so :func:`commits_timed` wraps the connection's ``_commit`` (the one call every commit of the
connection goes through); its time is mostly the server's wait for the write-ahead log to reach the disk, and a
write cannot do without it (durability). Prints per statement: how often per change, median milliseconds, and
whether the statement is one a write of this kind cannot do without (the session and user, the locked read, the
write itself, the audit and history rows that issue 8 requires, and the COMMIT); then the request's median, the
part spent in statements, the COMMIT, the rest (Python: the view, the form, the ORM and the template of the swapped
cell), and the baseline; then the ratio the light change would reach with only the needed statements, keeping
today's Python, and the floor: the baseline plus the needed statements (the COMMIT among them) alone.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

from _client import seeded, setup_django

# The statements every light change needs, by the start of their normalised text (see ``kind``).
NEEDED = (
    "SELECT django_session",  # who asks
    "SELECT organisations_user",
    "SELECT trajectories_review FOR UPDATE",  # the lock that keeps two meetings' clicks in order
    "SELECT trajectories_reviewitem",
    "UPDATE trajectories_reviewitem",  # the write
    "INSERT organisations_auditevent",  # issue 8: who changed what, kept apart from the data
    "INSERT trajectories_historicalreviewitem",
    "COMMIT",  # durability: the change is on disk before the meeting sees it
)


def kind(sql: str) -> str:
    """A statement's verb and first table, and FOR UPDATE when it locks: enough to group the statements."""
    verb = sql.split(None, 1)[0].upper()
    # Subqueries out first (the user read selects its cache version in one), so the statement's own table is named.
    outer, previous = sql, None
    while outer != previous:
        previous, outer = outer, re.sub(r"\([^()]*\)", " ", outer)
    tables = re.findall(r'(?:FROM|INTO|UPDATE|JOIN)\s+"?([a-z_]+)"?', outer, re.IGNORECASE)
    label = f"{verb} {tables[0] if tables else '?'}"
    if verb == "SELECT" and "FOR UPDATE" in sql.upper():
        label += " FOR UPDATE"
    return label


@contextmanager
def commits_timed(connection, into: list[float]) -> Iterator[None]:
    """Append the milliseconds of every COMMIT of ``connection`` to ``into`` while the block runs.

    ``connection.commit()`` (and so the commit at the end of ``ATOMIC_REQUESTS``) calls ``connection._commit()``,
    which hands the commit to the driver; shadowing it on this connection object only, and removing the shadow
    afterwards, leaves every other connection and the class alone.
    """
    original = connection._commit

    def timed_commit():
        began = time.perf_counter()
        try:
            return original()
        finally:
            into.append((time.perf_counter() - began) * 1000)

    connection._commit = timed_commit
    try:
        yield
    finally:
        del connection._commit


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="DATABASE_URL of a database seeded by seed_scale")
    parser.add_argument("--changes", type=int, default=200, help="light changes to time (200)")
    args = parser.parse_args()

    os.environ["FII_BENCH_BASELINE"] = "1"
    setup_django(args.database)

    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from organisations.models import User
    from trajectories.access import visible_trajectories
    from trajectories.models import Review

    if not seeded(seed=False, size=""):
        return 2
    user = User.objects.get(email="seed-01-0-beheerder@example.invalid")
    client = Client()
    client.force_login(user)
    reviews = list(
        Review.objects.filter(finalised_at__isnull=True, trajectory__in=visible_trajectories(user))
        .prefetch_related("items")
        .order_by("trajectory_id")[:10]
    )
    urls = [
        reverse("trajectories:review_item", args=[r.trajectory_id, r.pk, item.pk])
        for r in reviews
        for item in list(r.items.all())[:20]
    ]
    if not urls:
        print("No open review with items is visible to the seed's beheerder of the first organisation.")
        return 2
    colours = ("groen", "oranje", "rood")

    per_kind: dict[str, list[float]] = defaultdict(list)
    statement_ms: list[float] = []
    commit_ms: list[float] = []
    request_ms: list[float] = []
    baseline_ms: list[float] = []
    counts: list[int] = []

    def timed(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            current.append((kind(sql), (time.perf_counter() - began) * 1000))

    load_before = os.getloadavg()
    for n in range(args.changes + 10):  # the first ten warm up and are not counted
        url = urls[n % len(urls)]
        current: list[tuple[str, float]] = []
        committed: list[float] = []
        with connection.execute_wrapper(timed), commits_timed(connection, committed):
            began = time.perf_counter()
            response = client.post(url, {"colour": colours[n % 3]}, headers={"HX-Request": "true"})
            elapsed = (time.perf_counter() - began) * 1000
        assert response.status_code == 200, (url, response.status_code)
        began = time.perf_counter()
        assert client.get("/bench/baseline/").status_code == 200
        baseline = (time.perf_counter() - began) * 1000
        if n < 10:
            continue
        request_ms.append(elapsed)
        baseline_ms.append(baseline)
        counts.append(len(current))
        statement_ms.append(sum(ms for _label, ms in current))
        commit_ms.append(sum(committed))
        for label, ms in current:
            per_kind[label].append(ms)
        for ms in committed:
            per_kind["COMMIT"].append(ms)
    load_after = os.getloadavg()

    changes = len(request_ms)
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}; {changes} light changes, "
          f"{len(urls)} items of {len(reviews)} open reviews; {os.cpu_count()} CPUs")  # fmt: skip
    print(f"Load average before: {' '.join(f'{x:.2f}' for x in load_before)}")
    print(f"{'statement':<52} {'per change':>10} {'median ms':>9} {'needed':>6}")
    needed_ms = 0.0
    for label, values in sorted(per_kind.items(), key=lambda kv: -statistics.median(kv[1]) * len(kv[1])):
        per_change = len(values) / changes
        needed = label.startswith(NEEDED)
        if needed:
            needed_ms += statistics.median(values) * per_change
        print(f"{label:<52} {per_change:>10.2f} {statistics.median(values):>9.2f} {'yes' if needed else '':>6}")
    request, statements, commit, baseline = (
        statistics.median(x) for x in (request_ms, statement_ms, commit_ms, baseline_ms)
    )
    rest = statistics.median(r - s - c for r, s, c in zip(request_ms, statement_ms, commit_ms, strict=True))
    print(
        f"statements per change (COMMIT aside): median {statistics.median(counts):.0f} "
        f"(min {min(counts)}, max {max(counts)})"
    )
    print(
        f"request median {request:.2f} ms = statements {statements:.2f} ms + COMMIT {commit:.2f} ms "
        f"+ the rest {rest:.2f} ms (Python)"
    )
    print(f"baseline view median {baseline:.2f} ms; light change ÷ baseline (time ratio, the req/s ratio of "
          f"bench/load.py): {baseline / request:.2f}")  # fmt: skip
    # Two bounds: keep the Python rest as it is and drop only the statements that are not needed; or, lower
    # still, assume the rest could shrink to the baseline's own (no view, form or ORM work at all).
    kept_rest = baseline / (rest + needed_ms)
    bare = baseline / (baseline + needed_ms)
    print(
        f"ratio with only the needed statements ({needed_ms:.2f} ms) and today's Python rest: {kept_rest:.2f}; "
        f"with only the needed statements and no Python beyond the baseline's: {bare:.2f} (the floor)"
    )
    print(f"Load average after: {' '.join(f'{x:.2f}' for x in load_after)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
