"""Idempotent creates (issue 16, finding 6): a retried form submission does not create a second time.

A create form carries a one-time token (``{% submission_token %}`` from ``organisations.templatetags.submissions``,
a fresh one each time the form is rendered). The view is decorated with :func:`create_once`. The first POST with a
token claims it (a unique row in :class:`FormSubmission`) in the same transaction as what the view creates and its
audit rows: either all of it commits, or none of it. A POST with a token that was already used is sent to the page
the first answer led to, with a message, and creates nothing. Two POSTs with the same token at once: the second
waits on the first's claim and then follows it.

Whether the view made something is read from the audit log: a view that recorded no successful change (a form
with errors, a refusal) releases the token, so the corrected form can be sent with it again. A POST without a
token (an old page, a script) works as before.

Tokens are forgotten after ``KEEP_DAYS`` by ``manage.py apply_retention``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
import secrets
from collections.abc import Callable
from urllib.parse import urlsplit

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from . import audit
from .models import FormSubmission

TOKEN_FIELD = "submission_token"
REPLAYED_HEADER = "X-FII-Replayed"
KEEP_DAYS = 7
_TOKEN = re.compile(r"[0-9a-f]{32}")


def new_token() -> str:
    return secrets.token_hex(16)


def is_create_once(view: Callable) -> bool:
    """Whether a view function is decorated with :func:`create_once` (the enumeration test asks)."""
    return getattr(view, "create_once", False)


class _Release(Exception):
    """The view made nothing: roll back the claim and answer as the view did."""

    def __init__(self, response):
        self.response = response


class _Taken(Exception):
    """Another submission with this token committed first."""


def create_once(view: Callable) -> Callable:
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        token = request.POST.get(TOKEN_FIELD, "") if request.method == "POST" else ""
        if not _TOKEN.fullmatch(token) or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        earlier = FormSubmission.objects.filter(token=token).first()
        if earlier is not None:
            return _replay(request, earlier)
        with _collecting(request):
            try:
                # The one block of its own: a savepoint inside the request's transaction (AuditMiddleware), so a
                # release or a taken token rolls back the claim alone. A failed claim leaves the block at once.
                with transaction.atomic():
                    try:
                        claim = FormSubmission.objects.create(token=token, user=request.user)
                    except IntegrityError:
                        raise _Taken from None
                    before = audit.changes_recorded()
                    response = view(request, *args, **kwargs)
                    if response.status_code >= 400 or audit.changes_recorded() == before:
                        raise _Release(response)
                    claim.result_url = _result_url(request, response)
                    claim.save(update_fields=["result_url"])
            except _Release as release:
                return release.response
            except _Taken:
                earlier = FormSubmission.objects.filter(token=token).first()
                if earlier is None:  # cannot happen: a unique row exists once its claim committed
                    return HttpResponse(status=409)
                return _replay(request, earlier)
        return response

    wrapper.create_once = True  # type: ignore[attr-defined]
    return wrapper


def _collecting(request):
    """The request's audit collector (the middleware's), or one of our own when there is none."""
    return contextlib.nullcontext() if audit.collecting_now() else audit.collecting(request)


def _replay(request, earlier: FormSubmission):
    if earlier.user_id != request.user.pk:
        return HttpResponseBadRequest(_("This form cannot be sent again."))
    messages.info(request, _("This form was already sent; this is what it made. Nothing was added twice."))
    url = earlier.result_url or request.get_full_path()
    if getattr(request, "htmx", False):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
    else:
        response = redirect(url)
    # Said on the answer itself, for a client that cannot tell by the message (the message waits in the session
    # for the next page, which need not be the one this answer leads to).
    response[REPLAYED_HEADER] = "1"
    return response


def _local(request, url: str) -> str:
    """The path and query of a URL of this site, or ""."""
    if not url or not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return ""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if path.startswith("/") and not path.startswith("//") else ""


def _result_url(request, response) -> str:
    """Where a retry is sent: where the first answer led, or the page the user was on (htmx answers)."""
    candidates = []
    if 300 <= response.status_code < 400:
        candidates.append(response.get("Location", ""))
    candidates.append(response.get("HX-Redirect", ""))
    candidates.append(request.headers.get("HX-Current-URL", ""))
    candidates.append(request.headers.get("Referer", ""))
    for candidate in candidates:
        local = _local(request, candidate)
        if local:
            return local[:500]
    return request.get_full_path()[:500]


def forget_old(*, now: dt.datetime | None = None) -> int:
    """Remove the tokens of submissions older than ``KEEP_DAYS`` (no retry comes that late)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=KEEP_DAYS)
    deleted, _by_model = FormSubmission.objects.filter(created_at__lt=cutoff).delete()
    return deleted
