"""Login throttling over accounts and over IP addresses (django-axes, issue 16 finding 8).

django-axes compares the largest failure count over its lockout parameters with one limit. We want two:
five failures for one account from one address lock that pair out, and many more failures from one address
over any accounts (password spraying) lock the address out. ``failure_limit`` gives the per-account limit
once that pair has reached it, and the per-address limit otherwise.
"""

from __future__ import annotations

from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def failure_limit(request, credentials) -> int:
    per_account = settings.FII_LOGIN_FAILURES_PER_ACCOUNT
    username = get_client_username(request, credentials)
    ip_address = getattr(request, "axes_ip_address", None)
    if username is None or ip_address is None:
        return per_account
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    failures = AccessAttempt.objects.filter(
        username=username, ip_address=ip_address, attempt_time__gte=since
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return per_account if (failures or 0) >= per_account else settings.FII_LOGIN_FAILURES_PER_IP
