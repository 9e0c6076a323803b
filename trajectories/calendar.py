"""iCalendar feeds of upcoming stoplight reviews, one per user and one per trajectory.

A feed holds, for every active trajectory, the next review date and the dates that follow by the
trajectory's review interval, up to six months ahead. The dates are expectations, not meetings that
were planned: they move as soon as a review is held. A feed is read by calendar clients without a
session, so its URLs carry the user's secret :class:`CalendarToken`; regenerating it kills old links.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from fii.model import Phase

from .models import CalendarToken, ReviewInterval, Trajectory, TrajectoryStatus
from .models.reviews import new_calendar_token
from .selectors import cadence, with_review_summary

PRODID = "-//FII trajecten//NL"
HORIZON = relativedelta(months=6)
TEXT_LIMIT = 200

# Line breaks of every kind and other control characters: a title typed with a CR/LF must not end the
# calendar line it is in (issue 16, finding 7; icalendar guards against raw newlines with ``assert``,
# which ``python -O`` removes).
_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


def one_line(text: str, limit: int = TEXT_LIMIT) -> str:
    """Free text as one calendar-safe line, at most ``limit`` characters (an ellipsis marks a cut)."""
    text = " ".join(_BREAKS.sub(" ", str(text)).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Occurrence:
    on: dt.date
    is_overdue: bool


def review_occurrences(trajectory: Trajectory, *, today: dt.date) -> list[Occurrence]:
    """The expected review dates of a trajectory annotated by :func:`with_review_summary`.

    The next review always comes first, also when it is overdue (on its due date). The dates after
    it follow the interval as if each review is held on its due date; those that would already lie
    in the past are left out, so an overdue trajectory shows one overdue review, not a backlog.
    """
    if trajectory.status != TrajectoryStatus.ACTIEF:
        return []
    interval = ReviewInterval(trajectory.review_interval)
    next_review = cadence(trajectory, today=today)
    day = next_review.next_review_on
    occurrences = [Occurrence(day, next_review.is_overdue)]
    day = interval.after(day)
    while day < today:
        day = interval.after(day)
    until = today + HORIZON
    while day <= until:
        occurrences.append(Occurrence(day, False))
        day = interval.after(day)
    return occurrences


def build_feed(
    trajectories: QuerySet[Trajectory],
    *,
    name: str | Promise,
    today: dt.date,
    url_for: Callable[[Trajectory], str],
    now: dt.datetime | None = None,
) -> bytes:
    """The feed for the active trajectories among ``trajectories``, in one query however many there are.

    ``url_for`` makes the absolute URL of a trajectory's review page. Texts and URLs are rendered in
    the site's default language: a calendar client sends no language preference worth following.
    """
    stamp = now or timezone.now()
    feed = Calendar()
    feed.add("prodid", PRODID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    with translation.override(settings.LANGUAGE_CODE):
        feed.add("x-wr-calname", one_line(name))
        active = with_review_summary(trajectories.filter(status=TrajectoryStatus.ACTIEF)).order_by("title", "pk")
        for trajectory in active:
            url = url_for(trajectory)
            description = "\n".join([_("Phase: %(phase)s") % {"phase": Phase(trajectory.current_phase).label}, url])
            for occurrence in review_occurrences(trajectory, today=today):
                summary = (
                    _("Stoplight review (overdue): %(title)s")
                    if occurrence.is_overdue
                    else _("Stoplight review: %(title)s")
                )
                event = Event()
                event.add("uid", f"review-{trajectory.pk}-{occurrence.on:%Y%m%d}@fii")
                event.add("dtstamp", stamp)
                event.add("dtstart", occurrence.on)
                event.add("dtend", occurrence.on + dt.timedelta(days=1))
                event.add("summary", summary % {"title": one_line(trajectory.title)})
                event.add("description", description)
                event.add("url", url)
                # An expected date, not an appointment: it should not make anyone look busy.
                event.add("transp", "TRANSPARENT")
                feed.add_component(event)
    return feed.to_ical()


def calendar_token_for(user) -> CalendarToken:
    token, _created = CalendarToken.objects.get_or_create(user=user)
    return token


def calendar_token_regenerate(*, user) -> CalendarToken:
    """Give the user a new secret; every link made with the old one stops working at once."""
    token, _created = CalendarToken.objects.update_or_create(
        user=user, defaults={"token": new_calendar_token(), "created_at": timezone.now()}
    )
    return token
