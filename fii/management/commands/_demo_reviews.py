"""Stoplight-review history for the demo trajectories, replayed through the review services.

``load_fii_data`` calls :func:`load_reviews` for every trajectory row in ``fixtures/demo.json``. A row
may hold a ``reviews`` list, oldest first, each review like this::

    {"days_ago": 84, "phases": ["implementeren", "borgen"], "by": "beheerder@example.org",
     "attendees": ["beheerder@example.org"], "other_attendees": ["Fatima El Amrani (teamleider, Aanzet)"],
     "summary": "…", "open": false,
     "lights": {"6.2": {"colour": "oranje", "note": "…"}},
     "actions": [{"item": "6.2", "description": "…", "assignee": "bewerker@example.org",
                  "due_in_days": 30, "closed_days_ago": 56, "closing_note": "…"}]}

- ``phases`` defaults to the phase the trajectory was in that day (from ``start_phase`` and ``steps``);
  a review may only cover phases the trajectory had reached by then.
- A light key is "<phase number>.<n>": the n-th item of that phase's checklist ("6.2" is the second
  item of Borgen, see fii/checklists.py). Items a review leaves out keep the previous light, as on the
  screen. An item without any light yet is refused unless the review sets ``"colour": ""`` on purpose.
- ``due_in_days`` counts from the review; ``closed_days_ago`` from today. ``open`` leaves the review
  unfinalised (only the last one), as if the meeting is still going on.
- ``by`` defaults to the trajectory's ``by``; every email must be a demo account of an organisation
  taking part in the trajectory. Without demo accounts (DEBUG off) people are simply left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.management.base import CommandError
from django.utils import timezone

from fii.model import PHASE_ORDER, Phase
from organisations.models import User
from trajectories import services
from trajectories.models import ChecklistItem, Light, PhaseState, Review, ReviewItem, Trajectory

REVIEW_KEYS = {"days_ago", "phases", "by", "attendees", "other_attendees", "summary", "open", "lights", "actions"}
LIGHT_KEYS = {"colour", "note"}
ACTION_KEYS = {"item", "description", "assignee", "due_in_days", "closed_days_ago", "closing_note"}
COLOURS = ["", *Light.values]
MEETING_STARTS = dt.time(10, 0)


def check_keys(row: dict, *, allowed: Iterable[str], required: Iterable[str] = (), where: str) -> None:
    if not isinstance(row, dict):
        raise CommandError(f"{where}: expected an object, got {row!r}.")
    allowed = set(allowed)
    if unknown := sorted(set(row) - allowed):
        raise CommandError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}.")
    if missing := [key for key in required if key not in row]:
        raise CommandError(f"{where}: missing {', '.join(missing)}.")


def _days(value, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise CommandError(f"{where}: expected a whole number of days ≥ 0, got {value!r}.")
    return value


def _moment(days_ago: int, minutes: int = 0) -> dt.datetime:
    """A time during the meeting on that day; never in the future (a meeting going on today)."""
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    at = timezone.make_aware(dt.datetime.combine(day, MEETING_STARTS)) + dt.timedelta(minutes=minutes)
    return min(at, timezone.now())


def backdate_checklists(trajectory: Trajectory) -> None:
    """Checklists are copied when a phase starts; date them to that start rather than to the load."""
    for state in PhaseState.objects.filter(trajectory=trajectory, started_at__isnull=False):
        ChecklistItem.objects.filter(trajectory=trajectory, phase=state.phase).update(created_at=state.started_at)


class _People:
    """Resolves emails to users, refusing accounts that are unknown or outside the trajectory."""

    def __init__(self, trajectory: Trajectory, accounts: dict[str, str], users: dict[str, User], default_by: str):
        self.default_by = default_by
        self.where = trajectory.title
        self.organisations = {trajectory.owner.name, *(o.name for o in trajectory.participants.all())}
        if trajectory.receiving_organisation:
            self.organisations.add(trajectory.receiving_organisation.name)
        self.accounts = accounts
        self.users = users

    def get(self, email, field: str) -> User | None:
        if email not in self.accounts:
            raise CommandError(f"{self.where}, {field}: {email!r} is not one of the demo accounts.")
        if self.accounts[email] not in self.organisations:
            raise CommandError(
                f"{self.where}, {field}: {email} ({self.accounts[email]}) does not take part in this trajectory."
            )
        return self.users.get(email)


def _phase_entries(row: dict) -> list[tuple[int, str]]:
    """(days ago, phase entered), oldest first: the start and every move in ``steps``."""
    entries = [(row["days_ago"], row["start_phase"]), *((s["days_ago"], s["to_phase"]) for s in row["steps"])]
    if any(later > earlier for (earlier, _), (later, _) in zip(entries, entries[1:], strict=False)):
        raise CommandError(f"{row['title']}: list the steps oldest first, after the start.")
    return entries


def load_reviews(trajectory: Trajectory, row: dict, *, accounts: dict[str, str], users: dict[str, User]):
    """Replay ``row["reviews"]`` oldest first; returns the number of reviews and actions created."""
    rows = row.get("reviews", [])
    if not isinstance(rows, list):
        raise CommandError(f"{row['title']}: 'reviews' must be a list.")
    people = _People(trajectory, accounts, users, default_by=row["by"])
    entries = _phase_entries(row)
    assessed: set[int] = set()  # checklist items that got a light (or were left grey on purpose) so far
    action_count = 0
    previous_days = None
    for number, review_row in enumerate(rows, start=1):
        where = f"{row['title']}, review {number}"
        check_keys(review_row, allowed=REVIEW_KEYS, required=["days_ago"], where=where)
        days = _days(review_row["days_ago"], f"{where}, days_ago")
        where = f"{where} ({days} days ago)"
        if days > row["days_ago"]:
            raise CommandError(f"{where}: held before the trajectory started ({row['days_ago']} days ago).")
        if previous_days is not None and days >= previous_days:
            raise CommandError(f"{where}: list the reviews oldest first, at most one per day.")
        if review_row.get("open") and number != len(rows):
            raise CommandError(f"{where}: only the last review may stay open.")
        previous_days = days

        people.where = where
        review = services.review_start(
            trajectory=trajectory,
            by=people.get(review_row.get("by", people.default_by), "by"),
            held_on=timezone.localdate() - dt.timedelta(days=days),
            phases=_covered_phases(review_row.get("phases"), days=days, entries=entries, where=where),
            attendees=[u for email in _list(review_row, "attendees", where) if (u := people.get(email, "attendees"))],
            other_attendees="\n".join(_list(review_row, "other_attendees", where)),
            at=_moment(days),
        )
        by = review.created_by
        if summary := review_row.get("summary", ""):
            services.review_update(
                review=review,
                by=by,
                expected_version=None,
                held_on=review.held_on,
                summary=summary,
                other_attendees=review.other_attendees,
                attendees=review.attendees.all(),
            )
        items = _set_lights(review, review_row.get("lights", {}), by=by, days=days, assessed=assessed, where=where)
        action_count += _load_actions(review, review_row.get("actions", []), items=items, people=people, days=days)
        if not review_row.get("open", False):
            services.review_finalise(review=review, by=by, at=_moment(days, 60))
    return len(rows), action_count


def _list(row: dict, key: str, where: str) -> list[str]:
    value = row.get(key, [])
    if not isinstance(value, list) or not all(isinstance(line, str) for line in value):
        raise CommandError(f"{where}: {key!r} must be a list of strings.")
    return value


def _covered_phases(phases, *, days: int, entries: list[tuple[int, str]], where: str) -> list[str]:
    """The phases asked for, or the one the trajectory was in; refuses phases not reached by then."""
    entered = [phase for entered_days, phase in entries if entered_days >= days]
    if phases is None:
        return [entered[-1]]
    if not isinstance(phases, list) or not phases:
        raise CommandError(f"{where}: 'phases' must be a non-empty list of phase codes.")
    for phase in phases:
        if phase not in Phase.values:
            raise CommandError(f"{where}: unknown phase {phase!r}; expected one of {', '.join(Phase.values)}.")
        if phase not in entered:
            raise CommandError(
                f"{where}: covers {phase}, which the trajectory had not reached yet (reached: {', '.join(entered)})."
            )
    return phases


def _item_keys(review: Review) -> dict[str, ReviewItem]:
    """ "5.2" → the review's row for the second item of phase 5, in checklist order."""
    keys, counters = {}, {}
    for review_item in review.items.select_related("item").order_by("position", "pk"):
        phase = review_item.item.phase
        counters[phase] = counters.get(phase, 0) + 1
        keys[f"{PHASE_ORDER[phase]}.{counters[phase]}"] = review_item
    return keys


def _set_lights(review: Review, lights, *, by, days: int, assessed: set[int], where: str) -> dict[str, ReviewItem]:
    items = _item_keys(review)
    if not isinstance(lights, dict):
        raise CommandError(f"{where}: 'lights' must map item keys such as \"5.2\" to a colour and a note.")
    for minute, (key, light) in enumerate(lights.items(), start=1):
        check_keys(light, allowed=LIGHT_KEYS, required=["colour"], where=f"{where}, light {key}")
        if key not in items:
            raise CommandError(f"{where}: no checklist item {key!r} in this review (items: {', '.join(items)}).")
        if light["colour"] not in COLOURS:
            raise CommandError(f"{where}, light {key}: colour must be one of {COLOURS}, got {light['colour']!r}.")
        items[key] = services.review_item_set(
            review_item=items[key], by=by, colour=light["colour"], note=light.get("note", ""), at=_moment(days, minute)
        )
        assessed.add(items[key].item_id)
    # The first review of a phase must light every item: grey only where the file says so.
    if never := [key for key, item in items.items() if item.item_id not in assessed]:
        raise CommandError(
            f"{where}: item(s) {', '.join(never)} never had a light. Give them a colour, "
            'or "colour": "" to leave one unassessed on purpose.'
        )
    return items


def _load_actions(review: Review, rows, *, items: dict[str, ReviewItem], people: _People, days: int) -> int:
    if not isinstance(rows, list):
        raise CommandError(f"{people.where}: 'actions' must be a list.")
    for number, row in enumerate(rows, start=1):
        where = f"{people.where}, action {number}"
        check_keys(row, allowed=ACTION_KEYS, required=["description"], where=where)
        if (key := row.get("item")) is not None and key not in items:
            raise CommandError(f"{where}: no checklist item {key!r} in this review.")
        assignee = people.get(row["assignee"], f"action {number}") if row.get("assignee") else None
        due_in = row.get("due_in_days")
        action = services.action_create(
            trajectory=review.trajectory,
            by=review.created_by,
            description=row["description"],
            assignee=assignee,
            due_on=review.held_on + dt.timedelta(days=_days(due_in, where)) if due_in is not None else None,
            item=items[key].item if key is not None else None,
            review=review,
            at=_moment(days, 30 + number),
        )
        closed = row.get("closed_days_ago")
        if closed is None:
            if row.get("closing_note"):
                raise CommandError(f"{where}: a closing_note needs closed_days_ago.")
            continue
        if _days(closed, where) >= days:
            raise CommandError(f"{where}: closed_days_ago must be after the review ({days} days ago).")
        services.action_close(
            action=action,
            by=assignee or review.created_by,
            note=row.get("closing_note", ""),
            expected_version=None,
            at=_moment(closed, 20),
        )
    return len(rows)
