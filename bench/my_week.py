"""Mijn week and the calendar feed of a user who works on every trajectory (issue 21, the all-organisations user).

Run from the project root against a database seeded by ``manage.py seed_scale`` (never your own data):

    .venv/bin/python bench/my_week.py --database postgresql://postgres@127.0.0.1:5432/fii_week_bench --seed --size 1000

``--seed`` migrates the database and seeds it with ``seed_scale --size <size>`` first, unless it is seeded already.
The seed's ``bench@example.invalid`` is beheerder of every seeded organisation, so Mijn week covers every active
trajectory of the installation: the page a national administrator would open. Measured in one process with the
Django test client (no web server): the number of queries (from an untimed warm-up), and the median and 95th
percentile of ``--repeat`` runs, with the load average before and after. To compare two versions of the code side by
side, run this file from each checkout against the same database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="DATABASE_URL of a database seeded by seed_scale")
    parser.add_argument("--seed", action="store_true", help="migrate and seed the database first if it is empty")
    parser.add_argument("--size", default="1000", help="seed_scale --size for --seed (1000)")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per measurement (7)")
    args = parser.parse_args()

    os.environ.update(
        DATABASE_URL=args.database,
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-not-for-production-" + "x" * 20,
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        FII_REQUIRE_2FA="0",
        LOG_LEVEL="WARNING",
        PLAIN_STATIC="1",  # no collectstatic manifest needed: the test client serves no static file
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fii.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from fii.management.commands.seed_scale import BENCH_EMAIL, SEED_PREFIX
    from organisations.models import Organisation, User
    from trajectories.calendar import calendar_token_for
    from trajectories.models import Trajectory

    if args.seed:
        call_command("migrate", verbosity=0)
        if not Organisation.objects.filter(name__startswith=SEED_PREFIX).exists():
            call_command("seed_scale", size=args.size)
    if not Organisation.objects.filter(name__startswith=SEED_PREFIX).exists():
        print("This database is not seeded by seed_scale; pass --seed (into an empty database).", file=sys.stderr)
        return 2

    load_before = os.getloadavg()
    user = User.objects.get(email=BENCH_EMAIL)
    client = Client()
    client.force_login(user)
    feed_url = reverse("trajectories:calendar_feed", args=[calendar_token_for(user).token])
    active = Trajectory.objects.filter(archived_at__isnull=True).count()

    def get(url: str):
        def run():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return run

    measurements = {
        f"Mijn week ({active:,} active trajectories)": get(reverse("trajectories:my_week")),
        "calendar feed (every visible trajectory)": get(feed_url),
        "portfolio (25 rows)": get(reverse("trajectories:portfolio")),
    }
    queries: dict[str, int] = {}
    for name, run in measurements.items():  # the untimed warm-up counts the queries
        with CaptureQueriesContext(connection) as captured:
            run()
        queries[name] = len(captured)
    times: dict[str, list[float]] = {name: [] for name in measurements}
    for n in range(args.repeat):
        names = list(measurements)
        names = names[n % len(names) :] + names[: n % len(names)]  # rotate the order every round
        for name in names:
            began = time.perf_counter()
            measurements[name]()
            times[name].append((time.perf_counter() - began) * 1000)
    load_after = os.getloadavg()

    print(f"Code: {ROOT}; database: {connection.vendor} {connection.settings_dict['NAME']}; {os.cpu_count()} CPUs")
    print(f"Load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}")
    print(f"{'Measurement':<48} {'queries':>7} {'median ms':>10} {'p95 ms':>8}")
    for name, values in times.items():
        p95 = statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]
        print(f"{name:<48} {queries[name]:>7} {statistics.median(values):>10.1f} {p95:>8.1f}")
    print(f"Load average after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
