"""Create the notifications that are due, mail them per each person's settings, and send the digests.

For cron (every few minutes) or, with ``--every SECONDS``, as a long-running process next to the mail worker
(``make run`` starts it so). Safe to run twice and on several machines at once: unique keys in the database
decide, so nothing is created or mailed twice. ``--now`` pretends another moment (tests, or a preview).
"""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from organisations.jobs import jobs_remove_expired
from organisations.mail import mail_requeue_stranded
from trajectories.scheduler import send_notifications


def parse_moment(value: str) -> dt.datetime:
    parsed = parse_datetime(value) or (
        dt.datetime.combine(dt.date.fromisoformat(value), dt.time()) if len(value) == 10 else None
    )
    if parsed is None:
        raise CommandError("--now takes an ISO 8601 date or date and time, for example 2030-01-31T08:00.")
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


class Command(BaseCommand):
    help = "Create due notifications, mail them per the recipients' settings and send the daily and weekly digests."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="The moment to act for, ISO 8601 (default: now).")
        parser.add_argument(
            "--every", type=int, metavar="SECONDS", help="Keep running and repeat after this many seconds."
        )

    def handle(self, *args, now: str | None = None, every: int | None = None, **options):
        if every is not None and (every < 10 or now):
            raise CommandError("--every needs at least 10 seconds and cannot be combined with --now.")
        while True:
            moment = parse_moment(now) if now else None
            outcome = send_notifications(now=moment)
            requeued = mail_requeue_stranded(now=moment)
            expired = jobs_remove_expired(now=moment)
            created = ", ".join(f"{kind} {n}" for kind, n in sorted(outcome.created.items())) or "none"
            self.stdout.write(
                f"{timezone.localtime():%Y-%m-%d %H:%M} notifications created: {created}; "
                f"daily digests {outcome.daily_digests}, weekly digests {outcome.weekly_digests}; "
                f"mails queued again {requeued}; expired downloads removed {expired}."
            )
            if every is None:
                return
            close_old_connections()
            time.sleep(every)
