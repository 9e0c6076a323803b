"""Load benchmark: the busiest pages under gunicorn at two data sizes, each against a bare baseline view.

Run from the project root, against two databases seeded by ``manage.py seed_scale`` (never your own data:
the light-change POSTs change lights in open reviews of the seeded data):

    .venv/bin/python bench/load.py --large postgresql://postgres@127.0.0.1:5432/fii9_large \\
        --small postgresql://postgres@127.0.0.1:5432/fii9_small [--duration 10] [--connections 4]

Both sizes are served at once, each by its own gunicorn (production settings: DEBUG off, manifest static
files, FII_BENCH_BASELINE=1 for the baseline URL only), and measured in turns by wrk, so a noisy neighbour
hurts both alike. Every figure is a ratio of two things measured in this run. See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from _pages import USERS  # noqa: E402  (the bench users, by --user)

PYTHON = sys.executable
CSRF = "benchcsrftokenbenchcsrftoken1234"  # a valid 32-character CSRF secret, sent as cookie and header
PAGES = ["baseline", "portfolio", "trajectory", "review", "light change", "my actions", "my week"]
TARGETS = {"portfolio": 0.25, "trajectory": 0.30, "review": 0.30, "light change": 0.35}
PATHS_PER_PAGE = 40


# Per size (the two databases share trajectory ids, so never one cache): set in main() from --cache-url.
CACHE_URLS: dict[str, str] = {}
CACHE_PREFIXES: dict[str, str] = {}
OWN = "own"  # --cache-url own: a Redis of this run's own, on a free port, stopped at the end


def server_env(database_url: str) -> dict:
    env = dict(os.environ)
    env.pop("CACHE_URL", None)
    env.pop("CACHE_KEY_PREFIX", None)
    if CACHE_URLS.get(database_url):
        env["CACHE_URL"] = CACHE_URLS[database_url]
    if CACHE_PREFIXES.get(database_url):
        env["CACHE_KEY_PREFIX"] = CACHE_PREFIXES[database_url]
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-not-for-production-" + "x" * 20,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",  # plain HTTP on loopback; a real deployment terminates TLS in the proxy
        FII_BENCH_BASELINE="1",
        LOG_LEVEL="WARNING",
        # The bench user is beheerder everywhere; with the requirement on it would be sent to enrolment.
        # A real beheerder's session has passed the code step once, at login.
        FII_REQUIRE_2FA="0",
    )
    env.pop("PLAIN_STATIC", None)
    return env


# Preparation runs in a child process per database, because Django's settings are per process; what it chooses is
# bench/_pages.py's, shared with bench/stall.py and bench/page_profile.py.
PREPARE = textwrap.dedent(
    """
    import json, sys, django
    sys.path.insert(0, %(bench)r)
    django.setup()
    import _pages
    print(json.dumps(_pages.prepare(%(user)r, %(n)d, with_long_work=%(long_work)r)))
    """
)

WRK_SCRIPT = textwrap.dedent(
    """
    local paths = {%(paths)s}
    local post = %(post)s
    local colours = {"groen", "oranje", "rood"}
    local counter = 0
    bad = 0  -- global: done() reads it from each thread
    wrk.headers["Cookie"] = "sessionid=%(session)s; csrftoken=%(csrf)s"
    if post then
      wrk.headers["X-CSRFToken"] = "%(csrf)s"
      wrk.headers["HX-Request"] = "true"
      wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
    end
    local threads = {}
    function setup(thread) table.insert(threads, thread); thread:set("id", #threads) end
    function request()
      counter = counter + 1
      local path = paths[(counter %% #paths) + 1]
      if post then
        return wrk.format("POST", path, nil, "colour=" .. colours[(counter %% 3) + 1])
      end
      return wrk.format("GET", path)
    end
    function response(status, headers, body)
      if status ~= 200 then bad = bad + 1 end
    end
    %(delay)s
    function done(summary, latency, requests)
      local wrong = 0
      for _, t in ipairs(threads) do wrong = wrong + t:get("bad") end
      io.write(string.format(
        'WRK {"requests": %%d, "seconds": %%f, "p50": %%f, "p95": %%f, "p99": %%f, "non200": %%d, "errors": %%d}\\n',
        summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
        latency:percentile(99) / 1e3, wrong, summary.errors.connect + summary.errors.read + summary.errors.timeout))
    end
    """
)


# wrk calls delay() after each answer and waits that many milliseconds before the connection's next request.
PACED = (
    "function init(args) math.randomseed(id) end "  # each thread its own sequence of waits
    "function delay() return math.random(%(low)d, %(high)d) end"
)


def free_port(preferred: int) -> int:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]


def wait_healthy(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn on port {port} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn on port {port} did not answer /healthz within {timeout:.0f} s")


def worker_rss_kib(master_pid: int) -> dict[int, int]:
    """Resident memory of each gunicorn worker (the master's children) by process id, from /proc."""
    sizes = {}
    for child in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        for line in Path(f"/proc/{child}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes[int(child)] = int(line.split()[1])
    return sizes


class Server:
    def __init__(
        self,
        name: str,
        database_url: str,
        port: int,
        workers: int,
        *,
        worker_class="sync",
        threads=1,
        prefix: tuple[str, ...] = (),
        env: dict[str, str] | None = None,
        options: tuple[str, ...] = (),
    ):
        self.name, self.port = name, port
        self.env = {**server_env(database_url), **(env or {})}
        self.process = subprocess.Popen(
            [*prefix, PYTHON, "-m", "gunicorn", "fii.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--worker-class", worker_class, "--threads", str(threads), "--timeout", "60",
             "--access-logfile", "/dev/null", "--error-logfile", "-", "--log-level", "warning", *options],
            cwd=ROOT, env=self.env, start_new_session=True,
        )  # fmt: skip

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def prepare(database_url: str, user: str = "all", *, long_work: bool = False) -> dict:
    """bench/_pages.py's ``prepare`` against ``database_url``: the session, the paths, their statements."""
    script = PREPARE % {"bench": str(ROOT / "bench"), "user": user, "n": PATHS_PER_PAGE, "long_work": long_work}
    result = subprocess.run(
        [PYTHON, "-c", script],
        cwd=ROOT, env={**server_env(database_url), "DJANGO_SETTINGS_MODULE": "fii.settings"},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"Preparing {database_url} failed (is it seeded with seed_scale?):\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def free_redis_port() -> int:
    """A port nothing listens on, never Redis's usual 6379 (a shared Redis may run there)."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port != 6379:
            return port


class OwnRedis:
    """``redis-server`` as a child process on a free loopback port, without persistence (``--save ''``): the
    benchmark's cache, empty at the start and gone at the end, so no shared Redis is ever read or emptied."""

    def __init__(self, port: int | None = None, *, executable: str = "redis-server"):
        if shutil.which(executable) is None:
            raise SystemExit(f"{executable} is not installed (apt-get install -y redis-server), or pass --cache-url")
        self.port = port or free_redis_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "no", "--dir", tempfile.gettempdir(), "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        try:
            self._wait()
        except BaseException:
            self.stop()
            raise

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def _wait(self, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"redis-server on port {self.port} exited with {self.process.returncode}")
            if self.ping():
                return
            time.sleep(0.05)
        raise SystemExit(f"redis-server on port {self.port} did not answer within {timeout:.0f} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def __enter__(self) -> OwnRedis:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def cache_settings(base: str, sizes: dict[str, str], run: str) -> tuple[dict[str, str], dict[str, str]]:
    """(cache URL per database URL, key prefix per database URL) for the servers of both sizes.

    A Redis (this run's own, or one given with --cache-url) is shared by both sizes under a key prefix per size
    and per run, so the sizes never read each other's page parts, an earlier run's keys are never found, and
    nothing is emptied: a shared Redis is only written to (under keys nobody else uses, which expire).
    Other caches (dummy://, db://, per-process memory) are used as given."""
    if not base.startswith(("redis://", "rediss://")):
        return {url: base for url in sizes.values()}, {}
    return (
        {url: base for url in sizes.values()},
        {url: f"fii-bench-{run}-{name}" for name, url in sizes.items()},
    )


def warm_paths(port: int, info: dict, times: int) -> None:
    """Every GET path ``times`` times, so each worker has rendered every page part once before wrk starts."""
    headers = {"Cookie": f"sessionid={info['session']}; csrftoken={CSRF}", "Host": "127.0.0.1"}
    for page, paths in info["paths"].items():
        if page == "light change":
            continue
        for path in paths:
            for _ in range(times):
                request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
                with urllib.request.urlopen(request, timeout=60) as answer:
                    answer.read()


def run_wrk(
    port: int, page: str, info: dict, seconds: float, connections: int, workdir: Path, *, pace: float = 0
) -> dict:
    """wrk on ``page`` for ``seconds``: p50/p95/p99 in ms, requests, req/s, non-200 answers and errors.

    By default every connection sends its next request as soon as the answer is in (as many as the server can
    take). With ``pace`` (milliseconds) a connection first waits a random 0.5–1.5 × ``pace`` after each answer, as
    a person does between two clicks; wrk starts a request's clock when it sends it, so the wait is not in the
    latency.
    """
    paths = info["paths"][page]
    script = workdir / f"{page.replace(' ', '_')}-{port}.lua"
    script.write_text(
        WRK_SCRIPT
        % {
            "paths": ", ".join(json.dumps(p) for p in paths),
            "post": "true" if page == "light change" else "false",
            "session": info["session"],
            "csrf": CSRF,
            "delay": PACED % {"low": round(pace / 2), "high": round(pace * 1.5)} if pace else "",
        }
    )
    threads = min(2, connections)
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(seconds))}s",
               "--timeout", "10s", "-s", str(script), f"http://127.0.0.1:{port}"]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60).stdout
    line = next((x for x in output.splitlines() if x.startswith("WRK ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no summary:\n{output}")
    figures = json.loads(line[4:])
    figures["rps"] = figures["requests"] / figures["seconds"]
    if figures["non200"] or figures["errors"]:
        print(f"  warning: {page} on port {port}: {figures['non200']} non-200 answers, {figures['errors']} errors")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", required=True, help="DATABASE_URL of the large seeded database")
    parser.add_argument("--small", required=True, help="DATABASE_URL of the database with a tenth of the data")
    parser.add_argument("--duration", type=float, default=5, help="seconds of load per page, size and round (5)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all pages (3)")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of warm-up per page and size (3)")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections (4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per server (2)")
    parser.add_argument(
        "--user", choices=sorted(USERS), default="all",
        help="all: a beheerder of every organisation (default); one: a beheerder of one organisation",
    )  # fmt: skip
    parser.add_argument("--max-requests", type=int, default=0,
                        help="gunicorn's --max-requests (0: every worker serves the whole run, so memory growth shows "
                        "and no worker is replaced mid-round; at this benchmark's rates gunicorn.conf.py's 2,000 "
                        "replaces each worker every few seconds, a stall a real server sees every few hours)",
                        )  # fmt: skip
    parser.add_argument("--port", type=int, default=8090, help="first port to try (8090; the next for small)")
    parser.add_argument(
        "--cache-url",
        default=OWN,
        help="CACHE_URL of the servers: 'own' (default) starts a redis-server of this run's own on a free port and "
        "stops it at the end; a redis:// URL is used under key prefixes of this run and never emptied; dummy:// "
        "(or none) caches nothing; '' is per-process memory",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    began = time.perf_counter()
    with contextlib.ExitStack() as stack:
        cache_url = "dummy://" if args.cache_url == "none" else args.cache_url  # Django's DummyCache
        if cache_url == OWN:
            cache_url = stack.enter_context(OwnRedis()).url
        urls, prefixes = cache_settings(cache_url, {"large": args.large, "small": args.small}, run=f"{os.getpid()}")
        CACHE_URLS.update(urls)
        CACHE_PREFIXES.update(prefixes)
        results, info, rss = measure(args)
    report(args, info, results, rss, time.perf_counter() - began)


def measure(args) -> tuple[dict, dict, dict]:
    print("Collecting static files (manifest storage, as in production) ...")
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, check=True,
                   env=server_env(args.large), timeout=300)  # fmt: skip
    sizes = {"large": args.large, "small": args.small}
    info = {name: prepare(url, args.user) for name, url in sizes.items()}
    for name in sizes:
        print(f"{name}: {info[name]['trajectories']:,} trajectories ({info[name]['visible']:,} visible to "
              f"{USERS[args.user]}), {info[name]['reviews']:,} reviews")  # fmt: skip
        for label, plan in info[name]["explain"].items():
            print(f"  EXPLAIN ANALYZE, visibility {label} ({name}):")
            for line in plan:
                print(f"    {line}")
    # Page parts are cached under each trajectory's revision (trajectories/fragments.py); --cache-url dummy://
    # measures the pages with nothing cached, which is what the first view after every change costs.
    print(f"cache: {', '.join(sorted(set(CACHE_URLS.values()))) or 'per-process memory'}")

    servers: dict[str, Server] = {}
    rss: dict[str, dict[str, dict[int, int]]] = {name: {} for name in sizes}
    results: dict[str, dict[str, list[dict]]] = {name: {page: [] for page in PAGES} for name in sizes}
    try:
        port = args.port
        for name, url in sizes.items():
            port = free_port(port)
            options = ("--max-requests", str(args.max_requests))
            servers[name] = Server(name, url, port, args.workers, options=options)
            port += 1
        for server in servers.values():
            wait_healthy(server.port, server.process)
        print("Warm-up: every page's paths, twice per worker ...")
        for name, server in servers.items():
            warm_paths(server.port, info[name], 2 * args.workers)
        with tempfile.TemporaryDirectory(prefix="fii-bench-") as tmp:
            workdir = Path(tmp)
            print(f"Warm-up: {args.warmup:.0f} s per page and size ...")
            for page in PAGES:
                for name, server in servers.items():
                    run_wrk(server.port, page, info[name], args.warmup, args.connections, workdir)
            for name, server in servers.items():
                rss[name]["warm"] = worker_rss_kib(server.process.pid)
            # Rounds of every page, baseline first; the sizes take turns within each page, and a last
            # baseline closes the final round, so every round's pages sit between two baselines.
            print(f"Measuring: {args.rounds} rounds of {args.duration:.0f} s per page and size, "
                  f"{args.connections} connections, {args.workers} sync workers per server ...")  # fmt: skip
            for _round in range(args.rounds):
                for page in PAGES:
                    for name, server in servers.items():
                        results[name][page].append(
                            run_wrk(server.port, page, info[name], args.duration, args.connections, workdir)
                        )
            for name, server in servers.items():
                results[name]["baseline"].append(
                    run_wrk(server.port, "baseline", info[name], args.duration, args.connections, workdir)
                )
            for name, server in servers.items():
                rss[name]["end"] = worker_rss_kib(server.process.pid)
    finally:
        for server in servers.values():
            server.stop()
    return results, info, rss


def rounds(ratios: list[float]) -> str:
    return ", ".join(f"{x:.2f}" for x in ratios)


def median_of(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def report(args, info, results, rss, seconds: float) -> None:
    print()
    print(f"Medians over {args.rounds} rounds. ÷ baseline: in each round, the page's requests per second over the mean")
    print("of the baseline just before and just after that round on the same server; the median of those ratios.")
    print(f"{'size':6} {'page':15} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'÷ baseline':>10} {'target':>7} "
          f"{'queries':>7}")  # fmt: skip
    for name in results:
        bases = results[name]["baseline"]
        for label, run in (("baseline first", bases[0]), ("baseline last", bases[-1])):
            print(f"{name:6} {label:15} {run['rps']:8.1f} {run['p50']:8.1f} {run['p95']:8.1f} {'':>10} {'':>7} "
                  f"{info[name]['queries']['baseline']:7d}")  # fmt: skip
        for page in PAGES[1:]:
            runs = results[name][page]
            ratios = [run["rps"] / ((bases[r]["rps"] + bases[r + 1]["rps"]) / 2) for r, run in enumerate(runs)]
            ratio = statistics.median(ratios)
            target = TARGETS.get(page)
            verdict = "" if target is None else "ok" if ratio >= target else "MISSED"
            shown = "" if target is None else "≥" + format(target, ".2f")
            print(f"{name:6} {page:15} {median_of(runs, 'rps'):8.1f} {median_of(runs, 'p50'):8.1f} "
                  f"{median_of(runs, 'p95'):8.1f} {ratio:10.2f} {shown:>7} "
                  f"{info[name]['queries'][page]:7d}  {verdict}  (rounds: {rounds(ratios)})")  # fmt: skip
    print()
    print("Growth: in each round, the page's p95 on the large data set over its p95 on the small one, measured")
    print("one after the other; the median of those ratios.")
    print(f"{'page':13} {'p95 large ÷ p95 small':>22} {'target':>7} {'queries large/small':>20}")
    for page in PAGES:
        pairs = list(zip(results["large"][page], results["small"][page], strict=False))
        ratios = [large["p95"] / small["p95"] for large, small in pairs]
        ratio = statistics.median(ratios)
        q_large, q_small = info["large"]["queries"][page], info["small"]["queries"][page]
        same = "same" if q_large == q_small else "DIFFERENT"
        verdict = "" if page == "baseline" else ("ok" if ratio <= 1.2 else "MISSED")
        target = "" if page == "baseline" else "≤1.20"
        print(f"{page:13} {ratio:22.2f} {target:>7} {f'{q_large}/{q_small} {same}':>20}  {verdict}  "
              f"(rounds: {rounds(ratios)})")  # fmt: skip
    print()
    for name in rss:
        # Only a worker that served the whole run shows growth: one that gunicorn's max_requests replaced
        # (gunicorn.conf.py) starts afresh, so its figure says nothing about leaks.
        warm, end = rss[name]["warm"], rss[name]["end"]
        kept = [pid for pid in warm if pid in end]
        ratios = ", ".join(f"{end[pid] / warm[pid]:.2f}" for pid in kept) or "none"
        print(f"memory ({name}): worker RSS after warm-up {', '.join(f'{w / 1024:.0f}' for w in warm.values())} "
              f"MiB, after the run {', '.join(f'{e / 1024:.0f}' for e in end.values())} MiB; ratio of the workers "
              f"that served the whole run {ratios} (target ≤ 1.10); {len(warm) - len(kept)} of {len(warm)} "
              f"replaced by max_requests during the run")  # fmt: skip
    total = sum(r["requests"] for name in results for page in results[name] for r in results[name][page])
    print(f"\n{total:,} measured requests in {seconds:.0f} s in all; wrk, {args.connections} connections, "
          f"{args.rounds} rounds of {args.duration:.0f} s per page and size, "
          f"gunicorn {args.workers} sync workers per server.")  # fmt: skip


if __name__ == "__main__":
    main()
