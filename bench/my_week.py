"""Mijn week, my actions and the calendar feed of a user who works on every trajectory (issue 21).

Run from the project root against a database seeded by ``manage.py seed_scale`` (never your own data):

    .venv/bin/python bench/my_week.py --database postgresql://postgres@127.0.0.1:5432/fii_week_bench --seed --size 1000

``--seed`` migrates the database and seeds it with ``seed_scale --size <size>`` first, unless it is seeded already.
The seed's ``bench@example.invalid`` is beheerder of every seeded organisation, so Mijn week covers every active
trajectory of the installation: the page a national administrator would open (``--user one``: the beheerder of one
organisation, for comparison). Measured in one process with the
Django test client (no web server): the number of queries (from an untimed warm-up), and the median and 95th
percentile of ``--repeat`` runs, with the load average before and after. To compare two versions of the code side by
side, run this file from each checkout against the same database.
"""

from __future__ import annotations

from _client import measure, parser, seeded, setup_django


def main() -> int:
    cli = parser(__doc__, size="1000", repeat=7)
    cli.add_argument(
        "--user",
        choices=["all", "one"],
        default="all",
        help="all: the seed's beheerder of every organisation (default); one: the beheerder of one organisation",
    )
    cli.add_argument("--no-feed", action="store_true", help="leave the calendar feed out (seconds at 2,000)")
    args = cli.parse_args()

    setup_django(args.database)

    from django.test import Client
    from django.urls import reverse

    from fii.management.commands.seed_scale import BENCH_EMAIL
    from organisations.models import User
    from trajectories.access import visible_trajectories
    from trajectories.calendar import calendar_token_for

    if not seeded(seed=args.seed, size=args.size):
        return 2

    # The same two users as bench/load.py --user.
    user = User.objects.get(email=BENCH_EMAIL if args.user == "all" else "seed-01-0-beheerder@example.invalid")
    client = Client()
    client.force_login(user)
    feed_url = reverse("trajectories:calendar_feed", args=[calendar_token_for(user).token])
    active = visible_trajectories(user).count()

    def get(url: str):
        def run():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return run

    measurements = {
        f"Mijn week ({active:,} active trajectories)": get(reverse("trajectories:my_week")),
        "my actions (open, 50 a page)": get(reverse("trajectories:my_actions")),
        "calendar feed (every visible trajectory)": get(feed_url),
        "portfolio (25 rows)": get(reverse("trajectories:portfolio")),
    }
    if args.no_feed:
        del measurements["calendar feed (every visible trajectory)"]
    measure(measurements, repeat=args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
