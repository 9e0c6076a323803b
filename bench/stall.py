"""Stall test: does a light change in a meeting stay quick while long work runs next to it (issue 21)?

Run from the project root against a database seeded by ``manage.py seed_scale`` (never your own data: the
light changes change lights in open reviews of the seeded data):

    .venv/bin/python bench/stall.py --database postgresql://postgres@127.0.0.1:5432/fii_scale_2k \\
        [--configs sync:2 gthread:2:4] [--report-pool sync:1] [--job-workers 1] [--worker-policy nice idle] \\
        [--worker-nice 10] [--app-cpus 0] [--background-cpus 1] [--duration 15] [--rounds 3]

For each server configuration (gunicorn worker class, workers, threads) the script starts gunicorn and two
background workers (``manage.py db_worker``, as docs/deployment.md runs them), then measures, in turns:

- **quiet**: light changes (wrk, two connections: two meetings clicking at once) with nothing else running;
- **busy**: the same light changes while two organisation exports run as background jobs (started with the
  export button's POST, restarted as soon as the page, polled as its htmx does, shows it finished) and two users
  fetch the progress-report PDF of a
  trajectory's whole period over and over (the report that stays an immediate download).

It prints per configuration and round the p50/p95 of the light change, quiet and busy, and busy p95 ÷ quiet p95
(target ≤ 1.5), with what the long work got done in the busy window. All figures are measured side by side in one
run, so compare ratios, not seconds across runs. See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402  (the gunicorn, wrk, Redis and session helpers of the load benchmark)

TARGET = 1.5
POLL_SECONDS = 2  # organisations/job_views.py: how often a waiting user's job page asks for its status
# Whose CPU time the windows are split into: each process started here tells PostgreSQL who it is (libpq's
# PGAPPNAME), so a database backend is counted with the process it serves.
ROLES = ("app", "reports", "jobs")
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_ticks() -> dict[int, tuple[str, int]]:
    """Every process's role and CPU time so far (user + system, in clock ticks), from /proc and pg_stat_activity.

    Roles: ``app``, ``reports``, ``jobs`` (our Python processes, by the PGAPPNAME in their environment),
    ``db app`` / ``db reports`` / ``db jobs`` (the PostgreSQL backends serving them), ``db other``, ``wrk`` and
    ``other`` (this script, Redis, the rest of the machine).
    """
    served = {}
    answer = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-Atc",
         "SELECT pid, application_name FROM pg_stat_activity"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    for line in answer.stdout.splitlines():
        pid, _, name = line.partition("|")
        served[int(pid)] = name
    snapshot = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            ticks = int(fields[11]) + int(fields[12])
            command = stat[stat.index("(") + 1 : stat.rindex(")")]
            if pid in served:
                role = f"db {_role(served[pid])}"
            elif command == "wrk":
                role = "wrk"
            else:
                environ = (entry / "environ").read_bytes().split(b"\0")
                role = _role(next((e[10:].decode() for e in environ if e.startswith(b"PGAPPNAME=")), ""))
        except (FileNotFoundError, ProcessLookupError, PermissionError, ValueError, IndexError):
            continue  # ended while we looked
        snapshot[pid] = (role, ticks)
    return snapshot


def _role(application_name: str) -> str:
    """The role a PGAPPNAME names (``fii-stall-app`` → ``app``), or ``other``."""
    name = application_name.removeprefix("fii-stall-")
    return name if name in ROLES else "other"


def cpu_seconds(before: dict[int, tuple[str, int]], after: dict[int, tuple[str, int]]) -> dict[str, float]:
    """CPU seconds per role between two snapshots (a process that started in between counts from zero)."""
    spent: dict[str, float] = {}
    for pid, (role, ticks) in after.items():
        previous = before.get(pid, (role, 0))[1]
        spent[role] = spent.get(role, 0.0) + (ticks - previous) / TICKS
    return spent


def timed_window(run) -> tuple[dict, dict[str, float]]:
    """``run()``'s figures and the CPU seconds each role spent while it ran."""
    before = cpu_ticks()
    figures = run()
    return figures, cpu_seconds(before, cpu_ticks())


def prepare(database_url: str, user: str) -> dict:
    """The load benchmark's session and paths, with a long report to fetch and the organisation to export."""
    return load.prepare(database_url, user, long_work=True)


class Opener:
    """A urllib opener with the bench session and CSRF cookie, like the wrk script sends."""

    def __init__(self, port: int, info: dict):
        self.base = f"http://127.0.0.1:{port}"
        self.headers = {
            "Cookie": f"sessionid={info['session']}; csrftoken={load.CSRF}",
            "X-CSRFToken": load.CSRF,
            "Host": "127.0.0.1",
        }
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def get(self, path: str, *, htmx: bool = False) -> tuple[int, bytes, dict]:
        headers = {**self.headers, "HX-Request": "true"} if htmx else self.headers
        return self._open(urllib.request.Request(self.base + path, headers=headers))

    def post(self, path: str) -> tuple[int, bytes, dict]:
        request = urllib.request.Request(self.base + path, data=b"", headers=self.headers, method="POST")
        return self._open(request)

    def _open(self, request) -> tuple[int, bytes, dict]:
        try:
            with self.opener.open(request, timeout=120) as answer:
                return answer.status, answer.read(), dict(answer.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read(), dict(error.headers)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class LongWork:
    """Two export loops (background jobs) and two PDF loops (immediate downloads) until stopped."""

    def __init__(self, port: int, info: dict, *, pdf_port: int):
        self.port, self.pdf_port, self.info = port, pdf_port, info
        self.stop = threading.Event()
        self.pdfs: list[float] = []
        self.exports: list[float] = []
        self.failures: list[str] = []
        self.threads = [threading.Thread(target=self._pdf_loop, daemon=True) for _ in range(2)]
        self.threads += [threading.Thread(target=self._export_loop, daemon=True) for _ in range(2)]

    def __enter__(self) -> LongWork:
        for thread in self.threads:
            thread.start()
        time.sleep(1.0)  # let the first PDFs and exports get going before the light changes are measured
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=180)

    def _pdf_loop(self) -> None:
        opener = Opener(self.pdf_port, self.info)
        while not self.stop.is_set():
            began = time.perf_counter()
            status, body, _headers = opener.get(self.info["pdf"])
            if status != 200 or not body.startswith(b"%PDF"):
                self.failures.append(f"PDF answered {status}")
                return
            self.pdfs.append(time.perf_counter() - began)

    def _export_loop(self) -> None:
        opener = Opener(self.port, self.info)
        while not self.stop.is_set():
            began = time.perf_counter()
            status, _body, headers = opener.post(self.info["export"])
            match = re.search(r"/(\d+)/?$", headers.get("Location", ""))
            if status != 302 or match is None:
                self.failures.append(f"export start answered {status} {headers.get('Location')}")
                return
            job = f"{headers['Location']}"
            while True:  # as the job page's htmx does: its status part, every POLL_SECONDS, until it is finished
                time.sleep(POLL_SECONDS)
                status, body, _headers = opener.get(job, htmx=True)
                if status != 200:
                    self.failures.append(f"job page answered {status}")
                    return
                if b'hx-trigger="every' not in body:
                    if b"/bestand/" not in body:  # a finished job without its download link has failed
                        self.failures.append("export job failed")
                        return
                    break
            self.exports.append(time.perf_counter() - began)


def lowered(policy: str, nice: int, cpus: str = "") -> tuple[str, ...]:
    """The command prefix that runs the long work below the pages: the idle scheduling class (Linux's SCHED_IDLE,
    ``chrt --idle 0``; systemd's ``CPUSchedulingPolicy=idle``) or a niceness (``nice -n N``; systemd's ``Nice=``),
    and with ``cpus`` only on those CPUs (``taskset -c``; systemd's ``CPUAffinity=``)."""
    pinned = ("taskset", "-c", cpus) if cpus else ()
    if policy == "idle":
        return (*pinned, "chrt", "--idle", "0")
    return (*pinned, "nice", "-n", str(nice))


def cpu_set(spec: str) -> set[int]:
    """The CPUs ``taskset -c`` would take from ``spec``: ``"0"``, ``"0-2"``, ``"0,3"``."""
    cpus: set[int] = set()
    for part in spec.split(","):
        first, _, last = part.partition("-")
        cpus.update(range(int(first), int(last or first) + 1))
    return cpus


def postgres_pids() -> list[int]:
    """Every PostgreSQL process on this machine, the postmaster included (new backends inherit its CPUs)."""
    answer = subprocess.run(["pgrep", "-u", "postgres"], capture_output=True, text=True, check=False)
    return [int(pid) for pid in answer.stdout.split()]


@contextlib.contextmanager
def database_on(spec: str, pids=postgres_pids):
    """PostgreSQL on the CPUs of ``spec`` while the block runs (systemd's ``CPUAffinity=`` for its unit), then
    every PostgreSQL process back on the CPUs the first one had. Nothing happens for an empty ``spec``."""
    if not spec:
        yield
        return
    found = pids()
    before = os.sched_getaffinity(found[0])
    for pid in found:
        with contextlib.suppress(ProcessLookupError):
            os.sched_setaffinity(pid, cpu_set(spec))
    try:
        yield
    finally:
        for pid in pids():  # the backends started meanwhile too
            with contextlib.suppress(ProcessLookupError):
                os.sched_setaffinity(pid, before)


def start_workers(database_url: str, count: int, prefix: tuple[str, ...]) -> list[subprocess.Popen]:
    env = {**load.server_env(database_url), "DJANGO_SETTINGS_MODULE": "fii.settings", "PGAPPNAME": "fii-stall-jobs"}
    command = [load.PYTHON, "manage.py", "db_worker", "--no-reload", "--interval", "1"]
    return [
        subprocess.Popen(
            [*prefix, *command, "--worker-id", f"stall-{i}"],
            cwd=load.ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
        )
        for i in range(count)
    ]


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


def server(database: str, config: str, port: int, role: str, *, prefix: tuple[str, ...] = ()) -> load.Server:
    worker_class, workers, *rest = config.split(":")
    threads = int(rest[0]) if rest else 1
    return load.Server(
        "stall", database, load.free_port(port), int(workers), worker_class=worker_class, threads=threads,
        prefix=prefix, env={"PGAPPNAME": f"fii-stall-{role}"},
        options=("--max-requests", "0"),  # as load.py: no worker replaced mid-window (a stall of its own)
    )  # fmt: skip


def measure(args, config: str, policy: str, workdir: Path) -> list[dict]:
    app = server(
        args.database, config, args.port, "app", prefix=("taskset", "-c", args.app_cpus) if args.app_cpus else ()
    )
    port = app.port
    # With --report-pool the PDFs go to a gunicorn of their own at the workers' priority (a proxy rule for
    # *.pdf in front, docs/deployment.md); without it, to the same servers as the light changes.
    below = lowered(policy, args.worker_nice, args.background_cpus)
    reports = server(args.database, args.report_pool, port + 1, "reports", prefix=below) if args.report_pool else None
    background = start_workers(args.database, args.job_workers, below)
    rounds = []
    try:
        load.wait_healthy(port, app.process)
        if reports:
            load.wait_healthy(reports.port, reports.process)
        load.warm_paths(port, INFO, 1)
        load.run_wrk(port, "light change", INFO, 3, args.connections, workdir)  # warm-up
        for _ in range(args.rounds):
            light_changes = lambda: load.run_wrk(  # noqa: E731
                port, "light change", INFO, args.duration, args.connections, workdir, pace=args.pace
            )
            quiet, quiet_cpu = timed_window(light_changes)
            with LongWork(port, INFO, pdf_port=reports.port if reports else port) as long_work:
                busy, busy_cpu = timed_window(light_changes)
            if long_work.failures:
                raise SystemExit(f"{config}: the long work failed: {long_work.failures[:3]}")
            rounds.append({
                "quiet": quiet, "busy": busy, "pdfs": long_work.pdfs, "exports": long_work.exports,
                "quiet_cpu": quiet_cpu, "busy_cpu": busy_cpu,
            })  # fmt: skip
            time.sleep(2)  # let the last export finish before the next quiet window
    finally:
        stop(background)
        app.stop()
        if reports:
            reports.stop()
    return rounds


def report(args, results: dict[str, list[dict]], began: float) -> None:
    load_average = " ".join(f"{x:.2f}" for x in load.os.getloadavg())
    print()
    pace = f"each waiting {args.pace / 2:.0f}–{args.pace * 1.5:.0f} ms between clicks" if args.pace else "at full speed"
    print(f"Stall test: light changes ({args.connections} connections {pace}, {args.duration:.0f} s per window), "
          f"quiet and "
          f"while 2 organisation exports ({INFO['exported']} trajectories, background jobs on {args.job_workers} "
          f"worker(s)) and 2 progress-report PDFs ({INFO['pdf_reviews']} reviews; "
          f"{('a report pool of ' + args.report_pool) if args.report_pool else 'same servers'}) "
          f"run. Load after the run: "
          f"{load_average}; {time.perf_counter() - began:.0f} s in all.")  # fmt: skip
    print(f"{'server, background':40} {'round':>5} {'quiet p50':>9} {'quiet p95':>9} {'busy p50':>9} {'busy p95':>9} "
          f"{'p95 ratio':>9} {'quiet/s':>7} {'busy/s':>7} {'PDFs':>5} {'PDF s':>6} {'exports':>7}")  # fmt: skip
    for config, rounds in results.items():
        ratios = []
        for number, r in enumerate(rounds, 1):
            ratio = r["busy"]["p95"] / r["quiet"]["p95"]
            ratios.append(ratio)
            pdf_median = statistics.median(r["pdfs"]) if r["pdfs"] else float("nan")
            print(f"{config:40} {number:5d} {r['quiet']['p50']:9.1f} {r['quiet']['p95']:9.1f} {r['busy']['p50']:9.1f} "
                  f"{r['busy']['p95']:9.1f} {ratio:9.2f} {r['quiet']['rps']:7.0f} {r['busy']['rps']:7.0f} "
                  f"{len(r['pdfs']):5d} {pdf_median:6.2f} "
                  f"{len(r['exports']):7d}")  # fmt: skip
        verdict = "meets" if statistics.median(ratios) <= TARGET else "MISSES"
        print(f"{config:40} median p95 ratio {statistics.median(ratios):.2f}: {verdict} the target of ≤ {TARGET}")
    print()
    print("CPU seconds per window, summed over the rounds (quiet / busy); 'db x' is PostgreSQL serving x:")
    columns = ("app", "db app", "reports", "db reports", "jobs", "db jobs", "db other", "wrk", "other")
    print(f"{'server, background':40} " + " ".join(f"{c:>13}" for c in columns))
    for config, rounds in results.items():
        cells = []
        for column in columns:
            quiet = sum(r["quiet_cpu"].get(column, 0.0) for r in rounds)
            busy = sum(r["busy_cpu"].get(column, 0.0) for r in rounds)
            cells.append(f"{quiet:6.1f}/{busy:6.1f}")
        print(f"{config:40} " + " ".join(f"{c:>13}" for c in cells))


INFO: dict = {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="DATABASE_URL of a database seeded by seed_scale")
    parser.add_argument("--configs", nargs="+", default=["sync:2", "gthread:2:4"],
                        help="gunicorn configurations as class:workers[:threads] (sync:2 gthread:2:4)")  # fmt: skip
    parser.add_argument("--job-workers", type=int, default=2, help="background workers (db_worker) to start (2)")
    parser.add_argument("--worker-policy", nargs="+", choices=["idle", "nice"], default=["nice"],
                        help="how the background workers and the report pool run below the pages: Linux's idle "
                        "scheduling class, or --worker-nice; both to compare them (nice)")  # fmt: skip
    parser.add_argument("--worker-nice", type=int, default=10, help="niceness with --worker-policy nice (10)")
    parser.add_argument("--background-cpus", default="", help="CPUs of the background workers and the report pool, "
                        "as taskset -c takes them (all)")  # fmt: skip
    parser.add_argument("--app-cpus", default="", help="CPUs of the app's gunicorn, and of wrk and Redis (the client "
                        "and the cache of a meeting's path), as taskset -c takes them (all)")  # fmt: skip
    parser.add_argument("--database-cpus", default="", help="CPUs of PostgreSQL during the run (all its "
                        "processes; put back afterwards), as taskset -c takes them (unchanged)")  # fmt: skip
    parser.add_argument("--report-pool", default="", help="class:workers[:threads] of a gunicorn for the PDFs, at "
                        "the workers' priority")  # fmt: skip
    parser.add_argument("--duration", type=float, default=15, help="seconds per window (15)")
    parser.add_argument("--rounds", type=int, default=3, help="quiet/busy pairs per configuration (3)")
    parser.add_argument("--connections", type=int, default=2, help="wrk connections for the light changes (2)")
    parser.add_argument("--pace", type=float, default=0, help="milliseconds each connection waits (0.5–1.5 ×, at "
                        "random) after an answer before its next light change, as people click; 0: at once, as many "
                        "as the server takes (0)")  # fmt: skip
    parser.add_argument("--user", choices=sorted(load.USERS), default="one", help="whose session (one)")
    parser.add_argument("--port", type=int, default=8095, help="first port to try (8095)")
    args = parser.parse_args()
    began = time.perf_counter()
    print("Collecting static files (manifest storage, as in production) ...")
    subprocess.run([load.PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=load.ROOT, check=True,
                   env={**load.server_env(args.database), "DJANGO_SETTINGS_MODULE": "fii.settings"})  # fmt: skip
    INFO.update(prepare(args.database, args.user))
    results = {}
    with contextlib.ExitStack() as stack:
        if args.app_cpus:  # wrk and Redis, started from this process, run beside the app
            os.sched_setaffinity(0, cpu_set(args.app_cpus))
            args.background_cpus = args.background_cpus or f"0-{os.cpu_count() - 1}"  # not inherited from here
        stack.enter_context(database_on(args.database_cpus))
        redis = stack.enter_context(load.OwnRedis())
        load.CACHE_URLS[args.database] = redis.url
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="fii-stall-")))
        for config in args.configs:
            for policy in args.worker_policy:
                label = f"{config}+{args.report_pool}" if args.report_pool else config
                label += f", {policy}" if policy == "idle" else f", nice {args.worker_nice}"
                print(f"Measuring {label} ...")
                results[label] = measure(args, config, policy, workdir)
    report(args, results, began)


if __name__ == "__main__":
    main()
