"""Load the demo organisations and trajectories, and (only with DEBUG on) the demo accounts.

Safe to run again: organisations and accounts that already exist are left as they are, and demo
trajectories are only added to a database without trajectories, so whatever users did is kept.
The FII reference model itself is code (fii/model.py) and needs no loading. The stoplight-review
history of each demo trajectory is replayed by ``_demo_reviews`` (its docstring describes the JSON).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from fii.model import PHASES, SUBPHASE_SPECS
from organisations.models import Membership, Organisation, User
from trajectories import review_schedule, services
from trajectories.models import ReviewInterval, Trajectory

from ._demo_innoveren import load_innoveren
from ._demo_outcomes import load_outcomes
from ._demo_people import load_people
from ._demo_reviews import backdate_checklists, check_keys, load_reviews
from ._demo_verkennen import load_verkennen

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"
REQUIRED_TRAJECTORY_KEYS = {
    "title",
    "intervention_name",
    "owner",
    "receiving_organisation",
    "participants",
    "commissioner",
    "days_ago",
    "has_commissioner",
    "receiving_identified",
    "start_phase",
    "by",
    "steps",
}
OPTIONAL_TRAJECTORY_KEYS = {
    "duration_days",
    "override_reason",
    "assignment",
    "subphases",
    "review_interval",
    "reviews",
    "verkennen",
    # Phase 4 and subphase 5a, loaded by _demo_people.
    "stakeholders",
    "team",
    "report_backs",
    "innoveren",
    "outcomes",
}
STEP_KEYS = {"days_ago", "to_phase", "complete_current", "completion_note", "reason", "by"}


class Command(BaseCommand):
    help = "Load the FII demo data (organisations, trajectories; demo accounts only when DEBUG is on)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DEMO_FILE), help="Demo data file (JSON).")
        parser.add_argument(
            "--accounts",
            action="store_true",
            help="Create the demo accounts even when DEBUG is off (never do this in production).",
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Load the demo trajectories and fictional persons even though DEBUG is off (a test or demo server).",
        )

    @transaction.atomic
    def handle(self, *args, file, accounts, demo=False, **options):
        if not (settings.FII_DEMO_DATA or demo):
            # Issue 16: fictional persons and trajectories must never land in a production database by accident.
            raise CommandError(
                "Demo data is loaded only in development (DEBUG=1 or FII_DEMO_DATA=1) or with --demo; "
                "nothing was loaded."
            )
        data = json.loads(Path(file).read_text(encoding="utf-8"))
        subphase_count = sum(len(p.subphases) for p in PHASES)
        self.stdout.write(f"FII reference model: {len(PHASES)} phases, {subphase_count} subphases (fii/model.py).")

        orgs = {}
        created_orgs = 0
        for row in data["organisations"]:
            org, created = Organisation.objects.get_or_create(
                name=row["name"], defaults={"kind": row["kind"], "financing": row["financing"]}
            )
            orgs[org.name] = org
            created_orgs += created

        # Every email in the file must be a demo account; without DEBUG the accounts may not exist.
        self.accounts = {a["email"]: a["organisation"] for a in data["accounts"]}
        users = {u.email: u for u in User.objects.filter(email__in=self.accounts)}
        created_users = 0
        if settings.DEBUG or accounts:
            for row in data["accounts"]:
                if row["email"] in users:
                    continue
                user = User.objects.create_user(
                    email=row["email"], password=settings.DEMO_PASSWORD, full_name=row["full_name"]
                )
                Membership.objects.create(user=user, organisation=orgs[row["organisation"]], role=row["role"])
                users[user.email] = user
                created_users += 1

        # Demo trajectories go into an empty database only, so a second run never re-creates
        # what users deleted or overwrites what they changed.
        created_trajectories = created_reviews = created_actions = created_candidates = created_stakeholders = 0
        if not Trajectory.objects.exists():
            for row in data["trajectories"]:
                trajectory = self._load_trajectory(row, orgs, users)
                reviews, actions = load_reviews(trajectory, row, accounts=self.accounts, users=users)
                created_candidates += load_verkennen(
                    trajectory, row, orgs=orgs, user=lambda email, where: self._user(email, users, where)
                )
                created_stakeholders += load_people(trajectory, row, by=users.get(row["by"]))
                load_innoveren(trajectory, row, user=lambda email, where: self._user(email, users, where))
                load_outcomes(trajectory, row, by=users.get(row["by"]))
                created_trajectories += 1
                created_reviews += reviews
                created_actions += actions

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {created_orgs} organisations, {created_users} accounts, "
                f"{created_trajectories} trajectories with {created_reviews} stoplight reviews and "
                f"{created_actions} actions, {created_candidates} shortlist candidates and {created_stakeholders} "
                "stakeholders added (existing ones kept)."
            )
        )
        if not (settings.DEBUG or accounts):
            self.stdout.write("DEBUG is off: no demo accounts were created.")

    def _user(self, email: str, users: dict, where: str) -> User | None:
        if email not in self.accounts:
            raise CommandError(f"{where}: {email!r} is not one of the demo accounts.")
        return users.get(email)

    @staticmethod
    def _org(name: str, orgs: dict, where: str) -> Organisation:
        if name not in orgs:
            raise CommandError(f"{where}: unknown organisation {name!r}.")
        return orgs[name]

    def _load_trajectory(self, row: dict, orgs: dict, users: dict) -> Trajectory:
        check_keys(
            row,
            allowed=REQUIRED_TRAJECTORY_KEYS | OPTIONAL_TRAJECTORY_KEYS,
            required=sorted(REQUIRED_TRAJECTORY_KEYS),
            where=f"Trajectory {row.get('title', '?')!r}",
        )
        where = row["title"]
        interval = row.get("review_interval", ReviewInterval.TWEEWEKELIJKS)
        if interval not in ReviewInterval.values:
            raise CommandError(f"{where}: review_interval must be one of {ReviewInterval.values}, got {interval!r}.")
        by = self._user(row["by"], users, where)
        today = timezone.localdate()
        now = timezone.now()
        started = now - dt.timedelta(days=row["days_ago"])
        start_date = today - dt.timedelta(days=row["days_ago"])
        end_date = start_date + dt.timedelta(days=row["duration_days"]) if row.get("duration_days") else None
        trajectory = services.trajectory_create(
            owner=self._org(row["owner"], orgs, where),
            by=by,
            title=row["title"],
            intervention_name=row["intervention_name"],
            commissioner=row["commissioner"],
            receiving_organisation=(
                self._org(row["receiving_organisation"], orgs, where) if row["receiving_organisation"] else None
            ),
            participants=[self._org(name, orgs, where) for name in row["participants"]],
            start_date=start_date,
            end_date=end_date,
            has_commissioner=row["has_commissioner"],
            receiving_identified=row["receiving_identified"],
            start_phase=row["start_phase"],
            override_reason=row.get("override_reason", ""),
            at=started,
        )
        if interval != trajectory.review_interval:
            trajectory.review_interval = interval
            trajectory.save(update_fields=["review_interval"])
            review_schedule.sync([trajectory.pk])  # written past trajectory_create, which stored the first one
        for number, step in enumerate(row["steps"], start=1):
            check_keys(step, allowed=STEP_KEYS, required=STEP_KEYS, where=f"{where}, step {number}")
            services.trajectory_move(
                trajectory=trajectory,
                by=self._user(step["by"], users, f"{where}, step {number}"),
                reason=step["reason"],
                to_phase=step["to_phase"],
                complete_current=step["complete_current"],
                open_points_confirmed=True,  # the demo history records its open points
                completion_note=step["completion_note"],
                at=now - dt.timedelta(days=step["days_ago"]),
            )
        for code, sub in row.get("subphases", {}).items():
            if code not in SUBPHASE_SPECS:
                raise CommandError(f"{row['title']}: unknown subphase {code!r}.")
            services.subphase_update(
                trajectory=trajectory,
                subphase=code,
                by=by,
                status=sub["status"],
                notes=sub["notes"],
                at=now - dt.timedelta(days=min(row["days_ago"], 14)),
            )
        if assignment := row.get("assignment"):
            fields = dict(assignment)
            frame_days = fields.pop("frame_days", None)
            for name in ("budget", "capacity_fte"):
                if fields.get(name) is not None:
                    fields[name] = Decimal(fields[name])
            if frame_days:
                fields["frame_start"] = start_date
                fields["frame_end"] = start_date + dt.timedelta(days=frame_days)
            services.assignment_update(
                trajectory=trajectory,
                by=by,
                commissioner=row["commissioner"],
                fields=fields,
            )
        backdate_checklists(trajectory)
        return trajectory
