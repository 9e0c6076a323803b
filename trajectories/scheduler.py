"""What is due now: the periodic job behind ``manage.py send_notifications`` (cron, or ``--every`` next to the worker).

Safe to run twice and on two machines at once: every notification has a unique key (recipient, kind, object,
date) in the database, and every digest mail a unique key in the outbox; a run that finds a key taken does
nothing for it. The facts come from the same reads as “Mijn week” (:func:`trajectories.my_week.trajectory_signals`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from organisations.access import with_access_version
from organisations.models import Membership, OutgoingMail, Role, User

from . import services
from .models import CLOSED_STATUSES, Action, Delivery, Notification, NotificationKind, Trajectory, TrajectoryStatus
from .my_week import trajectory_signals

ACTION_DUE_DAYS = 2  # "your action is due in two days"
# An action that was already overdue for longer when the scheduler first saw it (a new installation, an import)
# is not announced any more: it stands in My week and the weekly digest.
ACTION_OVERDUE_WINDOW_DAYS = 7
# A change of key people is a reason to talk about shared ownership again (subphase 2c); after this many days
# without that talk, the team is reminded.
OWNERSHIP_TALK_AFTER_DAYS = 14


@dataclass
class Outcome:
    created: dict[str, int]
    daily_digests: int = 0
    weekly_digests: int = 0

    @property
    def total(self) -> int:
        return sum(self.created.values())


def send_notifications(*, now: dt.datetime | None = None) -> Outcome:
    now = now or timezone.now()
    today = timezone.localdate(now)
    outcome = Outcome(created=defaultdict(int))
    with translation.override(settings.LANGUAGE_CODE):  # stored links are Dutch; mails translate them
        _actions(today, now, outcome)
        _trajectories(today, now, outcome)
    local = timezone.localtime(now)
    if local.hour >= settings.FII_DIGEST_HOUR:
        outcome.daily_digests = _daily_digests(today, now)
        if today.weekday() == 0:  # Monday morning, Europe/Amsterdam
            outcome.weekly_digests = _weekly_digests(today)
    outcome.created = dict(outcome.created)
    return outcome


def _editors(trajectories: list[Trajectory]) -> dict[int, list[User]]:
    """trajectory id → active users whose highest role on it is bewerker or beheerder; two queries."""
    orgs_of: dict[int, set[int]] = {
        t.pk: {pk for pk in (t.owner_id, t.receiving_organisation_id) if pk is not None} for t in trajectories
    }
    through = Trajectory.participants.through.objects.filter(trajectory_id__in=list(orgs_of))
    for trajectory_id, org_id in through.values_list("trajectory_id", "organisation_id"):
        orgs_of[trajectory_id].add(org_id)
    all_orgs = set().union(*orgs_of.values()) if orgs_of else set()
    roles: dict[int, dict[int, Role]] = defaultdict(dict)  # organisation → user → role
    users: dict[int, User] = {}
    for membership in Membership.objects.filter(organisation_id__in=all_orgs, user__is_active=True).select_related(
        "user"
    ):
        roles[membership.organisation_id][membership.user_id] = Role(membership.role)
        users[membership.user_id] = membership.user
    result = {}
    for trajectory_id, org_ids in orgs_of.items():
        best: dict[int, Role] = {}
        for org_id in org_ids:
            for user_id, role in roles[org_id].items():
                if user_id not in best or role.rank > best[user_id].rank:
                    best[user_id] = role
        result[trajectory_id] = [users[u] for u, role in best.items() if role.allows(Role.BEWERKER)]
    return result


def _create(outcome: Outcome, deliveries: dict, **fields) -> None:
    recipient = fields["recipient"]
    delivery = deliveries.get(recipient.pk, {}).get(fields["kind"])
    if services.notification_create(delivery=delivery, **fields) is not None:
        outcome.created[fields["kind"]] += 1


def _actions(today: dt.date, now: dt.datetime, outcome: Outcome) -> None:
    actions = list(
        Action.objects.filter(
            closed_at__isnull=True,
            assignee__isnull=False,
            assignee__is_active=True,
            organisation__isnull=False,  # the assignee is a member of an organisation taking part
            due_on__gte=today - dt.timedelta(days=ACTION_OVERDUE_WINDOW_DAYS),
            due_on__lte=today + dt.timedelta(days=ACTION_DUE_DAYS),
            trajectory__archived_at__isnull=True,
        )
        .exclude(trajectory__status__in=CLOSED_STATUSES)
        .select_related("assignee", "trajectory__owner")
    )
    deliveries = services.deliveries_of({a.assignee_id for a in actions})
    for action in actions:
        if action.due_on is None:  # excluded by due_on__gte above; the guard tells the type checker
            continue
        kind = NotificationKind.ACTION_OVERDUE if action.due_on < today else NotificationKind.ACTION_DUE
        _create(
            outcome,
            deliveries,
            recipient=action.assignee,
            kind=kind,
            trajectory=action.trajectory,
            object_id=action.pk,
            due_on=action.due_on,
            url=reverse("trajectories:action", args=[action.trajectory_id, action.pk]),
            now=now,
        )


def _trajectories(today: dt.date, now: dt.datetime, outcome: Outcome) -> None:
    watched = Trajectory.objects.filter(archived_at__isnull=True, status=TrajectoryStatus.ACTIEF)
    signals = trajectory_signals(watched, today=today)
    editors = _editors([s.trajectory for s in signals])
    deliveries = services.deliveries_of({u.pk for users in editors.values() for u in users})
    tomorrow = today + dt.timedelta(days=1)
    for signal in signals:
        trajectory = signal.trajectory
        recipients = editors.get(trajectory.pk, [])
        if not recipients:
            continue
        found: list[tuple[str, int, dt.date, str, dict[str, int]]] = []  # (kind, object id, date, url, params)
        cadence = trajectory.cadence
        reviews_url = reverse("trajectories:reviews", args=[trajectory.pk])
        if cadence.next_review_on == tomorrow:
            found.append((NotificationKind.REVIEW_DUE, trajectory.pk, cadence.next_review_on, reviews_url, {}))
        elif cadence.is_overdue:
            found.append((NotificationKind.REVIEW_OVERDUE, trajectory.pk, cadence.next_review_on, reviews_url, {}))
        for flag in signal.silence:
            since = flag.last_contact or timezone.localdate(flag.stakeholder.created_at)
            url = reverse("trajectories:stakeholder", args=[trajectory.pk, flag.stakeholder.pk])
            params = {"days": flag.days_silent if flag.stale else 0}
            found.append((NotificationKind.RADIO_SILENCE, flag.stakeholder.pk, since, url, params))
        for change in signal.changes:
            if (today - change.occurred_on).days >= OWNERSHIP_TALK_AFTER_DAYS:
                url = reverse("trajectories:people_change_revisit", args=[trajectory.pk, change.pk])
                found.append((NotificationKind.OWNERSHIP_TALK, change.pk, change.occurred_on, url, {}))
        for kind, object_id, on, url, params in found:
            for recipient in recipients:
                _create(
                    outcome,
                    deliveries,
                    recipient=recipient,
                    kind=kind,
                    trajectory=trajectory,
                    object_id=object_id,
                    due_on=on,
                    url=url,
                    params=params,
                    now=now,
                )


def _daily_digests(today: dt.date, now: dt.datetime) -> int:
    waiting = set(
        Notification.objects.filter(mailed_at__isnull=True, read_at__isnull=True, created_at__lte=now)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    if not waiting:
        return 0
    deliveries = services.deliveries_of(waiting)
    wanted = [pk for pk in waiting if Delivery.DAILY in deliveries[pk].values()]
    sent = 0
    for user in with_access_version(User.objects.filter(pk__in=wanted, is_active=True)):
        if services.digest_daily_send(user=user, now=now) is not None:
            sent += 1
    return sent


def _weekly_digests(today: dt.date) -> int:
    """Every member who wants it, once per Monday; a member with nothing this week gets no mail."""
    members = set(Membership.objects.filter(user__is_active=True).values_list("user_id", flat=True))
    deliveries = services.deliveries_of(members)
    wanted = {pk for pk in members if deliveries[pk][NotificationKind.WEEKLY_DIGEST] == Delivery.AT_ONCE}
    keys = {services.weekly_digest_key(pk, today): pk for pk in wanted}
    done = set(OutgoingMail.objects.filter(key__in=list(keys)).values_list("key", flat=True))
    todo = [pk for key, pk in keys.items() if key not in done and not cache.get(_nothing_key(pk, today))]
    sent = 0
    for user in with_access_version(User.objects.filter(pk__in=todo)).order_by("pk"):
        if services.digest_weekly_send(user=user, today=today) is not None:
            sent += 1
        else:  # nothing this week: do not work it out again at every run of the day
            cache.set(_nothing_key(user.pk, today), True, 24 * 60 * 60)
    return sent


def _nothing_key(user_id: int, today: dt.date) -> str:
    return f"fii:weekly-digest-empty:{user_id}:{today.isoformat()}"
