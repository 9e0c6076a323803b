"""Learning page benchmark (issue 22): the learning page against the portfolio, on ``seed_scale --size large``.

Run from the project root against a database seeded by ``manage.py seed_scale`` (never your own data):

    .venv/bin/python bench/learning.py --database postgresql://postgres@127.0.0.1:5432/fii_learning_bench --seed
    .venv/bin/python bench/learning.py --database postgresql://postgres@127.0.0.1:5432/fii_learning_bench

``--seed`` migrates the database and seeds it with ``seed_scale --size large`` first, unless it is seeded already;
seed_scale itself refuses a database that holds trajectories it did not seed. Without ``--seed`` an unseeded
database is refused here.

What it measures, in one process with the Django test client (no web server), logged in as the seed's
``bench@example.invalid`` (beheerder of every seeded organisation, so the portfolio lists all 2,000 trajectories):

- the portfolio page (25 rows of 2,000), with its page-part cache cleared before every run (cold) and kept (warm);
- the learning page of one seeded organisation (its 50 of the 2,000 trajectories, archived included);
- the learning figures over all 2,000 trajectories (``learning_overview`` on every trajectory, no template): what
  the page would cost for an organisation that owns the whole data set.

Per measurement: the number of queries, and the median and 95th percentile of ``--repeat`` runs after one
untimed warm-up. The runs alternate between the measurements, so a busy neighbour slows them alike. The load
average before and after is printed with the figures.
"""

from __future__ import annotations

from _client import measure, parser, seeded, setup_django


def main() -> int:
    args = parser(__doc__, size="large", repeat=9).parse_args()

    setup_django(args.database)

    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from fii.management.commands.seed_scale import BENCH_EMAIL, SEED_PREFIX
    from organisations.models import Organisation, User
    from trajectories.learning import learning_overview
    from trajectories.models import Trajectory

    if not seeded(seed=args.seed, size=args.size):
        return 2

    user = User.objects.get(email=BENCH_EMAIL)
    organisation = Organisation.objects.filter(name__startswith=SEED_PREFIX).order_by("pk").first()
    client = Client()
    client.force_login(user)
    portfolio_url = reverse("trajectories:portfolio")
    learning_url = reverse("trajectories:learning", args=[organisation.pk]) + "?archived=on"

    def page(url: str, *, cold: bool):
        def run():
            if cold:
                cache.clear()
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return run

    def all_trajectories():
        learning_overview(Trajectory.objects.all(), include_archived=True)

    measurements = {
        "portfolio, cold (25 of 2,000)": page(portfolio_url, cold=True),
        "portfolio, warm (25 of 2,000)": page(portfolio_url, cold=False),
        f"learning page ({organisation.owned_trajectories.count()} trajectories)": page(learning_url, cold=False),
        f"learning figures, all {Trajectory.objects.count():,} trajectories": all_trajectories,
    }
    measure(
        measurements, repeat=args.repeat, prime=[name for name in measurements if name.startswith("portfolio, warm")]
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
