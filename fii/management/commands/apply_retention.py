"""Anonymise the personal data of closed trajectories whose retention period has passed (see trajectories.retention).

Idempotent and safe to run from cron: a second run finds nothing and says so. ``--dry-run`` reports what
would change and changes nothing; ``--now`` pretends another moment (tests, or to preview a date). It also
forgets the one-time tokens of create forms older than a few days (organisations/submissions.py).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from organisations.submissions import KEEP_DAYS, forget_old
from trajectories.retention import apply_retention


class Command(BaseCommand):
    help = "Anonymise personal data of closed trajectories after the giving organisation's retention period."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; change nothing.")
        parser.add_argument("--now", help="The moment to compare with, ISO 8601 (default: now).")

    def handle(self, *args, dry_run: bool = False, now: str | None = None, **options):
        moment = timezone.now()
        if now:
            parsed = parse_datetime(now) or (
                dt.datetime.combine(dt.date.fromisoformat(now), dt.time()) if len(now) == 10 else None
            )
            if parsed is None:
                raise CommandError("--now takes an ISO 8601 date or date and time, for example 2030-01-31.")
            moment = timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed
        outcome = apply_retention(now=moment, dry_run=dry_run)
        if not dry_run:
            forgotten = forget_old(now=moment)
            if forgotten:
                self.stdout.write(f"Forgot {forgotten} form submission tokens older than {KEEP_DAYS} days.")
        if not outcome.trajectories:
            self.stdout.write("Nothing to anonymise: no closed trajectory has passed its retention period.")
            return
        prefix = "Dry run, nothing changed. Would anonymise" if dry_run else "Anonymised"
        self.stdout.write(
            f"{prefix} {len(outcome.trajectories)} trajectories: {outcome.fields} fields, "
            f"{outcome.history_rows} history fields, {outcome.persons} persons erased."
        )
        for trajectory in outcome.trajectories:
            self.stdout.write(f"  #{trajectory.pk} {trajectory.owner}")
