"""Notifications: what the application tells a person about their trajectories, in the app and by e-mail.

A notification is a pointer, not a copy: it names its kind, the trajectory, the object it is about and a
date, and holds only structured, non-personal parameters (dates, counts). Its text is written when it is
shown, from the objects as they are then, so erasing a person or anonymising a trajectory leaves no copy
of a name behind in the notifications.

The unique key (recipient, kind, object, date) is what makes the scheduler safe to run twice, and on two
machines at once: the second insert of the same key fails in the database, and only the run that inserted
a notification sends its mail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .core import Trajectory


class NotificationKind(models.TextChoices):
    ACTION_ASSIGNED = "action_assigned", _("An action is assigned to you")
    ACTION_DUE = "action_due", _("Your action is due in two days")
    ACTION_OVERDUE = "action_overdue", _("Your action is overdue")
    REVIEW_DUE = "review_due", _("A stoplight review of your trajectory is due tomorrow")
    REVIEW_OVERDUE = "review_overdue", _("A stoplight review of your trajectory is overdue")
    RADIO_SILENCE = "radio_silence", _("A key figure of your trajectory went radio-silent")
    OWNERSHIP_TALK = "ownership_talk", _("A change of key people still awaits the talk about shared ownership")
    WEEKLY_DIGEST = "weekly_digest", _("Weekly overview on Monday morning (the same as My week)")


class Delivery(models.TextChoices):
    AT_ONCE = "direct", _("At once")
    DAILY = "dagelijks", _("In the daily digest")
    OFF = "uit", _("Off")


# Sensible defaults: what needs the person now comes at once, slower signals wait for the daily digest.
DEFAULT_DELIVERY: dict[str, str] = {
    NotificationKind.ACTION_ASSIGNED: Delivery.AT_ONCE,
    NotificationKind.ACTION_DUE: Delivery.DAILY,
    NotificationKind.ACTION_OVERDUE: Delivery.AT_ONCE,
    NotificationKind.REVIEW_DUE: Delivery.AT_ONCE,
    NotificationKind.REVIEW_OVERDUE: Delivery.AT_ONCE,
    NotificationKind.RADIO_SILENCE: Delivery.DAILY,
    NotificationKind.OWNERSHIP_TALK: Delivery.DAILY,
    NotificationKind.WEEKLY_DIGEST: Delivery.AT_ONCE,
}
# The weekly digest is a digest itself: it comes on Monday morning or not at all.
WEEKLY_DELIVERIES = (Delivery.AT_ONCE, Delivery.OFF)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("trajectory")
    )
    # The action, stakeholder, change of key people or (for reviews) trajectory the notification is about.
    object_id = models.PositiveBigIntegerField(_("object"))
    # The date in the key: the due date, the day of the assignment, the day radio silence began.
    due_on = models.DateField(_("date"))
    # The page to open, in Dutch (no language prefix); shown in another language through translate_url.
    url = models.CharField(_("link"), max_length=300)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    mailed_at = models.DateTimeField(_("mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "object_id", "due_on"], name="notification_unique_key"
            ),
            models.CheckConstraint(condition=Q(kind__in=NotificationKind.values), name="notification_kind_valid"),
        ]
        indexes = [
            # The unread count in the header of every page.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_list"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.trajectory_id} · {self.due_on:%Y-%m-%d}"

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.object_id}:{self.due_on:%Y-%m-%d}:{self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How one person wants one kind of notification; without a row the default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    delivery = models.CharField(_("by e-mail"), max_length=20, choices=Delivery.choices)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notificationpreference_unique_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values), name="notificationpreference_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(delivery__in=Delivery.values), name="notificationpreference_delivery_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}: {self.delivery}"
