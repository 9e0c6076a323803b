"""Security headers on every page type: Content Security Policy with a nonce, no framing, no plugins."""

import re

import pytest
from django.urls import reverse

from .test_permissions import MATRIX

PAGES = sorted(name for name, (_args, method, expected) in MATRIX.items() if method == "get")


@pytest.mark.parametrize("name", PAGES)
def test_every_page_type_sends_a_strict_csp(name, client, beheerder, trajectory):
    args_for, _method, expected = MATRIX[name]
    client.force_login(beheerder)
    response = client.get(reverse(name, args=args_for(trajectory) if args_for else None))
    assert response.status_code == expected["beheerder"]
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    # The nonce is only added when the response used one (HTML pages with their scripts).
    assert re.fullmatch(r"'self'( 'nonce-[\w+/=-]+')?", directives["script-src"]), policy
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    if response["Content-Type"].startswith("text/html") and response.status_code == 200:
        html = response.content.decode()
        assert "'nonce-" in directives["script-src"], f"{name}: an HTML page without a nonce"
        nonce = directives["script-src"].split("'nonce-")[1].rstrip("'")
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
            assert f'nonce="{nonce}"' in tag, f"{name}: {tag} has no nonce"
        assert not re.search(r"\sstyle=\"", html), f"{name}: inline style attribute"
        assert not re.search(r"\son[a-z]+=\"", html), f"{name}: inline event handler"


def test_admin_pages_send_the_csp_too(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
