"""Two app servers, one database: nothing a second server needs lives on one server's disk or in its memory.

Starts two gunicorn processes on their own ports against the test database (PostgreSQL only; SQLite is one
file on one machine), logs in on one and uses that session on the other, edits on one and reads the edit
on the other. Every wait has a timeout, and both servers are stopped however the test ends.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.urls import reverse

from organisations.models import Role

from .factories import MembershipFactory, OrganisationFactory, UserFactory, make_trajectory

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "twee-servers-wachtwoord"
TIMEOUT = 10  # seconds for one HTTP request

pytestmark = [
    pytest.mark.multiserver,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (DATABASE_URL): two app servers cannot share a SQLite file the way they share a "
        "database server",
    ),
]


def _free_port(taken: list[int]) -> int:
    for port in range(8096, 8100):  # this project's range on shared machines, else any free port
        if port in taken:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgresql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Server:
    def __init__(self, port: int):
        self.port = port
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "DEBUG": "0",
            "SECRET_KEY": "two-servers-share-this-secret-key-" + "y" * 20,  # same on both, as in production
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback; TLS ends at the proxy in production
            "PLAIN_STATIC": "1",  # no collectstatic in a test run
            "CONN_MAX_AGE": "0",  # let the test database go as soon as a request ends
            "LOG_LEVEL": "WARNING",
        }
        command = [sys.executable, "-m", "gunicorn", "fii.wsgi:application", "--bind", f"127.0.0.1:{port}",
                   "--workers", "1", "--timeout", "30", "--log-level", "warning"]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)

    def wait_until_up(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn on port {self.port} exited with {self.process.returncode}")
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        pytest.fail(f"gunicorn on port {self.port} did not answer within {timeout:.0f} s")

    def request(self, method: str, path: str, *, cookies: dict | None = None, form: dict | None = None):
        """(status, headers, body) of one request, with the given cookies; no redirects are followed."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        headers = {"Host": "127.0.0.1"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return response.status, response.headers, response.read().decode()
        finally:
            conn.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def _set_cookies(headers) -> dict:
    jar = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    return {name: morsel.value for name, morsel in jar.items()}


def _csrf_token(body: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)


@pytest.fixture
def two_servers(transactional_db):
    servers = []
    try:
        for _ in range(2):
            servers.append(Server(_free_port([server.port for server in servers])))
        for server in servers:
            server.wait_until_up()
        yield servers
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def editor_and_trajectory(transactional_db):
    org = OrganisationFactory(name="Gemeente Tweeserver")
    user = UserFactory(email="editor@tweeserver.nl")
    # The servers know only the production hashers, not the tests' fast MD5 one.
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save()
    MembershipFactory(user=user, organisation=org, role=Role.BEWERKER)
    return user, make_trajectory(owner=org, by=user, title="Gedeeld Traject", start_phase="signaleren")


def test_session_and_edits_cross_between_two_app_servers(editor_and_trajectory, two_servers):
    user, trajectory = editor_and_trajectory
    a, b = two_servers
    login = reverse("login")

    # Log in on server A.
    status, headers, body = a.request("GET", login)
    assert status == 200
    cookies = _set_cookies(headers)
    form = {"csrfmiddlewaretoken": _csrf_token(body), "username": user.email, "password": PASSWORD}
    status, headers, _ = a.request("POST", login, cookies=cookies, form=form)
    assert status == 302, "the login on server A failed"
    cookies.update(_set_cookies(headers))
    assert "sessionid" in cookies

    # The session works on server B.
    status, _, body = b.request("GET", trajectory.get_absolute_url(), cookies=cookies)
    assert status == 200
    assert "Gedeeld Traject" in body

    # Edit on server B: subphase 1a's notes.
    edit = reverse("trajectories:subphase_edit", args=[trajectory.pk, "1a"])
    status, _, body = b.request("GET", edit, cookies=cookies)
    assert status == 200
    form = {
        "csrfmiddlewaretoken": _csrf_token(body),
        "status": "bezig",
        "notes": "Wethouder Jansen vraagt erom.",
        "version": re.search(r'name="version" value="(\d+)"', body).group(1),  # as loaded (issue 16)
    }
    status, _, _ = b.request("POST", edit, cookies=cookies, form=form)
    assert status == 302, "the edit on server B was not saved"

    # Read it on server A.
    status, _, body = a.request(
        "GET", reverse("trajectories:phase", args=[trajectory.pk, "signaleren"]), cookies=cookies
    )
    assert status == 200
    assert "Wethouder Jansen vraagt erom." in body

    # Logging out on A ends the session on B as well.
    status, _, body = a.request("GET", trajectory.get_absolute_url(), cookies=cookies)
    form = {"csrfmiddlewaretoken": _csrf_token(body)}
    status, _, _ = a.request("POST", reverse("logout"), cookies=cookies, form=form)
    assert status == 302
    status, headers, _ = b.request("GET", trajectory.get_absolute_url(), cookies=cookies)
    assert status == 302 and login in headers["Location"]
