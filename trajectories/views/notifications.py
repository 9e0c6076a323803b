"""My week (the home page), the notifications page and the notification settings, with the unsubscribe link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .. import my_week as week_selectors
from .. import services
from ..forms.notifications import NotificationSettingsForm
from ..models import Notification, NotificationKind
from ..notification_texts import describe

PAGE_SIZE = 25


@login_required
@require_http_methods(["GET"])
def my_week(request):
    context = {
        "week": week_selectors.my_week(request.user),
        "max_actions": week_selectors.MAX_ACTIONS,
        "max_trajectories": week_selectors.MAX_TRAJECTORIES,
    }
    return render(request, "trajectories/my_week.html", context)


@login_required
@require_http_methods(["GET"])
def notification_list(request):
    services.unread_recount(request.user)  # the header's counter, checked against the rows here
    notifications = Notification.objects.filter(recipient=request.user).select_related("trajectory")
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = describe(list(page.object_list))
    return render(request, "trajectories/notifications.html", {"page": page, "rows": rows})


@login_required
@require_http_methods(["POST"])
def notification_read(request):
    """Mark one notification (``id``) or all of them as read; only the user's own."""
    raw = request.POST.get("id", "")
    notification_id = int(raw) if raw.isdigit() else None
    count = services.notifications_mark_read(user=request.user, notification_id=notification_id)
    if notification_id is None:
        messages.success(request, _("All notifications are marked as read."))
    elif not count:
        messages.info(request, _("That notification was already read."))
    return redirect("trajectories:notifications")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    current = services.notification_deliveries(request.user)
    form = NotificationSettingsForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        services.notification_preferences_set(user=request.user, deliveries=form.cleaned_data)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("trajectories:notification_settings")
    return render(request, "trajectories/notification_settings.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """From the link in a mail, without logging in: GET asks, only the POST changes the setting."""
    found = services.unsubscribe_read(token)
    if found is None:
        return render(request, "trajectories/unsubscribe.html", {"invalid": True}, status=400)
    user, kind = found
    label = NotificationKind(kind).label
    if request.method == "POST":
        services.notification_unsubscribe(user=user, kind=kind)
        return render(request, "trajectories/unsubscribe.html", {"done": True, "label": label, "email": user.email})
    return render(request, "trajectories/unsubscribe.html", {"label": label, "email": user.email})
