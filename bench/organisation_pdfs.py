"""Benchmark the PDFs of a whole organisation (the portfolio report and "Leren van trajecten") as the background
job makes them (issue 21): queries and seconds at two sizes of one organisation.

Run from the project root; it seeds a throw-away SQLite database of its own (``seed_scale``), never the
developer's, with the largest size, and gives the first ``size`` trajectories to one organisation for each size:

    .venv/bin/python bench/organisation_pdfs.py [--sizes 50 200] [--reviews 8] [--repeat 3]

Prints, per size and report, the statements of one run (the same at every size: the job reads per model, not per
trajectory), the median seconds of ``--repeat`` runs, the PDF's size, and the load average.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(tmp: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "fii.settings"
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--reviews", type=int, default=8, help="biweekly reviews per trajectory (8)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="fii-bench-pdfs-") as tmp:
        setup_django(Path(tmp))
        from django.core.management import call_command
        from django.db import connection
        from django.utils import translation

        from fii.management.commands.seed_scale import BENCH_EMAIL
        from organisations.jobs import run_job
        from organisations.models import Job, User
        from trajectories import jobs, visibility
        from trajectories.models import Trajectory

        translation.activate("nl")
        began = time.perf_counter()
        size = max(args.sizes)
        call_command("seed_scale", size=str(size), reviews=args.reviews, verbosity=0, stdout=io.StringIO())
        print(f"Seeded {size} trajectories ({args.reviews} reviews each) in {time.perf_counter() - began:.0f} s.")
        user = User.objects.get(email=BENCH_EMAIL)
        ids = list(Trajectory.objects.order_by("pk").values_list("pk", flat=True))
        owner = Trajectory.objects.get(pk=ids[0]).owner
        other = Trajectory.objects.exclude(owner=owner).values_list("owner_id", flat=True).first()
        # Only ownership decides which trajectories the organisation's reports cover (this database is ours).
        Trajectory.objects.update(receiving_organisation=None)
        Trajectory.participants.through.objects.all().delete()

        for n in sorted(args.sizes):
            Trajectory.objects.filter(pk__in=ids[:n]).update(owner=owner)
            Trajectory.objects.filter(pk__in=ids[n:]).update(owner_id=other)
            visibility.sync(ids)
            print(f"{n} trajectories of {owner.name} (load {os.getloadavg()[0]:.2f}):")
            for kind in (jobs.PORTFOLIO_PDF, jobs.LEARNING_PDF):
                seconds, queries, pdf_bytes = [], 0, 0
                for round_ in range(args.repeat + 1):  # the first run counts the statements, untimed
                    job = jobs.organisation_pdf_start(user=user, organisation=owner, kind=kind)
                    counted = [0]

                    def count(execute, sql, params, many, context, counted=counted):
                        counted[0] += 1
                        return execute(sql, params, many, context)

                    start = time.perf_counter()
                    with connection.execute_wrapper(count):
                        run_job.call(job.pk)
                    elapsed = time.perf_counter() - start
                    job.refresh_from_db()
                    assert job.status == Job.Status.DONE, job.error
                    if round_ == 0:
                        queries, pdf_bytes = counted[0], job.result.size
                    else:
                        seconds.append(elapsed)
                print(
                    f"  {kind:<14} {queries:>5} statements  median {statistics.median(seconds):6.2f} s  "
                    f"max {max(seconds):6.2f} s  {pdf_bytes / 1024:7.0f} KiB"
                )
        print(f"Load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
