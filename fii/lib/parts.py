"""A part of a page rendered once and served to many requests (the trajectory's cached parts in
``trajectories/fragments.py``, the header and footer kept by ``fii/templatetags/site.py``).

The CSRF token differs per user, so a shared part is rendered with a placeholder in its place and gets the request's
own token on the way out. Parts hold no CSP nonce: inline scripts and styles have none to hold.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

CSRF_PLACEHOLDER = "fii-csrf-token-placeholder-5b1c0e"


def render_shared(template_name: str, context: dict, request: HttpRequest | None = None) -> str:
    """The part's markup for every user: the CSRF token left as a placeholder."""
    return render_to_string(template_name, {**context, "csrf_token": CSRF_PLACEHOLDER}, request)


def with_token(request: HttpRequest, html: str) -> SafeString:
    """A shared part with this request's CSRF token put in."""
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)
