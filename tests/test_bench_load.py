"""bench/load.py's cache: a Redis of its own on a free port, or a given one used under key prefixes and never
emptied (issue 21: it used to empty databases 14 and 15 of whatever Redis listened on 6379)."""

import importlib.util
import shutil
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def bench_module(name: str):
    """A script of bench/ as a module (bench/ is no package)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def load():
    return bench_module("load")


SIZES = {"large": "postgresql:///fii_large", "small": "postgresql:///fii_small"}


def test_a_given_redis_is_shared_under_a_prefix_per_size_and_run_and_nothing_is_emptied(load, monkeypatch):
    def no_client(*args, **kwargs):
        raise AssertionError("the benchmark must not talk to a given Redis itself")

    monkeypatch.setitem(__import__("sys").modules, "redis", None)  # importing redis would fail
    monkeypatch.setattr(socket, "create_connection", no_client)
    urls, prefixes = load.cache_settings("redis://127.0.0.1:6379/3", SIZES, run="42")
    assert urls == {SIZES["large"]: "redis://127.0.0.1:6379/3", SIZES["small"]: "redis://127.0.0.1:6379/3"}
    assert prefixes == {SIZES["large"]: "fii-bench-42-large", SIZES["small"]: "fii-bench-42-small"}
    assert load.cache_settings("redis://127.0.0.1:6379/3", SIZES, run="43")[1] != prefixes


@pytest.mark.parametrize("url", ["dummy://", "", "db://bench_cache"])
def test_other_caches_are_used_as_given_without_prefixes(load, url):
    assert load.cache_settings(url, SIZES, run="1") == ({SIZES["large"]: url, SIZES["small"]: url}, {})


def test_the_servers_get_the_cache_url_and_prefix_of_their_size(load, monkeypatch):
    monkeypatch.setenv("CACHE_KEY_PREFIX", "from-the-shell")
    urls, prefixes = load.cache_settings("redis://127.0.0.1:7000/0", SIZES, run="7")
    monkeypatch.setattr(load, "CACHE_URLS", urls)
    monkeypatch.setattr(load, "CACHE_PREFIXES", prefixes)
    env = load.server_env(SIZES["small"])
    assert env["CACHE_URL"] == "redis://127.0.0.1:7000/0"
    assert env["CACHE_KEY_PREFIX"] == "fii-bench-7-small"
    monkeypatch.setattr(load, "CACHE_PREFIXES", {})
    assert "CACHE_KEY_PREFIX" not in load.server_env(SIZES["small"])


def test_the_free_port_is_never_the_shared_redis_port(load, monkeypatch):
    ports = iter([6379, 6379, 51234])

    class FakeSocket:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def bind(self, address):
            self.port = next(ports)

        def getsockname(self):
            return ("127.0.0.1", self.port)

    monkeypatch.setattr(load.socket, "socket", FakeSocket)
    assert load.free_redis_port() == 51234


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
def test_own_redis_answers_on_its_port_and_is_gone_after_the_run(load):
    with load.OwnRedis() as redis:
        assert redis.port != 6379
        assert redis.url == f"redis://127.0.0.1:{redis.port}/0"
        assert redis.ping()
        process = redis.process
    assert process.poll() is not None  # stopped, not left running
    assert not redis.ping()


@pytest.mark.django_db
def test_the_page_benchmarks_share_one_choice_of_session_and_paths(load, settings):
    """bench/_pages.py chooses for load.py, stall.py and page_profile.py: the user of --user, a session that
    opens every page, spread trajectory and review pages, light changes elsewhere, and the stall test's work."""
    import io
    import sys

    from django.core.management import call_command

    from organisations.models import User

    sys.path.insert(0, str(ROOT / "bench"))
    import _pages

    settings.ROOT_URLCONF = "fii.bench_urls"  # the bench's servers run with FII_BENCH_BASELINE=1

    call_command(
        "seed_scale", "--size", "12", "--items", "2", "--stakeholders", "1", "--reviews", "2", stdout=io.StringIO()
    )
    info = _pages.prepare("one", 4, with_long_work=True)
    assert set(info["paths"]) == set(load.PAGES) and set(info["queries"]) == set(load.PAGES)
    assert all(info["paths"][page] for page in load.PAGES), info["paths"]
    assert info["queries"]["portfolio"] > info["queries"]["baseline"] >= 1  # each answered 200 (asserted inside)
    chosen = {int(path.split("/")[2]) for path in info["paths"]["trajectory"]}
    changed = {int(path.split("/")[2]) for path in info["paths"]["light change"]}
    assert len(chosen) == min(4, info["visible"] // 2) and not chosen & changed
    assert info["pdf"].endswith("&tot=2100-01-01") and info["exported"] >= 1
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore(session_key=info["session"]).load()
    assert session["_auth_user_backend"] == "organisations.backends.AccountBackend"  # as a login records it
    assert User.objects.get(pk=session["_auth_user_id"]).email == _pages.USERS["one"]


@pytest.fixture(scope="module")
def stall():
    return bench_module("stall")


def test_the_stall_test_runs_the_long_work_below_the_pages_and_on_the_cpus_asked_for(stall):
    assert stall.lowered("nice", 10) == ("nice", "-n", "10")
    assert stall.lowered("idle", 10) == ("chrt", "--idle", "0")
    assert stall.lowered("nice", 19, "1") == ("taskset", "-c", "1", "nice", "-n", "19")


def test_the_stall_test_splits_a_window_s_cpu_time_by_role(stall):
    ticks = stall.TICKS
    before = {10: ("app", 100), 11: ("jobs", 50), 12: ("db app", 7)}
    # 12 ended in the window (its time since the first look is lost), 13 started in it (counted from zero).
    after = {10: ("app", 100 + 2 * ticks), 11: ("jobs", 50), 13: ("db app", ticks // 2)}
    spent = stall.cpu_seconds(before, after)
    assert spent == {"app": 2.0, "jobs": 0.0, "db app": pytest.approx(0.5, abs=1 / ticks)}


def test_the_stall_test_knows_its_processes_by_the_name_they_give_postgresql(stall):
    import os
    import subprocess
    import sys

    child = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(30)"], env={**os.environ, "PGAPPNAME": "fii-stall-reports"}
    )
    try:
        snapshot = stall.cpu_ticks()
        assert snapshot[child.pid][0] == "reports"
        assert snapshot[os.getpid()][0] == "other"
    finally:
        child.kill()
        child.wait()


class _Instant(BaseHTTPRequestHandler):
    """Answers every request at once: what is measured is wrk's pacing, not a server."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (.ci/run installs it)")
def test_paced_light_changes_wait_between_clicks_and_keep_the_wait_out_of_the_latency(load, tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Instant)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    info = {"paths": {"light change": ["/a/", "/b/"]}, "session": "s", "csrf": "c"}
    try:
        at_once = load.run_wrk(server.server_port, "light change", info, 1, 2, tmp_path)
        paced = load.run_wrk(server.server_port, "light change", info, 1, 2, tmp_path, pace=200)
    finally:
        server.shutdown()
    # Two connections waiting 100–300 ms after each answer send about ten changes in a second; at once, hundreds.
    assert 4 <= paced["requests"] <= 25, paced
    assert at_once["requests"] > 10 * paced["requests"], (at_once, paced)
    assert paced["p50"] < 50, paced  # milliseconds: the 100–300 ms waits are not counted as latency
    assert paced["non200"] == paced["errors"] == 0


def test_the_stall_test_reads_cpu_lists_as_taskset_does(stall):
    assert stall.cpu_set("0") == {0}
    assert stall.cpu_set("0-2") == {0, 1, 2}
    assert stall.cpu_set("0,3-4") == {0, 3, 4}


def test_the_stall_test_puts_the_database_on_its_cpus_and_back(stall):
    import os
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        before = os.sched_getaffinity(child.pid)
        with stall.database_on("0", pids=lambda: [child.pid]):
            assert os.sched_getaffinity(child.pid) == {0}
        assert os.sched_getaffinity(child.pid) == before
        with stall.database_on("", pids=lambda: [child.pid]):
            assert os.sched_getaffinity(child.pid) == before  # no --database-cpus: left alone
    finally:
        child.kill()
        child.wait()
