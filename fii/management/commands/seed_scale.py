"""Seed a synthetic data set at the scale of a large municipality, for benchmarks.

``--size large`` (the default) is 40 organisations and 2,000 trajectories spread over all six phases. Each
trajectory started about a year ago in Signaleren and moved forward phase by phase (transitions), has a
checklist of ``--items`` items for every phase it reached, a year of biweekly stoplight reviews (26,
``--reviews``) of the phase it was in at the time, actions raised on lights that are not green (most of them
closed), and a stakeholder register with persons, contacts, support changes and presence at reviews.
``--size small`` is a tenth of it (4 organisations, 200 trajectories); ``--size <n>`` seeds n trajectories.

Like real use, it also writes the change history (django-simple-history's tables: a "created" row for every
tracked row and "changed" rows in the proportions the demo data's months of use produce, ``UPDATES_PER_ROW``)
and the audit log (``AuditEvent``: one event per row that the application audits when it is created, and one
per change), so the two tables that grow fastest are in the benchmark too.

Everything goes in with ``bulk_create`` (on PostgreSQL the largest tables with ``COPY``), in one transaction
per chunk of trajectories. The command refuses a
database that holds trajectories it did not seed (unless ``--allow-other-data``) and one it already seeded:
seed into a separate database named by ``DATABASE_URL`` and drop it to seed again.

Every seeded user can log in with ``--password``; ``bench@example.invalid`` is a beheerder in every seeded
organisation and so sees every seeded trajectory (the benchmarks log in as this user).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections import Counter

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import JSONField
from django.utils import timezone, translation

from fii.checklists import DEFAULT_CHECKLISTS
from fii.model import PHASES, Phase
from organisations.models import AuditEvent, Membership, Organisation, Person, Role, User
from trajectories import review_schedule, visibility
from trajectories.models import (
    Action,
    Assignment,
    ChecklistItem,
    Contact,
    Level,
    Light,
    PhaseState,
    PhaseTransition,
    Progress,
    Review,
    ReviewEvent,
    ReviewItem,
    Side,
    Stakeholder,
    SubphaseState,
    Support,
    SupportChange,
    Trajectory,
    TrajectoryStatus,
    overall_light,
)

# "Changed" history rows per live row, as load_fii_data's months of use leave them (measured 2026-12-04 on the
# demo data: historical rows with history_type "~" over the model's rows; models not named get none). Each
# change is also one "update" audit event, as the application's services record them.
UPDATES_PER_ROW = {
    Trajectory: 2.0,
    PhaseState: 0.45,
    SubphaseState: 0.38,
    Assignment: 0.14,
    Review: 3.28,
    ReviewItem: 0.46,
    Action: 0.66,
    Stakeholder: 0.23,
}
# The models whose creation the application audits (the demo's "create" events); rows made in bulk alongside a
# recorded parent (phase and subphase states, checklist and review items, attendees) are not audited.
AUDITED_CREATES = {
    Organisation, Membership, Trajectory, Assignment, PhaseTransition, Stakeholder, Person, SupportChange, Contact,
    Review, ReviewEvent, Action,
}  # fmt: skip
COPY_LARGER_THAN = 2000  # rows; on PostgreSQL, tables written with COPY instead of INSERT above this

SEED_PREFIX = "Seed "
BENCH_EMAIL = "bench@example.invalid"
SIZES = {"large": (40, 2000), "small": (4, 200)}
REVIEWS = 26
CHUNK = 50  # trajectories per transaction
BATCH = 5000  # rows per INSERT

FIRST_NAMES = ["Anne", "Bram", "Chantal", "Dirk", "Esra", "Femke", "Gijs", "Hanna", "Ilias", "Joke", "Kees", "Latifa"]
LAST_NAMES = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Yilmaz", "Mulder", "de Boer", "Bos"]
TOPICS = ["Schuldhulp", "Jongerenwerk", "Mantelzorg", "Buurtteam", "Taalcoaching", "Werkfit", "Vroegsignalering"]
LEVELS = list(Level.values)
SUPPORTS = [Support.TEGEN, Support.NEUTRAAL, Support.STEUNEND, Support.AMBASSADEUR]
# The light an item moves to, given its light now: mostly it stays, sometimes it improves or slips.
NEXT_LIGHT = {
    Light.GROEN: [Light.GROEN] * 8 + [Light.ORANJE, Light.ROOD],
    Light.ORANJE: [Light.ORANJE] * 5 + [Light.GROEN] * 4 + [Light.ROOD],
    Light.ROOD: [Light.ROOD] * 4 + [Light.ORANJE] * 4 + [Light.GROEN] * 2,
    "": [Light.GROEN] * 5 + [Light.ORANJE] * 3 + [Light.ROOD] * 2,
}


def parse_size(value: str) -> tuple[int, int]:
    if value in SIZES:
        return SIZES[value]
    try:
        trajectories = int(value)
    except ValueError:
        raise CommandError(f"--size is large, small or a number of trajectories, not {value!r}.") from None
    if trajectories < 1:
        raise CommandError("--size needs at least one trajectory.")
    return max(1, round(trajectories / 50)), trajectories


class Command(BaseCommand):
    help = "Seed a synthetic data set of a configurable size (benchmarks); see the module docstring."

    def add_arguments(self, parser):
        parser.add_argument("--size", default="large", help="large (2,000 trajectories), small (200) or a number")
        parser.add_argument("--items", type=int, default=30, help="checklist items per phase (30)")
        parser.add_argument("--stakeholders", type=int, default=8, help="stakeholders per trajectory (8)")
        parser.add_argument("--reviews", type=int, default=REVIEWS, help=f"biweekly reviews per trajectory ({REVIEWS})")
        parser.add_argument("--password", default="fii-bench-2026", help="password of every seeded user")
        parser.add_argument("--seed", type=int, default=9, help="random seed, for a repeatable data set (9)")
        parser.add_argument(
            "--allow-other-data",
            action="store_true",
            help="seed even though the database holds trajectories that were not seeded",
        )

    def handle(self, *args, **options):
        organisations, trajectories = parse_size(options["size"])
        if Organisation.objects.filter(name__startswith=SEED_PREFIX).exists():
            raise CommandError("This database is already seeded. Drop it (or use another DATABASE_URL) to seed again.")
        if not options["allow_other_data"] and Trajectory.objects.exists():
            raise CommandError(
                "This database holds trajectories that were not seeded. Seed into a separate database "
                "(DATABASE_URL), or pass --allow-other-data."
            )
        # With DEBUG on, Django keeps every statement in connection.queries: millions of rows' worth of SQL.
        settings.DEBUG = False
        began = time.perf_counter()
        seeder = Seeder(
            organisations=organisations,
            items=options["items"],
            stakeholders=options["stakeholders"],
            reviews=options["reviews"],
            password=options["password"],
            rng=random.Random(options["seed"]),
        )
        with transaction.atomic():
            seeder.organisations_and_users()
        for start in range(0, trajectories, CHUNK):
            with transaction.atomic():
                seeder.trajectories(range(start, min(start + CHUNK, trajectories)))
            if options["verbosity"] > 1:
                self.stdout.write(f"  {min(start + CHUNK, trajectories)} trajectories")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        seconds = time.perf_counter() - began
        self.stdout.write(f"Seeded on {connection.vendor} ({connection.settings_dict['NAME']}) in {seconds:.1f} s:")
        for name, count in seeder.created.items():
            self.stdout.write(f"  {count:>9,} {name}")
        self.stdout.write(f"Log in as {BENCH_EMAIL} (beheerder in every seeded organisation) to see them all.")


class Row:
    """A row read back with ``values()``, with the attributes ``recorded`` reads (cheaper than a model)."""

    def __init__(self, values: dict):
        self.__dict__.update(values)
        self.pk = values["id"]


class Seeder:
    def __init__(
        self,
        *,
        organisations: int,
        items: int,
        stakeholders: int,
        password: str,
        rng: random.Random,
        reviews: int = REVIEWS,
    ):
        self.reviews = max(1, reviews)
        self.organisation_count = organisations
        self.items = items
        self.stakeholders = stakeholders
        self.password_hash = make_password(password)
        self.rng = rng
        self.today = timezone.localdate()
        self.created: Counter[str] = Counter()
        self.owner_of: dict[int | None, int] = {}  # trajectory id → giving organisation id, for the audit log

    def add(self, model, rows: list) -> list:
        objects = model.objects.bulk_create(rows, batch_size=BATCH)
        self.count(model, len(objects))
        self.recorded(model, objects)
        return objects

    def count(self, model, number: int) -> None:
        with translation.override("en"):
            self.created[str(model._meta.verbose_name_plural)] += number

    def when(self, obj) -> dt.datetime:
        return getattr(obj, "created_at", None) or self.at(self.today - dt.timedelta(days=365))

    def recorded(self, model, objects: list) -> None:
        """The history and audit rows that writing ``objects`` one by one through the services would leave.

        Built as plain dicts of column values (no model instances: at 20,000 trajectories these are millions of
        rows, and a model's ``__init__`` per row was most of the seeding time)."""
        if not objects:
            return
        updated = self.rng.choices(objects, k=round(len(objects) * UPDATES_PER_ROW.get(model, 0)))
        history = getattr(model, "history_records", None)
        if history is not None:
            tracked = [field.attname for field in history.model.tracked_fields]
            self.write(
                history.model,
                [
                    {
                        "history_date": self.when(obj) + dt.timedelta(days=1 if kind == "~" else 0),
                        "history_type": kind,
                        "history_change_reason": "",
                        **{name: getattr(obj, name) for name in tracked},
                    }
                    for kind, objs in (("+", objects), ("~", updated))
                    for obj in objs
                ],
            )
        actor = getattr(self, "actor", None)  # the bench user, once it exists
        actor_id, actor_email = (actor.pk, actor.email) if actor else (None, "")
        label, name = model._meta.label, model._meta.model_name
        changed_fields = ["colour", "note"] if model is ReviewItem else []
        events = []
        for action, objs in (("create", objects if model in AUDITED_CREATES else []), ("update", updated)):
            later = dt.timedelta(days=1 if action == "update" else 0)
            for obj in objs:
                trajectory_id = getattr(obj, "trajectory_id", None)
                events.append(
                    {
                        "created_at": self.when(obj) + later,
                        "actor_id": actor_id,
                        "actor_email": actor_email,
                        "organisation_id": self.owner_of.get(trajectory_id, getattr(obj, "owner_id", None)),
                        "action": action,
                        "object_type": label,
                        "object_id": str(obj.pk),
                        "object_label": f"{name} {obj.pk}",
                        "changed_fields": changed_fields if action == "update" else [],
                        "path": f"/trajecten/{trajectory_id}/" if trajectory_id else "",
                        "method": "POST",
                    }
                )
        self.write(AuditEvent, events)

    def write(self, model, rows: list[dict]) -> None:
        """Rows that nobody reads back, as dicts of column values (a missing column takes its default): COPY on
        PostgreSQL when there are many, else one executemany of prepared values (no model instance per row)."""
        if not rows:
            return
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        defaults = [f.get_default() for f in fields]
        quote = connection.ops.quote_name
        table, columns = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and len(rows) > COPY_LARGER_THAN:
                as_json = [isinstance(f, JSONField) for f in fields]
                with cursor.connection.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        values = [row.get(f.attname, d) for f, d in zip(fields, defaults, strict=True)]
                        copy.write_row([json.dumps(v) if j else v for v, j in zip(values, as_json, strict=True)])
            else:
                placeholders = ", ".join(["%s"] * len(fields))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",
                    [
                        [
                            f.get_db_prep_save(row.get(f.attname, d), connection)
                            for f, d in zip(fields, defaults, strict=True)
                        ]
                        for row in rows
                    ],
                )
        self.count(model, len(rows))

    def add_review_items(self, rows: list[ReviewItem]) -> None:
        """Three quarters of all rows: on PostgreSQL they go in with COPY, several times faster than INSERT."""
        if connection.vendor != "postgresql":
            ReviewItem.objects.bulk_create(rows, batch_size=BATCH)
            self.count(ReviewItem, len(rows))
            return
        columns = ("review_id", "item_id", "text", "position", "colour", "carried_colour", "note")
        table = connection.ops.quote_name(ReviewItem._meta.db_table)
        with (
            connection.cursor() as cursor,
            cursor.connection.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for ri in rows:
                copy.write_row((ri.review.pk, ri.item_id, ri.text, ri.position, ri.colour, ri.carried_colour, ri.note))
        self.count(ReviewItem, len(rows))

    def at(self, day: dt.date, hour: int = 10) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))

    def organisations_and_users(self) -> None:
        kinds = [Organisation.Kind.GEMEENTE, Organisation.Kind.WELZIJN, Organisation.Kind.STICHTING]
        self.orgs = self.add(
            Organisation,
            [
                Organisation(name=f"{SEED_PREFIX}{kinds[n % 3].label} {n + 1:02d}", kind=kinds[n % 3])
                for n in range(self.organisation_count)
            ],
        )
        users, roles = [], []
        for n, org in enumerate(self.orgs):
            for role in (Role.BEHEERDER, Role.BEWERKER, Role.BEWERKER, Role.LEZER):
                first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
                users.append(
                    User(
                        email=f"seed-{n + 1:02d}-{len(users) % 4}-{role}@example.invalid",
                        full_name=f"{first} {last}",
                        password=self.password_hash,
                    )
                )
                roles.append((org, role))
        bench = User(email=BENCH_EMAIL, full_name="Benchmark Beheerder", password=self.password_hash)
        users = User.objects.bulk_create([*users, bench], batch_size=BATCH)  # accounts: no history (history/)
        self.count(User, len(users))
        self.actor = users[-1]
        memberships = [Membership(user=u, organisation=o, role=r) for u, (o, r) in zip(users, roles, strict=False)]
        memberships += [Membership(user=users[-1], organisation=o, role=Role.BEHEERDER) for o in self.orgs]
        self.add(Membership, memberships)
        # The editors of each organisation attend its reviews and own its actions.
        self.editors = {org.pk: [u for u, (o, r) in zip(users, roles, strict=False) if o == org and r == "bewerker"]
                        for org in self.orgs}  # fmt: skip

    def trajectories(self, numbers: range) -> None:
        rng, today = self.rng, self.today
        plans = []
        for n in numbers:
            owner = self.orgs[n % len(self.orgs)]
            current = n % len(PHASES)  # spread evenly over the six phases
            others = [o for o in self.orgs if o.pk != owner.pk]
            receiving = rng.choice(others) if others and current >= 2 else None
            start = today - dt.timedelta(days=365 + rng.randint(0, 20))
            # Phase j (0-based) began at start + j/(current+1) of the year; the current one is still going.
            entered = [start + dt.timedelta(days=round(j * 360 / (current + 1))) for j in range(current + 1)]
            status = TrajectoryStatus.ACTIEF if n % 20 else TrajectoryStatus.GEPAUZEERD
            plans.append((n, owner, receiving, current, start, entered, status))
        trajectories = self.add(
            Trajectory,
            [
                Trajectory(
                    title=f"{TOPICS[n % len(TOPICS)]} {owner.name.split()[-1]}-{n + 1:04d}",
                    intervention_name=f"{TOPICS[n % len(TOPICS)]}aanpak",
                    owner=owner,
                    receiving_organisation=receiving,
                    commissioner="Wethouder sociaal domein",
                    start_date=start,
                    has_commissioner=True,
                    start_phase=Phase.SIGNALEREN,
                    current_phase=PHASES[current].code,
                    status=status,
                )
                for n, owner, receiving, current, start, entered, status in plans
            ],
        )
        self.owner_of.update((t.pk, t.owner_id) for t in trajectories)
        participants = [
            Trajectory.participants.through(trajectory_id=t.pk, organisation_id=self.orgs[(n + 7) % len(self.orgs)].pk)
            for t, (n, owner, *_rest) in zip(trajectories, plans, strict=True)
            if n % 3 == 0 and self.orgs[(n + 7) % len(self.orgs)].pk != owner.pk
        ]
        self.add(Trajectory.participants.through, participants)
        # bulk_create sends no signals: the visibility rows (trajectories/visibility.py) are written here.
        self.created["visibility rows"] += visibility.sync([t.pk for t in trajectories])
        self.add(Assignment, [Assignment(trajectory=t) for t in trajectories])

        phase_states, subphase_states, transitions, checklist = [], [], [], []
        for t, (_n, owner, _receiving, current, _start, entered, _status) in zip(trajectories, plans, strict=True):
            by = self.editors[owner.pk][0]
            for j, spec in enumerate(PHASES):
                done, now = j < current, j == current
                progress = Progress.AFGEROND if done else Progress.BEZIG if now else Progress.NIET_GESTART
                phase_states.append(
                    PhaseState(
                        trajectory=t,
                        phase=spec.code,
                        status=progress,
                        started_at=self.at(entered[j]) if j <= current else None,
                        completed_at=self.at(entered[j + 1]) if done else None,
                        completion_note="Afgerond volgens het fasecriterium." if done else "",
                    )
                )
                for k, sub in enumerate(spec.subphases):
                    sub_progress = (
                        Progress.AFGEROND if done else Progress.BEZIG if now and k == 0 else Progress.NIET_GESTART
                    )
                    subphase_states.append(
                        SubphaseState(
                            trajectory=t,
                            subphase=sub.code,
                            status=sub_progress,
                            notes="Besproken in het kernteam." if j <= current else "",
                        )
                    )
                if j <= current:
                    defaults = DEFAULT_CHECKLISTS[spec.code]
                    checklist += [
                        ChecklistItem(
                            trajectory=t,
                            phase=spec.code,
                            subphase=defaults[i % len(defaults)].subphase,
                            text=f"{defaults[i % len(defaults)].text} ({i + 1})",
                            position=i + 1,
                            created_by=by,
                            created_at=self.at(entered[j]),
                        )
                        for i in range(self.items)
                    ]
                    transitions.append(
                        PhaseTransition(
                            trajectory=t,
                            from_phase=PHASES[j - 1].code if j else "",
                            from_status=Progress.AFGEROND if j else "",
                            to_phase=spec.code,
                            to_status_before=Progress.NIET_GESTART,
                            reason="Fasecriterium gehaald; door naar de volgende fase." if j else "",
                            created_by=by,
                            created_at=self.at(entered[j], 9),
                        )
                    )
        self.add(PhaseState, phase_states)
        self.add(SubphaseState, subphase_states)
        self.add(PhaseTransition, transitions)
        checklist = self.add(ChecklistItem, checklist)
        items_of: dict[tuple[int, str], list[ChecklistItem]] = {}
        for item in checklist:
            items_of.setdefault((item.trajectory_id, item.phase), []).append(item)

        # Stakeholders with persons, their support history and contacts.
        persons, stakeholder_rows = [], []
        for t, (_n, owner, receiving, *_rest) in zip(trajectories, plans, strict=True):
            for s in range(self.stakeholders):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                persons.append(
                    Person(organisation=owner, name=f"{first} {last}", function=LEVELS[s % len(LEVELS)].title())
                )
                side = (
                    Side.GEVEND if s % 3 == 0 or receiving is None else Side.ONTVANGEND if s % 3 == 1 else Side.DERDEN
                )
                influence = 5 - s % 5
                stakeholder_rows.append(
                    Stakeholder(
                        trajectory=t,
                        side=side,
                        level=LEVELS[s % len(LEVELS)],
                        influence=influence,
                        support=rng.choice(SUPPORTS),
                        desired_support=Support.STEUNEND if influence < 4 else Support.AMBASSADEUR,
                        created_at=self.at(t.start_date + dt.timedelta(days=30)),
                    )
                )
        persons = self.add(Person, persons)
        for row, person in zip(stakeholder_rows, persons, strict=True):
            row.person = person
        stakeholders = self.add(Stakeholder, stakeholder_rows)
        by_trajectory: dict[int, list[Stakeholder]] = {}
        contacts, support_changes = [], []
        for s in stakeholders:
            by_trajectory.setdefault(s.trajectory_id, []).append(s)
            support_changes.append(
                SupportChange(stakeholder=s, from_support="", to_support=s.support, created_at=s.created_at)
            )
            for _c in range(3):
                contacts.append(
                    Contact(
                        stakeholder=s,
                        date=self.today - dt.timedelta(days=rng.randint(1, 330)),
                        kind=rng.choice(Contact.Kind.values),
                        note="Stand van zaken besproken.",
                    )
                )
        self.add(SupportChange, support_changes)
        self.add(Contact, contacts)

        # A year of biweekly reviews, each of the phase the trajectory was in on that day.
        reviews, review_plans = [], []
        for t, (n, owner, _receiving, current, _start, entered, _status) in zip(trajectories, plans, strict=True):
            editors = self.editors[owner.pk]
            first = today - dt.timedelta(days=14 * (self.reviews - 1) + rng.randint(1, 13))
            for r in range(self.reviews):
                held = first + dt.timedelta(days=14 * r)
                phase = max(j for j in range(current + 1) if entered[j] <= held or j == 0)
                is_open = r == self.reviews - 1 and n % 5 == 0  # every fifth trajectory is in a meeting now
                reviews.append(
                    Review(
                        trajectory=t,
                        held_on=held,
                        phases=[PHASES[phase].code],
                        summary=f"Bespreking {r + 1}: voortgang besproken, acties verdeeld.",
                        finalised_at=None if is_open else self.at(held, 12),
                        finalised_by=None if is_open else editors[0],
                        created_by=editors[0],
                        created_at=self.at(held, 9),
                    )
                )
                review_plans.append((t, PHASES[phase].code, editors))
        review_items, lights_of, items_in = [], {}, []
        for review, (t, phase, _editors) in zip(reviews, review_plans, strict=True):
            colours = []
            items_in.append([])
            for item in items_of[(t.pk, phase)]:
                before = lights_of.get(item.pk, "")
                colour = rng.choice(NEXT_LIGHT[before])
                lights_of[item.pk] = colour
                colours.append(colour)
                ri = ReviewItem(
                    review=review,
                    item=item,
                    text=item.text,
                    position=item.position,
                    colour=colour,
                    carried_colour=before,
                    note="" if colour == Light.GROEN else "Loopt achter; besproken wat nodig is.",
                )
                review_items.append(ri)
                items_in[-1].append(ri)
            review.overall_light = overall_light(colours)
        reviews = self.add(Review, reviews)
        self.add_review_items(review_items)
        # Read back for their ids (COPY returns none) as plain rows: no model instance per review item.
        tracked = {f.attname for f in ReviewItem.history_records.model.tracked_fields} | {"id"}
        self.recorded(ReviewItem, [Row(r) for r in ReviewItem.objects.filter(review__in=reviews).values(*tracked)])
        self.add(ReviewEvent, [
            ReviewEvent(review=r, kind=ReviewEvent.Kind.FINALISED, created_by=r.finalised_by, created_at=r.finalised_at)
            for r in reviews if r.finalised_at
        ])  # fmt: skip

        attendees, present, actions = [], [], []
        through_present = Review.stakeholders_present.through
        for review, (t, _phase, editors), its_items in zip(reviews, review_plans, items_in, strict=True):
            attendees += [Review.attendees.through(review_id=review.pk, user_id=u.pk) for u in editors]
            key = [s for s in by_trajectory.get(t.pk, []) if s.influence >= 4]
            for s in rng.sample(key, min(2, len(key))):
                present.append(through_present(review_id=review.pk, stakeholder_id=s.pk))
            # Two actions per review on items that are not green; older ones are closed.
            not_green = [ri for ri in its_items if ri.colour != Light.GROEN]
            for ri in not_green[:2]:
                closed = review.held_on < today - dt.timedelta(days=42)
                assignee = rng.choice(editors)
                actions.append(
                    Action(
                        trajectory=t,
                        item=ri.item,
                        review=review,
                        description=f"Uitzoeken en terugkoppelen: {ri.text[:200]}",
                        assignee=assignee,
                        organisation_id=t.owner_id,
                        due_on=review.held_on + dt.timedelta(days=21),
                        closed_at=self.at(review.held_on + dt.timedelta(days=20)) if closed else None,
                        closed_by=assignee if closed else None,
                        closing_note="Gedaan." if closed else "",
                        created_by=editors[0],
                        created_at=self.at(review.held_on, 11),
                    )
                )
        self.add(Review.attendees.through, attendees)
        self.add(through_present, present)
        self.add(Action, actions)
        # Bulk-created, so the services did not store each trajectory's next review (trajectories/review_schedule.py).
        review_schedule.sync([t.pk for t in trajectories])
