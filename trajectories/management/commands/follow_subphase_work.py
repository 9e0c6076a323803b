"""Once, after upgrading to stored subphase statuses: mark "bezig" what recorded work already shows.

Before issue 19 a subphase's status was only what the team set by hand, so a trajectory whose phase 1 was filled
in could still show 1a–1c as "niet gestart". The services now do this as work is recorded; this command brings
existing trajectories level with them, with the same rule (:func:`subphases_follow_work`: "niet gestart" with
recorded work becomes "bezig"; "afgerond" and "overgeslagen" are never touched). Running it again changes nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from fii.model import PHASES
from trajectories.models import Trajectory
from trajectories.services.subphases import subphases_follow_work


class Command(BaseCommand):
    help = 'Mark subphases with recorded work "bezig" (after upgrading; safe to run again).'

    def handle(self, *args, **options):
        changed = 0
        for trajectory in Trajectory.objects.order_by("pk").iterator(chunk_size=200):
            with transaction.atomic():
                for phase in PHASES:
                    changed += len(subphases_follow_work(trajectory=trajectory, by=None, phase=phase.code))
        self.stdout.write(f"{changed} subphase(s) marked in progress.")
