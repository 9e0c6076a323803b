"""Recompute each trajectory's next review from its reviews and phases and compare it with the stored one.

The columns ``review_due_on`` and ``review_due_stale_on`` (``trajectories/review_schedule.py``) are kept by the
services. A write past them (a ``queryset.update()`` of a review's date, a phase start or the review interval, raw
SQL, a restore of part of a backup) would leave Mijn week ordering by a wrong date. This command says so (exit
status 1) and, with ``--repair``, stores the right dates.
"""

from django.core.management.base import BaseCommand, CommandError

from trajectories import review_schedule


class Command(BaseCommand):
    help = "Compare each trajectory's stored next review with its reviews and phases; --repair stores the right one."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="store the dates that differ")

    def handle(self, *args, repair=False, **options):
        moved = review_schedule.differences()
        for pk, (due, stale) in sorted(moved.items()):
            self.stdout.write(f"trajectory {pk}: next review {due}, stale from {stale or '-'}")
        if not moved:
            self.stdout.write("Every stored next review follows the trajectory's reviews and phases.")
            return
        if repair:
            review_schedule.rebuild()
            self.stdout.write(f"Repaired {len(moved)} trajectories.")
            return
        raise CommandError(f"{len(moved)} trajectories differ; run with --repair to store them.", returncode=1)
