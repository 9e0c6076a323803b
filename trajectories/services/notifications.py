"""Notifications: creating them (exactly once per key), mailing them per the recipient's settings, the daily and
weekly digests, marking them read, the settings and the signed unsubscribe link.

Mails go through the outbox (``organisations.mail.mail_enqueue``): stored in the caller's transaction under a
unique key and sent by the background worker, never inside a request.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone, translation

from organisations.mail import absolute_url, mail_enqueue
from organisations.models import OutgoingMail, User

from ..models import (
    DEFAULT_DELIVERY,
    WEEKLY_DELIVERIES,
    Action,
    Delivery,
    Notification,
    NotificationKind,
    NotificationPreference,
    Trajectory,
)

__all__ = [
    "daily_digest_key",
    "deliveries_of",
    "digest_daily_send",
    "digest_weekly_send",
    "notification_action_assigned",
    "notification_create",
    "notification_deliveries",
    "notification_preferences_set",
    "notification_unsubscribe",
    "notifications_mark_read",
    "unread_count",
    "unread_recount",
    "unsubscribe_read",
    "unsubscribe_token",
    "weekly_digest_context",
    "weekly_digest_key",
]


UNSUBSCRIBE_SALT = "fii.notifications.unsubscribe"


# Settings ------------------------------------------------------------------------------------------


def deliveries_of(user_ids) -> dict[int, dict[str, str]]:
    """user id → kind → delivery, defaults filled in; one query."""
    result = {pk: dict(DEFAULT_DELIVERY) for pk in user_ids}
    rows = NotificationPreference.objects.filter(user_id__in=list(result)).values_list("user_id", "kind", "delivery")
    for user_id, kind, delivery in rows:
        result[user_id][kind] = delivery
    return result


def notification_deliveries(user) -> dict[str, str]:
    return deliveries_of([user.pk])[user.pk]


@transaction.atomic
def notification_preferences_set(*, user, deliveries: dict[str, str]) -> None:
    for kind, delivery in deliveries.items():
        NotificationKind(kind)  # a ValueError for an unknown kind
        if kind == NotificationKind.WEEKLY_DIGEST and delivery not in WEEKLY_DELIVERIES:
            raise ValueError("The weekly digest is sent on Monday or not at all.")
        NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": Delivery(delivery)})


def unsubscribe_token(user, kind: str) -> str:
    """A signed token for "no more e-mail of this kind"; it holds no secret and changes nothing by itself."""
    return signing.dumps({"u": user.pk, "k": str(kind)}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[User, str] | None:
    """(user, kind) for a valid token of an active account; None for a tampered or unknown one."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in NotificationKind.values or not isinstance(data.get("u"), int):
        return None
    user = User.objects.filter(pk=data["u"], is_active=True).first()
    return (user, data["k"]) if user else None


@transaction.atomic
def notification_unsubscribe(*, user, kind: str) -> None:
    NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": Delivery.OFF})


# Reading -------------------------------------------------------------------------------------------


def unread_count(user) -> int:
    """The header's count: a counter on the user row, read with the user (no query of its own)."""
    return user.unread_notifications


def unread_recount(user) -> int:
    """The exact count, written back when the counter drifted (notifications deleted with a trajectory)."""
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    if count != user.unread_notifications:
        User.objects.filter(pk=user.pk).update(unread_notifications=count)
        user.unread_notifications = count
    return count


def _unread_add(user_id: int, delta: int) -> None:
    if delta:
        User.objects.filter(pk=user_id).update(unread_notifications=Greatest(F("unread_notifications") + delta, 0))


@transaction.atomic
def notifications_mark_read(*, user, notification_id: int | None = None, now: dt.datetime | None = None) -> int:
    """Mark the user's own notification (or all of them) as read; how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    count = unread.update(read_at=now or timezone.now())
    _unread_add(user.pk, -count)
    return count


# Creating and mailing ------------------------------------------------------------------------------


def language_of(user) -> str:
    return user.language or settings.LANGUAGE_CODE


def _mail_context(user, kind: str, language: str) -> dict:
    with translation.override(language):
        settings_path = reverse("trajectories:notification_settings")
        unsubscribe_path = reverse("trajectories:unsubscribe", args=[unsubscribe_token(user, kind)])
    return {
        "recipient": user,
        "settings_url": absolute_url(settings_path),
        "unsubscribe_url": absolute_url(unsubscribe_path),
        "kind_label": NotificationKind(kind).label,
    }


@transaction.atomic
def notification_create(
    *,
    recipient,
    kind: str,
    trajectory: Trajectory,
    object_id: int,
    due_on: dt.date,
    url: str,
    params: dict | None = None,
    delivery: str | None = None,
    now: dt.datetime | None = None,
) -> Notification | None:
    """The notification, or None when its key exists already (made by an earlier or a parallel run).

    Only the run that inserts the row mails it: the database's unique key decides, so nothing is mailed twice.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                trajectory=trajectory,
                object_id=object_id,
                due_on=due_on,
                url=url,
                params=params or {},
                created_at=now,
            )
    except IntegrityError:
        return None
    _unread_add(recipient.pk, 1)
    if delivery is None:
        delivery = notification_deliveries(recipient)[kind]
    if delivery == Delivery.AT_ONCE:
        _mail_at_once(notification, now=now)
    return notification


def _mail_at_once(notification: Notification, *, now: dt.datetime) -> None:
    from ..notification_texts import describe

    user = notification.recipient
    language = language_of(user)
    with translation.override(language):
        (text,) = describe([notification])
    url = absolute_url(text.url, language)
    trajectory = notification.trajectory
    mail_enqueue(
        key=f"notification:{notification.key}",
        to=user.email,
        template="notification",
        context={
            **_mail_context(user, notification.kind, language),
            "text": text,
            "url": url,
            "trajectory": trajectory.title,
            "organisation": trajectory.owner.name,
        },
        language=language,
    )
    Notification.objects.filter(pk=notification.pk).update(mailed_at=now)
    notification.mailed_at = now


def notification_action_assigned(*, action: Action, by, now: dt.datetime | None = None) -> Notification | None:
    """Tell the new assignee, unless they assigned it to themselves or do not take part in the trajectory."""
    if action.assignee is None or action.assignee_id == getattr(by, "pk", None) or action.organisation_id is None:
        return None
    if not action.assignee.is_active:
        return None
    if now is not None and now < timezone.now() - dt.timedelta(days=1):
        return None  # a write dated in the past records history (the demo data): nobody is told about it now
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        url = reverse("trajectories:action", args=[action.trajectory_id, action.pk])
    return notification_create(
        recipient=action.assignee,
        kind=NotificationKind.ACTION_ASSIGNED,
        trajectory=action.trajectory,
        object_id=action.pk,
        due_on=timezone.localdate(now),
        url=url,
        params={"due_on": action.due_on.isoformat() if action.due_on else None},
        now=now,
    )


# Digests -------------------------------------------------------------------------------------------


def daily_digest_key(user_id: int, day: dt.date) -> str:
    return f"digest-daily:{user_id}:{day.isoformat()}"


def weekly_digest_key(user_id: int, day: dt.date) -> str:
    return f"digest-weekly:{user_id}:{day.isoformat()}"


@transaction.atomic
def digest_daily_send(*, user, now: dt.datetime | None = None) -> OutgoingMail | None:
    """One mail with the user's notifications that wait for the daily digest (unread, not mailed yet)."""
    from ..notification_texts import describe

    now = now or timezone.now()
    daily = [kind for kind, delivery in notification_deliveries(user).items() if delivery == Delivery.DAILY]
    # Locked, so that a parallel run waits and then finds them mailed.
    pending = list(
        Notification.objects.select_for_update(of=("self",))
        .filter(recipient=user, kind__in=daily, mailed_at__isnull=True, read_at__isnull=True, created_at__lte=now)
        .select_related("trajectory__owner")
        .order_by("trajectory__title", "created_at", "pk")
    )
    if not pending:
        return None
    language = language_of(user)
    with translation.override(language):
        texts = describe(pending)
    mail = mail_enqueue(
        key=daily_digest_key(user.pk, timezone.localdate(now)),
        to=user.email,
        template="daily_digest",
        context={
            **_mail_context(user, NotificationKind.WEEKLY_DIGEST, language),
            "texts": [(t, absolute_url(t.url, language)) for t in texts],
            "count": len(texts),
            "organisations": sorted({n.trajectory.owner.name for n in pending}),
            "trajectories": sorted({n.trajectory.title for n in pending}),
        },
        language=language,
    )
    if mail is not None:
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(mailed_at=now)
    return mail


def weekly_digest_context(user, *, today: dt.date, language: str) -> dict | None:
    """What the weekly digest shows: My week of that Monday (None when nothing needs the user). The bounds are
    My week's (:func:`trajectories.my_week.my_week`: the most urgent actions, and the signals of the trajectories
    whose review comes first), so the mail costs the same number of queries however many trajectories the user
    works on; a section the bounds cut says how many more there are, with a link to My week."""
    from ..my_week import my_week

    with translation.override(language):  # the links in the language of the mail
        week = my_week(user, today=today)
    if not week.total:
        return None
    items = [*week.overdue, *week.due, *week.signals]
    return {
        **_mail_context(user, NotificationKind.WEEKLY_DIGEST, language),
        "week": week,
        "today": week.today,
        "base": settings.FII_BASE_URL,
        "my_week_url": absolute_url(_path_in("trajectories:my_week", language)),
        "organisations": sorted({i.trajectory.owner.name for i in items}),
        "trajectories": sorted({i.trajectory.title for i in items}),
    }


def _path_in(name: str, language: str, args=None) -> str:
    with translation.override(language):
        return reverse(name, args=args)


@transaction.atomic
def digest_weekly_send(*, user, today: dt.date) -> OutgoingMail | None:
    language = language_of(user)
    context = weekly_digest_context(user, today=today, language=language)
    if context is None:
        return None
    return mail_enqueue(
        key=weekly_digest_key(user.pk, today),
        to=user.email,
        template="weekly_digest",
        context=context,
        language=language,
    )
