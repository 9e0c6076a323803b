"""Rendered page parts, cached under the revision of the trajectory they show: the one seam of the page cache.

Kept, not removed (issue 20, BENCHMARKS.md "Page cache: with and without"): without it the trajectory and review
pages fall far below their targets. Everything the cache needs sits in its room: this module (keys, reads and
writes of parts), ``trajectories/revisions.py`` (which writes raise which revision) and ``fii/cache_versions.py``
(the numbers, in the cache's own table ``fii_cacheversion``; no model has a field for it). A view that uses a
part asks its scoped look-up for the revision (``get_trajectory_for_user(..., revision=True)``,
``get_review_for_user``, the portfolio's ``revisions.number()`` annotation), which reads it in the statement it
runs anyway, and renders ``{{ body }}``.

What it costs: per write, one upsert in the writer's transaction (a light change: 13 statements, as before the
numbers moved); per cached read, no statement (a subquery on the page's own read); a cache round trip per page
(one ``get`` or ``get_many``); Redis memory for a day's parts; and code that must remember the seam (a write
that sends no signal calls ``trajectories/writes.py``; ``tests/trajectories/test_revisions.py`` and
``tests/trajectories/test_structure.py`` check that every model of a trajectory raises the revision).

A key names the part, the trajectory and its revision (``trajectories/revisions.py``: every write raises
it), and everything else the part depends on: the user's role where the part shows buttons for it, the
language, and today's date (review cadence, overdue actions and radio silence count from today). A key
is never invalidated; a write makes the next request ask for a new one, and old keys age out.

Parts are rendered without the request's CSRF token, which differs per user, and get it put in on the
way out, so one cached part serves every user with the same role. Parts hold no CSP nonce: inline
scripts and styles have none to hold.

A part that shows several trajectories (a page of the portfolio) is keyed on what it shows instead
(:func:`content_key`): the (id, revision) pairs of its trajectories and every other value it renders, hashed.
Such a key holds no user: the view reads the pairs from the database under the user's own scope on every
request, so a user can only ever be served a part built from the trajectories they see.

Only GET views use cached parts: a view that writes renders from the database, and redirects.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from fii.lib.parts import CSRF_PLACEHOLDER, render_shared, with_token

__all__ = ["CSRF_PLACEHOLDER", "content_key", "key", "render_named_parts", "render_part", "render_parts"]
TIMEOUT = 24 * 60 * 60  # a day: the date is part of every key anyway


def key(part: str, trajectory_id: int, revision: int, *extra) -> str:
    bits = (part, trajectory_id, revision, *extra, get_language(), timezone.localdate().isoformat())
    return "fii:part:" + ":".join(str(bit) for bit in bits)


def content_key(part: str, *shown) -> str:
    """The key of a part made only of ``shown`` (ints, strings, booleans and tuples or lists of them, whose
    ``repr`` is stable), the language and today's date; hashed, so a long query string makes no long key."""
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()
    return "fii:part:" + ":".join((part, digest, get_language(), timezone.localdate().isoformat()))


def render_named_parts(request, parts: dict[str, tuple[str, str, Callable[[], dict]]]) -> dict[str, SafeString]:
    """Several different parts in one cache round trip: ``parts`` maps a name to (template name, key,
    context), as :func:`render_part` takes them; the context is called only for a part not in the cache."""
    found = cache.get_many([key for _template, key, _context in parts.values()])
    html, fresh = {}, {}
    for name, (template_name, cache_key, context) in parts.items():
        text = found.get(cache_key)
        if text is None:
            text = fresh[cache_key] = render_shared(template_name, context(), request)
        html[name] = with_token(request, text)
    if fresh:
        cache.set_many(fresh, TIMEOUT)
    return html


def render_part(request, template_name: str, cache_key: str, context: Callable[[], dict]) -> SafeString:
    """The part from the cache, or rendered with ``context()`` (called only then) and stored."""
    html = cache.get(cache_key)
    if html is None:
        html = render_shared(template_name, context(), request)
        cache.set(cache_key, html, TIMEOUT)
    return with_token(request, html)


def render_parts(
    request, template_name: str, keys: dict, render_missing: Callable[[Iterable], dict[object, dict]]
) -> dict[object, SafeString]:
    """Many parts at once (one cache round trip): ``keys`` maps an id to its cache key;
    ``render_missing(ids)`` gives the context of each id not in the cache."""
    found = cache.get_many(list(keys.values()))
    html = {pk: found[k] for pk, k in keys.items() if k in found}
    missing = [pk for pk in keys if pk not in html]
    if missing:
        fresh = {}
        for pk, context in render_missing(missing).items():
            html[pk] = fresh[keys[pk]] = render_shared(template_name, context, request)
        cache.set_many(fresh, TIMEOUT)
    return {pk: with_token(request, text) for pk, text in html.items()}
