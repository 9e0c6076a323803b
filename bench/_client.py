"""What the test-client benchmarks share (bench/learning.py, bench/my_week.py): Django set up against a seeded
database, and pages timed in one process with the load average printed beside them.

Each measurement runs once untimed (that run counts its queries), then ``repeat`` timed rounds whose order rotates
every round, so a busy neighbour slows them alike. Prints queries, median and 95th percentile in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parser(description: str | None, *, size: str, repeat: int) -> argparse.ArgumentParser:
    """The options every test-client benchmark takes: the seeded database, seeding it, and the timed runs."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="DATABASE_URL of a database seeded by seed_scale")
    parser.add_argument("--seed", action="store_true", help="migrate and seed the database first if it is empty")
    parser.add_argument("--size", default=size, help=f"seed_scale --size for --seed ({size})")
    parser.add_argument("--repeat", type=int, default=repeat, help=f"timed runs per measurement ({repeat})")
    return parser


def setup_django(database_url: str) -> None:
    os.environ.update(
        DATABASE_URL=database_url,
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


def seeded(*, seed: bool, size: str) -> bool:
    """Whether the database holds a ``seed_scale`` seed; with ``seed``, migrate and seed an empty one first."""
    from django.core.management import call_command

    from fii.management.commands.seed_scale import SEED_PREFIX
    from organisations.models import Organisation

    if seed:
        call_command("migrate", verbosity=0)
        if not Organisation.objects.filter(name__startswith=SEED_PREFIX).exists():
            call_command("seed_scale", size=size)
    if Organisation.objects.filter(name__startswith=SEED_PREFIX).exists():
        return True
    print("This database is not seeded by seed_scale; pass --seed (into an empty database).", file=sys.stderr)
    return False


def measure(measurements: dict[str, Callable[[], object]], *, repeat: int, prime: Iterable[str] = ()) -> None:
    """Time every measurement and print the table; ``prime`` names those run once more before the counted
    run (a warm cache is measured warm)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    load_before = os.getloadavg()
    queries: dict[str, int] = {}
    for name, run in measurements.items():
        if name in prime:
            run()
        with CaptureQueriesContext(connection) as captured:
            run()
        queries[name] = len(captured)
    times: dict[str, list[float]] = {name: [] for name in measurements}
    for n in range(repeat):
        names = list(measurements)
        names = names[n % len(names) :] + names[: n % len(names)]
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
