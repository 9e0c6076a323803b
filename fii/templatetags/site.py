"""``{% site_header %}`` and ``{% site_footer %}``: the header and the footer of every page
(templates/components/site_header.html and site_footer.html), each rendered once for every distinct header
or footer and then kept in the worker's memory.

Their markup is a function of the values in :func:`_header_shows` and :func:`_footer_shows` (the language,
the URL prefix, which section is current, who is logged in as far as the header shows it, the unread count,
the idle warning), plus the CSRF token and the page's own address, which go in on the way out. So a kept
part is keyed on exactly those values and never goes stale; it is not in the shared cache because rendering
it costs less than a round trip. Issue 21 (BENCHMARKS.md, "Portfolio and review page targets").
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from fii.lib.parts import render_shared, with_token

register = template.Library()

PATH_PLACEHOLDER = "fii-kept-path-2c84e0"
KEPT_AT_MOST = 512  # distinct parts per worker; past that the memory starts again
_kept: dict[tuple, str] = {}


def _kept_part(template_name: str, shows: tuple, request, values: dict) -> SafeString:
    if request is None:  # rendered outside a request: nothing to key on
        return render_to_string(template_name, values)
    if settings.DEBUG:  # a developer's template edits show at once (the autoreloader does not restart for them)
        return render_to_string(
            template_name, {**values, "csrf_token": get_token(request), "page_path": request.get_full_path()}
        )
    key = (template_name, get_language(), get_script_prefix(), *shows)
    html = _kept.get(key)
    if html is None:
        html = render_shared(template_name, {**values, "page_path": PATH_PLACEHOLDER})
        if len(_kept) >= KEPT_AT_MOST:
            _kept.clear()
        _kept[key] = html
    return with_token(request, html.replace(PATH_PLACEHOLDER, escape(request.get_full_path())))


@register.simple_tag(takes_context=True)
def site_header(context) -> SafeString:
    request, user = context.get("request"), context.get("user")
    unread = context.get("unread_notifications")
    authenticated = bool(user is not None and user.is_authenticated)
    match = getattr(request, "resolver_match", None)
    shows = (
        match.url_name if match else None,
        match.app_name if match else None,
        authenticated,
        authenticated and user.is_staff,
        user.get_full_name() if authenticated else "",
        # Shown as text ({{ unread_notifications }}) and tested for truth, so both go in the key.
        (bool(unread), str(unread)) if authenticated else None,
    )
    values = {"request": request, "user": user, "unread_notifications": unread}
    return _kept_part("components/site_header.html", shows, request, values)


@register.simple_tag(takes_context=True)
def site_footer(context) -> SafeString:
    values = {name: context.get(name) for name in ("idle_seconds_left", "idle_warn_minutes")}
    # The seconds left are not shown, only whether the idle warning is there.
    shows = (values["idle_seconds_left"] is not None, values["idle_warn_minutes"])
    return _kept_part("components/site_footer.html", shows, context.get("request"), values)
