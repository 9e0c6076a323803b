"""Recompute who sees which trajectory from the source fields and compare with the visibility table.

The table (``trajectories/visibility.py``) is derived from each trajectory's owner, receiving organisation and
participants. A write that bypassed the receivers (a ``queryset.update()`` of those fields, raw SQL, a restore
of part of a backup) would leave it wrong: organisations would miss a trajectory or see one they left. This
command says so (exit status 1) and, with ``--repair``, puts the table right.
"""

from django.core.management.base import BaseCommand, CommandError

from trajectories import visibility


class Command(BaseCommand):
    help = "Compare the visibility table with the trajectories' organisations; --repair makes it follow them."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="rewrite the rows that differ")

    def handle(self, *args, repair=False, **options):
        missing, superfluous, wrong = visibility.differences()
        for label, pairs in (("missing", missing), ("superfluous", superfluous), ("wrong relation", wrong)):
            for (organisation, trajectory), relation in sorted(pairs.items()):
                self.stdout.write(f"{label}: organisation {organisation}, trajectory {trajectory} ({relation})")
        count = len(missing) + len(superfluous) + len(wrong)
        if not count:
            self.stdout.write("The visibility table follows the trajectories' organisations.")
            return
        if repair:
            visibility.rebuild()
            self.stdout.write(f"Repaired {count} rows.")
            return
        raise CommandError(f"{count} rows differ; run with --repair to rewrite them.", returncode=1)
