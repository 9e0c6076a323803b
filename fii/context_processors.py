"""What every page needs to warn before the idle logout (static/js/fii.js reads it from <body>)."""

from django.conf import settings

from .middleware import idle_seconds_left

WARN_BEFORE_SECONDS = 120  # the warning shows two minutes before the logout


def session_clock(request) -> dict:
    if not hasattr(request, "user"):
        return {}
    left = idle_seconds_left(request)
    if left is None:
        return {}
    warn = min(WARN_BEFORE_SECONDS, settings.FII_SESSION_IDLE_SECONDS // 2)
    return {"idle_seconds_left": left, "idle_warn_seconds": warn, "idle_warn_minutes": max(1, round(warn / 60))}
