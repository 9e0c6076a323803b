"""Where a page's time goes per request, above the bare baseline: in-process, warm, one request at a time.

    PYTHONPATH=$PWD .venv/bin/python bench/page_profile.py --database postgresql://postgres@127.0.0.1:5432/fii_p2k \\
        [--user one] [--requests 200] [--profile]

The same settings as ``bench/load.py``'s servers (production settings, DEBUG off, a Redis of the run's own) and
the same paths (the portfolio's first eight pages, the finalised reviews of 40 trajectories), requested through
Django's test client in this process after two warm-up rounds (static files collected first: run ``collectstatic``
with the same settings, or ``bench/load.py`` once). Prints per page: the median wall and CPU
milliseconds per request, their ratio to the baseline's, and the statements of one warm request with their time.
``--profile`` adds a cProfile breakdown per page with a CPU clock: the cumulative milliseconds per request of
template rendering, statements, cache round trips, context processors and forms (the profiler inflates every
call, so read the shares). See bench/README.md and BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from _pages import USERS, bench_session, page_paths  # noqa: E402
from load import OwnRedis, server_env  # noqa: E402

# (label, "module:qualname") of functions whose cumulative time per request is shown (the outermost calls of each).
GROUPS = [
    ("template rendering (whole page)", "django.template.backends.django:Template.render"),
    ("  {% url %}", "django.template.defaulttags:URLNode.render"),
    ("  {% static %}", "django.templatetags.static:StaticNode.render"),
    ("  {% include %}", "django.template.loader_tags:IncludeNode.render"),
    ("  form field rendering", "django.forms.boundfield:BoundField.as_widget"),
    ("  {% blocktranslate %}", "django.templatetags.i18n:BlockTranslateNode.render"),
    ("  context processors", "django.template.context:RequestContext.bind_template"),
    ("statements (ORM, incl. building)", "django.db.models.sql.compiler:SQLCompiler.execute_sql"),
    ("  of which execute + wait", "django.db.backends.utils:CursorWrapper.execute"),
    ("cache get", "django.core.cache.backends.redis:RedisCache.get"),
    ("cache get_many", "django.core.cache.backends.redis:RedisCache.get_many"),
    ("session load", "django.contrib.sessions.backends.base:SessionBase._get_session"),
    ("user load", "django.contrib.auth:get_user"),
    ("paginator", "django.core.paginator:Paginator.get_page"),
    ("portfolio filter form", "trajectories.selectors:portfolio_for"),
    ("notices", "organisations.services:notices_for"),
    ("fragments.render_parts", "trajectories.fragments:render_parts"),
    ("fragments.render_part", "trajectories.fragments:render_part"),
]


def _code_key(target: str) -> tuple[str, int, str]:
    import importlib
    import inspect

    module, qualname = target.split(":")
    obj = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    code = inspect.unwrap(obj).__code__
    return code.co_filename, code.co_firstlineno, code.co_name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--user", choices=sorted(USERS), default="one")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per page (200)")
    parser.add_argument("--profile", action="store_true", help="add a cProfile breakdown per page")
    parser.add_argument("--pages", nargs="*", default=["baseline", "portfolio", "review"])
    args = parser.parse_args()
    with OwnRedis() as redis:
        env = server_env(args.database)
        env["CACHE_URL"] = redis.url
        env["DJANGO_SETTINGS_MODULE"] = "fii.settings"
        os.environ.update(env)
        os.environ.pop("CACHE_KEY_PREFIX", None)
        run(args)


def run(args) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from organisations.models import User

    user = User.objects.get(email=USERS[args.user])
    ids, paths = page_paths(user, 40)  # bench/load.py's paths (its PATHS_PER_PAGE)
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = bench_session(user)

    def get(path):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response

    for page in args.pages:
        for path in paths[page] * 2:
            get(path)
    print(f"{len(ids)} trajectories visible to {USERS[args.user]}; load {os.getloadavg()}")
    results = {}
    for page in args.pages:
        wall, cpu = [], []
        for i in range(args.requests):
            path = paths[page][i % len(paths[page])]
            w, c = time.perf_counter(), time.process_time()
            get(path)
            wall.append(time.perf_counter() - w)
            cpu.append(time.process_time() - c)
        with CaptureQueriesContext(connection) as captured:
            get(paths[page][0])
        results[page] = (statistics.median(wall) * 1000, statistics.median(cpu) * 1000, captured.captured_queries)
    base_wall, base_cpu = results.get("baseline", (None, None, None))[:2]
    print(f"{'page':12} {'wall ms':>8} {'cpu ms':>8} {'base÷page wall':>15} {'cpu':>6} {'statements':>10}")
    for page, (w, c, queries) in results.items():
        ratio = f"{base_wall / w:15.2f} {base_cpu / c:6.2f}" if base_wall else ""
        print(f"{page:12} {w:8.2f} {c:8.2f} {ratio} {len(queries):10d}")
    for page, (_w, _c, queries) in results.items():
        print(f"\n{page}: statements of one warm request")
        for q in queries:
            print(f"  {float(q['time']) * 1000:6.2f} ms  {q['sql'][:150]}")
    if args.profile:
        for page in args.pages:
            profile(page, paths[page], get, args.requests)
    print(f"\nload {os.getloadavg()}")


def profile(page: str, paths: list[str], get, n: int) -> None:
    profiler = cProfile.Profile(time.process_time)  # CPU time: waits for PostgreSQL and Redis are not in it
    profiler.enable()
    for i in range(n):
        get(paths[i % len(paths)])
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(v[2] for v in stats.stats.values())  # tottime over every function: the whole profiled time
    print(f"\n{page}: cProfile over {n} requests, {total / n * 1000:.2f} ms CPU per request (profiled)")
    for label, target in GROUPS:
        key = _code_key(target)
        entry = stats.stats.get(key)
        cumulative = entry[3] if entry is not None else 0.0  # cProfile counts a recursive call's time once
        print(f"  {label:34} {cumulative / n * 1000:7.2f} ms")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
    print("\n".join(out.getvalue().splitlines()[:45]))
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(60)
    print("\n".join(out.getvalue().splitlines()[:80]))


if __name__ == "__main__":
    main()
