"""Calendar feeds of upcoming stoplight reviews, and the page that hands out their links.

The feeds are read by calendar clients, which have no session: the secret token in the URL is the
only credential. An unknown token answers 404, like a trajectory the token's user cannot see.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from organisations import audit
from organisations.access import access_version_number

from ..access import get_trajectory_for_user, visible_trajectories
from ..calendar import build_feed, calendar_token_for, calendar_token_regenerate
from ..models import CalendarToken, Trajectory, TrajectoryStatus
from ..selectors import cadence, with_review_summary

FEED_NAME = gettext_lazy("Stoplight reviews")
TOKEN_MAX_LENGTH = CalendarToken._meta.get_field("token").max_length


def _user_for_token(token: str):
    if len(token) > TOKEN_MAX_LENGTH:
        raise Http404
    try:
        found = (
            CalendarToken.objects.select_related("user")
            .annotate(access_version=access_version_number("user_id"))
            .get(token=token, user__is_active=True)
        )
    except CalendarToken.DoesNotExist:
        raise Http404 from None
    found.user.access_version = found.access_version  # read with the token, for the user's cached memberships
    return found.user


def _feed_response(request, trajectories, *, name, filename: str, user) -> HttpResponse:
    for org_id in sorted(set(trajectories.values_list("owner_id", flat=True))) or [None]:
        audit.record(
            audit.Action.EXPORT, object_type="trajectories.Review", organisation=org_id, actor=user, detail="ics"
        )
    body = build_feed(
        trajectories,
        name=name,
        today=timezone.localdate(),
        url_for=lambda t: request.build_absolute_uri(reverse("trajectories:reviews", args=[t.pk])),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def calendar_feed(request, token: str):
    user = _user_for_token(token)
    name = format_lazy("{} · {}", FEED_NAME, gettext_lazy("FII trajectories"))
    return _feed_response(request, visible_trajectories(user), name=name, filename="fii-stoplicht.ics", user=user)


@require_safe
def trajectory_calendar_feed(request, token: str, pk: int):
    user = _user_for_token(token)
    trajectory = get_trajectory_for_user(user, pk)
    name = format_lazy("{} · {}", FEED_NAME, trajectory.title)
    trajectories = Trajectory.objects.filter(pk=trajectory.pk, archived_at__isnull=True)  # archived: empty feed
    return _feed_response(request, trajectories, name=name, filename=f"fii-traject-{trajectory.pk}.ics", user=user)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    if request.method == "POST":
        calendar_token_regenerate(user=request.user)
        messages.success(request, _("New calendar links made; the old links no longer work."))
        return redirect("trajectories:calendar")
    token = calendar_token_for(request.user).token
    today = timezone.localdate()
    trajectories = with_review_summary(visible_trajectories(request.user)).order_by("title", "pk")
    # Feed URLs without a language prefix: the same links work whatever language the page is in.
    with translation.override(settings.LANGUAGE_CODE):
        feed_url = request.build_absolute_uri(reverse("trajectories:calendar_feed", args=[token]))
        rows = [
            {
                "trajectory": t,
                "cadence": cadence(t, today=today) if t.status == TrajectoryStatus.ACTIEF else None,
                "feed_url": request.build_absolute_uri(
                    reverse("trajectories:trajectory_calendar_feed", args=[token, t.pk])
                ),
            }
            for t in trajectories
        ]
    return render(request, "trajectories/calendar.html", {"feed_url": feed_url, "rows": rows})
