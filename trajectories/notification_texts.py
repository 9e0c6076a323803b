"""The words of a notification, written when it is shown (page or mail) in the active language.

Notifications keep no copy of names or descriptions (see models/notifications.py); the texts are made here
from the objects as they are now, in at most three queries for any number of notifications.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import translate_url
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from .models import Action, Notification, PeopleChange, Stakeholder
from .models import NotificationKind as Kind


@dataclass(frozen=True)
class NotificationText:
    notification: Notification
    title: str
    detail: str
    url: str  # in the active language

    @property
    def kind_label(self) -> str:
        return str(Kind(self.notification.kind).label)


def _day(value) -> str:
    return date_format(value, "j F Y")


def describe(notifications: list[Notification]) -> list[NotificationText]:
    """Texts for notifications (``trajectory`` loaded with them), in the order given."""
    ids: dict[str, set[int]] = {"action": set(), "stakeholder": set(), "change": set()}
    for n in notifications:
        if n.kind in (Kind.ACTION_ASSIGNED, Kind.ACTION_DUE, Kind.ACTION_OVERDUE):
            ids["action"].add(n.object_id)
        elif n.kind == Kind.RADIO_SILENCE:
            ids["stakeholder"].add(n.object_id)
        elif n.kind == Kind.OWNERSHIP_TALK:
            ids["change"].add(n.object_id)
    actions = Action.objects.in_bulk(ids["action"]) if ids["action"] else {}
    stakeholders = (
        Stakeholder.objects.select_related("person").in_bulk(ids["stakeholder"]) if ids["stakeholder"] else {}
    )
    changes = PeopleChange.objects.in_bulk(ids["change"]) if ids["change"] else {}
    language = get_language()
    texts = []
    for n in notifications:
        title, detail = _words(n, actions, stakeholders, changes)
        texts.append(NotificationText(n, title, detail, translate_url(n.url, language)))
    return texts


def _words(n: Notification, actions, stakeholders, changes) -> tuple[str, str]:
    removed = _("(no longer there)")
    if n.kind in (Kind.ACTION_ASSIGNED, Kind.ACTION_DUE, Kind.ACTION_OVERDUE):
        action = actions.get(n.object_id)
        what = action.description if action else removed
        due = action.due_on if action else None
        if n.kind == Kind.ACTION_ASSIGNED:
            title = _("Action assigned to you: %(what)s") % {"what": what}
            detail = _("Due on %(date)s.") % {"date": _day(due)} if due else _("No due date.")
        elif n.kind == Kind.ACTION_DUE:
            title = _("Your action is due on %(date)s: %(what)s") % {"date": _day(n.due_on), "what": what}
            detail = _("Close it on the action's page when it is done, with a short note.")
        else:
            title = _("Your action is overdue: %(what)s") % {"what": what}
            detail = _("It was due on %(date)s. Close it, or agree on a new date with your team.") % {
                "date": _day(n.due_on)
            }
        return title, detail
    if n.kind == Kind.REVIEW_DUE:
        return (
            _("The stoplight review is due on %(date)s") % {"date": _day(n.due_on)},
            _("The core team checks every item of the current phase: green, orange or red (subphase 5b)."),
        )
    if n.kind == Kind.REVIEW_OVERDUE:
        return (
            _("The stoplight review is overdue (due on %(date)s)") % {"date": _day(n.due_on)},
            _("Plan the review with the core team, or change the review rhythm if it no longer fits."),
        )
    if n.kind == Kind.RADIO_SILENCE:
        stakeholder = stakeholders.get(n.object_id)
        who = f"{stakeholder.person} ({stakeholder.get_level_display()})" if stakeholder else removed
        days = n.params.get("days")
        detail = (
            ngettext(
                "No contact for %(days)s day. Radio silence is a sign of waning support (subphase 4b).",
                "No contact for %(days)s days. Radio silence is a sign of waning support (subphase 4b).",
                days,
            )
            % {"days": days}
            if days
            else _("Attends fewer stoplight reviews than before: a sign of waning support (subphase 4b).")
        )
        return _("Radio silence: %(who)s") % {"who": who}, detail
    if n.kind == Kind.OWNERSHIP_TALK:
        change = changes.get(n.object_id)
        role = change.role if change else removed
        return (
            _("Change of key people still awaits a talk: %(role)s") % {"role": role},
            _("Since %(date)s. Talk again about shared ownership with both organisations (subphase 2c).")
            % {"date": _day(n.due_on)},
        )
    return str(Kind(n.kind).label), ""
