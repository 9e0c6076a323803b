"""Retention (AVG): anonymise the personal data of closed trajectories after the giving organisation's period.

Every text field of every model is classified in trajectories/structure.py, either as personal data that is
anonymised or as not personal (tests/trajectories/test_structure.py fails on a text field that is in neither).
Personal data is what names or describes people: names, contact details, participants of talks and meetings,
team members, professionals, trainers, quality guards, observers, notes about stakeholders and contacts.
The content of the trajectory (questions, goals, checklists, findings, decisions) is kept, so the trajectory
stays useful as a record of what was done.

Persons (``organisations.Person``) are shared between trajectories. A person is erased (the existing
``person_erase``: name and contact details replaced, copies in free text scrubbed, history included) only
when every trajectory the person is a stakeholder in has been anonymised; a person who is also in a
trajectory that is still open or whose period has not passed stays intact, and is erased by the run that
anonymises the last of them.

History rows (django-simple-history) of the same objects are anonymised with the same fields. Anonymising
writes with ``queryset.update()`` on purpose, so no new history rows copy anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from organisations.models import Person

from . import models as m
from . import structure
from .history import is_tracked

ANONYMISED = "Geanonimiseerd"


@dataclass(frozen=True)
class Rule:
    scope: Callable[[int], Q]
    fields: tuple[str, ...]


def _scope_of(model) -> Callable[[int], Q]:
    return lambda trajectory_id: structure.scope(model, trajectory_id)


# Personal data, anonymised when the retention period has passed (``personal`` in trajectories/structure.py).
PERSONAL: dict[type, Rule] = {
    part.model: Rule(_scope_of(part.model), tuple(part.personal.split())) for part in structure.parts() if part.personal
}

# Text fields that hold no personal data (content of the trajectory, codes, file names, secrets), and the
# personal fields that are handled elsewhere (Person through person_erase; User is an account, not data of
# a trajectory, and is managed by the application manager): ``kept`` in trajectories/structure.py.
NOT_PERSONAL: dict[type, tuple[str, ...]] = {
    entry.model: tuple(entry.kept.split()) for entry in (*structure.parts(), *structure.OUTSIDE)
}


@dataclass
class Outcome:
    trajectories: list = field(default_factory=list)
    fields: int = 0
    history_rows: int = 0
    persons: int = 0


def expired_trajectories(now: dt.datetime):
    """Closed, not yet anonymised trajectories whose giving organisation's period has passed."""
    candidates = m.Trajectory.objects.filter(
        status__in=m.CLOSED_STATUSES,
        closed_at__isnull=False,
        anonymised_at__isnull=True,
        owner__retention_months__isnull=False,
    ).select_related("owner")
    return [t for t in candidates if t.closed_at + relativedelta(months=t.owner.retention_months) <= now]


def _anonymise(queryset, fields) -> int:
    changed = 0
    for name in fields:
        changed += queryset.exclude(**{name: ""}).exclude(**{name: ANONYMISED}).update(**{name: ANONYMISED})
    return changed


class _DryRun(Exception):
    """Raised inside the transaction of a dry run, so everything it did is rolled back."""


def apply_retention(*, now: dt.datetime | None = None, dry_run: bool = False) -> Outcome:
    """Anonymise every expired trajectory in one transaction; a dry run rolls it back and reports the counts."""
    try:
        with transaction.atomic():
            outcome = _apply(now or timezone.now())
            if dry_run:
                raise _DryRun(outcome)
    except _DryRun as stop:
        return stop.args[0]
    return outcome


def _apply(now: dt.datetime) -> Outcome:
    from .services import person_erase

    outcome = Outcome(trajectories=expired_trajectories(now))
    if not outcome.trajectories:
        return outcome
    expired_ids = [t.pk for t in outcome.trajectories]
    person_ids = set(m.Stakeholder.objects.filter(trajectory_id__in=expired_ids).values_list("person_id", flat=True))
    still_needed = set(
        m.Stakeholder.objects.filter(person_id__in=person_ids, trajectory__anonymised_at__isnull=True)
        .exclude(trajectory_id__in=expired_ids)
        .values_list("person_id", flat=True)
    )
    persons = list(Person.objects.filter(pk__in=person_ids - still_needed, erased_at__isnull=True))
    outcome.persons = len(persons)
    for trajectory in outcome.trajectories:
        for model, rule in PERSONAL.items():
            scope = rule.scope(trajectory.pk)
            outcome.fields += _anonymise(model.objects.filter(scope), rule.fields)
            if is_tracked(model):
                outcome.history_rows += _anonymise(model.history_records.filter(scope), rule.fields)
    for person in persons:
        person_erase(person=person, by=None)
    m.Trajectory.objects.filter(pk__in=expired_ids).update(anonymised_at=now)
    return outcome
