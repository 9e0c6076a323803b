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


def _text(value: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11): backslash, semicolon, comma and line break escaped."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545, 3.1): continuation lines start with one space, and a
    multi-byte character is never split."""
    if len(line) <= 18 or len(line.encode()) <= 75:  # 18 characters are at most 72 octets
        return line
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        octets = len(char.encode())
        if size + octets > 75:
            parts.append("".join(current))
            current, size = [" "], 1
        current.append(char)
        size += octets
    parts.append("".join(current))
    return "\r\n".join(parts)


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

    The lines are written here rather than through icalendar's objects: a feed of a user who sees every
    trajectory holds some 12,000 events, and icalendar spent 10 of its 11 seconds building and folding them
    (BENCHMARKS.md, "Mijn week and the calendar feed"). The feed has few, fixed properties; escaping and folding
    follow RFC 5545, and the tests read every feed back with icalendar's parser.
    """
    stamp = f"{(now or timezone.now()).astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"
    lines = ["BEGIN:VCALENDAR", f"PRODID:{PRODID}", "VERSION:2.0", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    with translation.override(settings.LANGUAGE_CODE):
        # Written as icalendar wrote it, unescaped: clients show this name as it stands (one_line took the breaks out).
        lines.append(_fold(f"X-WR-CALNAME:{one_line(name)}"))
        overdue_summary = _("Stoplight review (overdue): %(title)s")
        summary = _("Stoplight review: %(title)s")
        active = with_review_summary(trajectories.filter(status=TrajectoryStatus.ACTIEF)).order_by("title", "pk")
        for trajectory in active:
            url = url_for(trajectory)
            phase = _("Phase: %(phase)s") % {"phase": Phase(trajectory.current_phase).label}
            description = _fold(f"DESCRIPTION:{_text(phase)}\\n{_text(url)}")
            title = {"title": one_line(trajectory.title)}
            summaries = {
                True: _fold(f"SUMMARY:{_text(overdue_summary % title)}"),
                False: _fold(f"SUMMARY:{_text(summary % title)}"),
            }
            url_line = _fold(f"URL:{url}")
            for occurrence in review_occurrences(trajectory, today=today):
                lines += [
                    "BEGIN:VEVENT",
                    summaries[occurrence.is_overdue],
                    f"DTSTART;VALUE=DATE:{occurrence.on:%Y%m%d}",
                    f"DTEND;VALUE=DATE:{occurrence.on + dt.timedelta(days=1):%Y%m%d}",
                    f"DTSTAMP:{stamp}",
                    f"UID:review-{trajectory.pk}-{occurrence.on:%Y%m%d}@fii",
                    description,
                    # An expected date, not an appointment: it should not make anyone look busy.
                    "TRANSP:TRANSPARENT",
                    url_line,
                    "END:VEVENT",
                ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def calendar_token_for(user) -> CalendarToken:
    token, _created = CalendarToken.objects.get_or_create(user=user)
    return token


def calendar_token_regenerate(*, user) -> CalendarToken:
    """Give the user a new secret; every link made with the old one stops working at once."""
    token, _created = CalendarToken.objects.update_or_create(
        user=user, defaults={"token": new_calendar_token(), "created_at": timezone.now()}
    )
    return token
