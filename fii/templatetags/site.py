"""``{% site_header %}``: the header of every page (templates/components/site_header.html), rendered once for
each distinct header and then kept in the worker's memory.

The header's markup is a function of the values in :func:`_shown` (the language, the URL prefix, which
section is current, who is logged in as far as the header shows it, the unread count), plus the CSRF token
and the page's own address, which go in on the way out. So a kept header is keyed on exactly those values and
never goes stale; it is not in the shared cache because rendering it costs less than a round trip.
Issue 21 (BENCHMARKS.md, "Portfolio and review page targets"): about 0.45 ms of every page's time.
"""

from __future__ import annotations

from django import template
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

CSRF_PLACEHOLDER = "fii-header-csrf-7f3a91"
PATH_PLACEHOLDER = "fii-header-path-2c84e0"
KEPT_AT_MOST = 512  # distinct headers per worker; past that the memory starts again
_kept: dict[tuple, str] = {}


def _shown(request, user, unread) -> tuple:
    match = request.resolver_match
    authenticated = bool(user is not None and user.is_authenticated)
    return (
        get_language(),
        get_script_prefix(),
        match.url_name if match else None,
        match.app_name if match else None,
        authenticated,
        authenticated and user.is_staff,
        user.get_full_name() if authenticated else "",
        # Shown as text ({{ unread_notifications }}) and tested for truth, so both go in the key.
        (bool(unread), str(unread)) if authenticated else None,
    )


@register.simple_tag(takes_context=True)
def site_header(context) -> SafeString:
    request, user = context.get("request"), context.get("user")
    unread = context.get("unread_notifications")
    values = {"request": request, "user": user, "unread_notifications": unread}
    if request is None:  # rendered outside a request: nothing to key on
        return render_to_string("components/site_header.html", values)
    key = _shown(request, user, unread)
    html = _kept.get(key)
    if html is None:
        html = render_to_string(
            "components/site_header.html",
            {**values, "csrf_token": CSRF_PLACEHOLDER, "next_path": PATH_PLACEHOLDER},
        )
        if len(_kept) >= KEPT_AT_MOST:
            _kept.clear()
        _kept[key] = html
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html.replace(PATH_PLACEHOLDER, escape(request.get_full_path())))
