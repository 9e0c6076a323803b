"""Concurrent stoplight reviews on PostgreSQL: many users save at once; no request fails, nothing is lost.

Run from the project root (a PostgreSQL server must be reachable; the database is dropped and re-created):

    .venv/bin/python bench/concurrent_reviews.py [--database-url postgresql://postgres@127.0.0.1:5432/fii_concurrent]
        [--seconds 20] [--clients 12] [--trajectories 3] [--workers 3] [--threads 2]

It seeds a small database through the services, starts gunicorn with production settings, and lets one
thread per user (each logged in with its own session) hammer the open reviews: lights on the user's own
item, actions from the meeting table, finalising and re-opening the review. Every answer is counted.

Meanwhile a side thread kills the application's database connections (``pg_terminate_backend``) every
``--kill-every`` seconds, so requests fail mid-transaction and after their commit (issue 16, finding 6). A
client retries a failed request (5xx or a dropped connection) with the same one-time submission token, and now
and then sends a create again as if its answer had been lost. At the end it checks that every request got its
answer within its retries, that the database holds exactly what the clients were told was saved (a retry that
created a duplicate shows up as one more than told), and that the audit log and the rows agree: every review
event and action has its "created" audit row, and no such row is without its change. It exits non-zero on any
mismatch. See bench/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

from load import wait_healthy  # bench/load.py: the same gunicorn start-up check

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CSRF = "benchcsrftokenbenchcsrftoken1234"  # a valid 32-character CSRF secret, sent as cookie and header
DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/fii_concurrent"
COLOURS = ["groen", "oranje", "rood"]


def _dutch(msgid: str) -> str:
    import polib

    entry = polib.pofile(str(ROOT / "locale/nl/LC_MESSAGES/django.po")).find(msgid)
    return entry.msgstr if entry and entry.msgstr else msgid


MESSAGES = {
    "finalised": _dutch("Review finalised. It is now read-only."),
    "already": _dutch("This review was already finalised."),
    "reopened": _dutch("Review re-opened. The reason is kept in its history."),
    # A retry of a create that was done already (organisations/submissions.py).
    "replayed": _dutch("This form was already sent; this is what it made. Nothing was added twice."),
}
TOKEN_FIELD = "submission_token"
RETRIES = 6  # attempts per request; connection kills come a second apart, so a few always suffice


def server_env(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-not-for-production-" + "x" * 20,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",  # plain HTTP on loopback; a real deployment terminates TLS in the proxy
        LOG_LEVEL="WARNING",
        # The beheerders who re-open reviews log in with a password only; a real one passed the code step
        # once at login, which changes nothing per request.
        FII_REQUIRE_2FA="0",
        DJANGO_SETTINGS_MODULE="fii.settings",
    )
    env.pop("PLAIN_STATIC", None)
    return env


def recreate_database(database_url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"Refusing an unusual database name: {name!r}")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


# Seeding runs in a child process, because Django's settings are per process.
SEED = textwrap.dedent(
    """
    import json, django
    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.utils import timezone
    from organisations.models import Membership, Organisation, Role, User
    from trajectories import services

    clients, n_trajectories = %(clients)d, %(trajectories)d
    with transaction.atomic():
        org = Organisation.objects.create(name="Gemeente Lastdam", kind="gemeente")
        users = []
        for i in range(clients):
            user = User.objects.create_user(f"gebruiker{i}@lastdam.example", None, full_name=f"Gebruiker {i}")
            Membership.objects.create(user=user, organisation=org, role=Role.BEHEERDER)
            users.append(user)
        plan = []
        for t in range(n_trajectories):
            trajectory = services.trajectory_create(
                owner=org, by=users[0], title=f"Traject {t + 1}", has_commissioner=True,
                receiving_identified=True, start_phase="implementeren",
            )
            phase = trajectory.current_phase
            have = trajectory.checklist_items.filter(phase=phase, retired_at__isnull=True).count()
            for k in range(have, clients):
                services.checklist_item_add(owner=trajectory, phase=phase, text=f"Punt {k + 1}", by=users[0])
            review = services.review_start(
                trajectory=trajectory, by=users[0], held_on=timezone.localdate(), phases=[phase]
            )
            items = list(review.items.order_by("position", "pk").values_list("pk", flat=True))
            plan.append({"trajectory": trajectory.pk, "review": review.pk, "items": items[:clients]})
    sessions = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "organisations.backends.AccountBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.set_expiry(60 * 60)
        session.create()
        sessions.append(session.session_key)
    print(json.dumps({"plan": plan, "sessions": sessions}))
    """
)

# Counting runs in a child process as well, after the server has stopped.
COUNT = textwrap.dedent(
    """
    import json, django
    django.setup()
    from organisations.models import AuditEvent, FormSubmission
    from trajectories.models import Action, Review, ReviewEvent, ReviewItem
    plan = json.loads(%(plan)r)
    result = {}
    def created(label):
        rows = AuditEvent.objects.filter(object_type=label, action="create", result="success")
        return sorted(int(pk) for pk in rows.values_list("object_id", flat=True))
    result["audit"] = {
        "review_events": sorted(ReviewEvent.objects.values_list("pk", flat=True)),
        "review_events_audited": created("trajectories.ReviewEvent"),
        "actions": sorted(Action.objects.values_list("pk", flat=True)),
        "actions_audited": created("trajectories.Action"),
        "rolled_back": AuditEvent.objects.filter(result="rolled_back").count(),
        "submissions": sorted(FormSubmission.objects.values_list("token", flat=True)),
    }
    for entry in plan:
        review = Review.objects.get(pk=entry["review"])
        result[str(entry["review"])] = {
            "finalised": ReviewEvent.objects.filter(review=review, kind="afgerond").count(),
            "reopened": ReviewEvent.objects.filter(review=review, kind="heropend").count(),
            "is_final": review.finalised_at is not None,
            "actions": Action.objects.filter(review=review).count(),
            "items": ReviewItem.objects.filter(review=review).count(),
            "colours": {str(pk): c for pk, c in ReviewItem.objects.filter(review=review).values_list("pk", "colour")},
        }
    print(json.dumps(result))
    """
)


def run_child(code: str, database_url: str, timeout: float = 300) -> dict:
    result = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=server_env(database_url), capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise SystemExit(f"Child process failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client(threading.Thread):
    """One user: saves in a loop until the deadline and remembers what the server said it saved.

    A request that fails (5xx, dropped connection) is sent again, with the same submission token for creates;
    an answer that says "already sent" counts the first attempt, which the client did not hear about.
    """

    def __init__(self, index: int, session: str, plan: list[dict], port: int, deadline: float, seed: int, resend=0.0):
        super().__init__(daemon=True)
        self.index, self.session, self.plan, self.port, self.deadline = index, session, plan, port, deadline
        self.random = random.Random(seed)
        self.resend = resend  # chance that a create is sent again as if its answer was lost
        self.statuses: Counter = Counter()
        self.outcomes: Counter = Counter()  # (operation, outcome)
        self.retried: Counter = Counter()  # operation → attempts that failed and were sent again
        self.failures: list[str] = []
        self.last_colour: dict[int, str] = {}  # review item pk → last colour the server confirmed
        self.actions: Counter = Counter()  # review pk → actions the server confirmed
        self.finalised: Counter = Counter()
        self.reopened: Counter = Counter()
        self.tokens: dict[str, str] = {}  # token → "op review how" of every create the client counted
        self.connection = self._connect()

    def _connect(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def _reconnect(self):
        self.connection.close()
        self.connection = self._connect()

    def _request(self, method: str, path: str, body: str | None, headers: dict) -> tuple[int, dict, str]:
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        found = {k.lower(): v for k, v in response.getheaders()}
        found["set-cookie"] = response.msg.get_all("Set-Cookie") or []
        return response.status, found, text

    def send(self, op: str, method: str, path: str, fields: dict | None = None, *, htmx=False, cookie="") -> tuple:
        """One request, sent again (same body, so the same token) until it gets an answer below 500."""
        headers = {
            "Cookie": f"sessionid={self.session}; csrftoken={CSRF}{cookie}",
            "X-CSRFToken": CSRF,
            "Referer": f"http://127.0.0.1:{self.port}/",
        }
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if htmx:
            headers["HX-Request"] = "true"
        last = ""
        for attempt in range(RETRIES):
            if attempt:
                self.retried[op] += 1
                time.sleep(0.05 * attempt)
            try:
                status, found, text = self._request(method, path, body, headers)
            except (OSError, http.client.HTTPException) as error:
                last = f"connection: {error!r}"
                self._reconnect()
                continue
            self.statuses[status] += 1
            if status < 500:
                return status, found, text
            last = f"HTTP {status}: {text[:200]!r}"
        self.failures.append(f"{op}: no answer after {RETRIES} attempts, last {last}")
        return None

    def run(self) -> None:
        while time.monotonic() < self.deadline:
            entry = self.random.choice(self.plan)
            t, r = entry["trajectory"], entry["review"]
            item = entry["items"][self.index]
            roll = self.random.random()
            if roll < 0.75:
                self.light(t, r, item)
            elif roll < 0.88:
                self.action(t, r, item)
            elif roll < 0.93:
                self.finalise(t, r)
            else:
                self.reopen(t, r)
        self.connection.close()

    def _unexpected(self, op: str, status: int, text: str) -> None:
        self.failures.append(f"{op}: HTTP {status}: {text[:200]!r}")

    def _token(self) -> str:
        return uuid.UUID(int=self.random.getrandbits(128)).hex

    def _times(self) -> int:
        """How often a create is sent: once, or twice when its answer is "lost"."""
        return 2 if self.random.random() < self.resend else 1

    def light(self, t, r, item):
        colour = self.random.choice(COLOURS)
        answer = self.send("light", "POST", f"/trajecten/{t}/stoplicht/{r}/punt/{item}/", {"colour": colour}, htmx=True)
        if answer is None:
            return
        status, headers, text = answer
        if status == 200 and "hx-refresh" in headers:
            self.outcomes["light", "review finalised"] += 1
        elif status == 200:
            self.outcomes["light", "saved"] += 1
            self.last_colour[item] = colour
        else:
            self._unexpected("light", status, text)

    def action(self, t, r, item):
        fields = {
            "op": "action_add",
            f"a{item}-description": f"Actie van gebruiker {self.index}",
            TOKEN_FIELD: self._token(),
        }
        counted = False  # a token is counted once: by its answer, or by a retry told it was done already
        for _ in range(self._times()):
            answer = self.send("action", "POST", f"/trajecten/{t}/stoplicht/{r}/punt/{item}/", fields, htmx=True)
            if answer is None:
                return
            status, headers, text = answer
            if status == 200 and "x-fii-replayed" in headers:
                self.outcomes["action", "already sent (retry)"] += 1
                if not counted:  # the first attempt was saved, its answer lost
                    self.actions[r], counted = self.actions[r] + 1, True
                    self.tokens[fields[TOKEN_FIELD]] = f"action {r} replayed"
            elif status == 200 and "hx-refresh" in headers:
                self.outcomes["action", "review finalised"] += 1
            elif status == 200:
                self.outcomes["action", "saved"] += 1
                self.actions[r], counted = self.actions[r] + 1, True
                self.tokens[fields[TOKEN_FIELD]] = f"action {r} saved"
            else:
                self._unexpected("action", status, text)

    def _verdict(self, op: str, headers: dict) -> str | None:
        """The page a redirect leads to, read with the messages the redirect set."""
        cookie = ""
        for set_cookie in headers["set-cookie"]:
            if set_cookie.startswith("messages="):
                cookie += "; " + set_cookie.split(";", 1)[0]
        answer = self.send(f"{op} (page)", "GET", headers["location"], cookie=cookie)
        if answer is None:
            return None
        status, _headers, body = answer
        if status != 200:
            self._unexpected(f"{op} (page)", status, body)
            return None
        return body

    def finalise(self, t, r):
        # Finalising needs the confirmation (issue 18). The answer is a redirect either way; the verdict is a
        # message on the page it leads to.
        fields = {"confirmed": "1", TOKEN_FIELD: self._token()}
        counted = False
        for _ in range(self._times()):
            answer = self.send("finalise", "POST", f"/trajecten/{t}/stoplicht/{r}/afronden/", fields)
            if answer is None:
                return
            status, headers, text = answer
            if status != 302:
                return self._unexpected("finalise", status, text)
            body = self._verdict("finalise", headers)
            if body is None:
                return
            # A replay says so on the redirect itself: the message on the page may be an earlier request's (an
            # htmx replay leaves its message in the session for whichever page comes next).
            if "x-fii-replayed" in headers:
                self.outcomes["finalise", "already sent (retry)"] += 1
                if not counted:
                    self.finalised[r], counted = self.finalised[r] + 1, True
                    self.tokens[fields[TOKEN_FIELD]] = f"finalise {r} replayed"
            elif MESSAGES["finalised"] in body:
                self.outcomes["finalise", "saved"] += 1
                self.finalised[r], counted = self.finalised[r] + 1, True
                self.tokens[fields[TOKEN_FIELD]] = f"finalise {r} saved"
            elif MESSAGES["already"] in body:
                self.outcomes["finalise", "refused (already final)"] += 1
            else:
                self._unexpected("finalise (no message)", status, body[-300:])

    def reopen(self, t, r):
        fields = {"reason": f"Heropend door gebruiker {self.index}", TOKEN_FIELD: self._token()}
        counted = False
        for _ in range(self._times()):
            answer = self.send("reopen", "POST", f"/trajecten/{t}/stoplicht/{r}/heropenen/", fields)
            if answer is None:
                return
            status, headers, text = answer
            if status == 200:
                self.outcomes["reopen", "refused (not finalised)"] += 1
                continue
            if status != 302:
                return self._unexpected("reopen", status, text)
            body = self._verdict("reopen", headers)
            if body is None:
                return
            # A replay says so on the redirect itself: the message on the page may be an earlier request's (an
            # htmx replay leaves its message in the session for whichever page comes next).
            if "x-fii-replayed" in headers:
                self.outcomes["reopen", "already sent (retry)"] += 1
                if not counted:
                    self.reopened[r], counted = self.reopened[r] + 1, True
                    self.tokens[fields[TOKEN_FIELD]] = f"reopen {r} replayed"
            elif MESSAGES["reopened"] in body:
                self.outcomes["reopen", "saved"] += 1
                self.reopened[r], counted = self.reopened[r] + 1, True
                self.tokens[fields[TOKEN_FIELD]] = f"reopen {r} saved"
            else:
                self._unexpected("reopen (no message)", status, body[-300:])


class ConnectionKiller(threading.Thread):
    """Terminates the application's PostgreSQL connections every ``every`` seconds (roughly) until stopped."""

    def __init__(self, database_url: str, every: float, seed: int):
        super().__init__(daemon=True)
        self.database_url, self.every = database_url, every
        self.random = random.Random(seed)
        self.stop = threading.Event()
        self.rounds = 0
        self.killed = 0
        self.errors: list[str] = []

    def run(self) -> None:
        import psycopg

        name = urllib.parse.urlsplit(self.database_url).path.lstrip("/")
        try:
            with psycopg.connect(self.database_url, autocommit=True) as connection:
                while not self.stop.wait(self.every * self.random.uniform(0.5, 1.5)):
                    rows = connection.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = %s AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
                        [name],
                    ).fetchall()
                    self.rounds += 1
                    self.killed += sum(1 for (done,) in rows if done)
        except Exception as error:  # reported, and fails the run: the test did not happen as described
            self.errors.append(repr(error))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE, help="PostgreSQL database to (re)create")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long the clients save (default 20)")
    parser.add_argument("--clients", type=int, default=12, help="concurrent users, one thread each (default 12)")
    parser.add_argument("--trajectories", type=int, default=3, help="trajectories with an open review (default 3)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (default 3)")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker (default 2)")
    parser.add_argument("--seed", type=int, default=8, help="random seed of the clients")
    parser.add_argument(
        "--kill-every", type=float, default=1.0, help="seconds between connection kills (default 1; 0: none)"
    )
    parser.add_argument(
        "--resend", type=float, default=0.05, help="chance a create is sent twice, its answer 'lost' (default 0.05)"
    )
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("This benchmark needs PostgreSQL (row locks are what it tests).")

    print(f"--- database {args.database_url} (re-created)")
    recreate_database(args.database_url)
    env = server_env(args.database_url)
    subprocess.run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    seeded = run_child(SEED % {"clients": args.clients, "trajectories": args.trajectories}, args.database_url)
    plan, sessions = seeded["plan"], seeded["sessions"]
    print(f"--- seeded {len(plan)} trajectories with an open review, {len(sessions)} users")

    port = free_port()
    # The server's error log goes to a file: with connections killed, it holds one traceback per failed attempt.
    error_log = Path(tempfile.gettempdir()) / f"concurrent_reviews_{port}.log"
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "fii.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--threads", str(args.threads), "--worker-class", "gthread",
         "--timeout", "60", "--access-logfile", "/dev/null", "--error-logfile", "-", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True, stderr=error_log.open("w"),
    )  # fmt: skip
    try:
        wait_healthy(port, server)
        print(f"--- gunicorn on port {port}: {args.workers} workers × {args.threads} threads; {args.seconds:.0f} s")
        deadline = time.monotonic() + args.seconds
        clients = [
            Client(i, sessions[i], plan, port, deadline, seed=args.seed * 1000 + i, resend=args.resend)
            for i in range(len(sessions))
        ]
        killer = ConnectionKiller(args.database_url, args.kill_every, seed=args.seed)
        started = time.monotonic()
        for client in clients:
            client.start()
        if args.kill_every > 0:
            killer.start()
        for client in clients:
            client.join(timeout=args.seconds + 120)
        killer.stop.set()
        if killer.is_alive():
            killer.join(timeout=10)
        elapsed = time.monotonic() - started
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=10)

    counted = run_child(COUNT % {"plan": json.dumps(plan)}, args.database_url)
    statuses, outcomes, retried = Counter(), Counter(), Counter()
    failures = [f"connection killer: {error}" for error in killer.errors]
    for client in clients:
        statuses.update(client.statuses)
        outcomes.update(client.outcomes)
        retried.update(client.retried)
        failures.extend(f"client {client.index}: {f}" for f in client.failures)
        if client.is_alive():
            failures.append(f"client {client.index} did not finish")
    server_errors = error_log.read_text(errors="replace").count("Internal Server Error") if error_log.exists() else 0
    total = sum(statuses.values())
    rate = total / elapsed
    print(f"--- {total} requests in {elapsed:.1f} s ({rate:.0f}/s); statuses {dict(sorted(statuses.items()))}")
    for (op, outcome), n in sorted(outcomes.items()):
        print(f"    {op:9} {outcome:26} {n}")
    print(
        f"--- connections killed: {killer.killed} in {killer.rounds} rounds; attempts sent again: "
        f"{sum(retried.values())} {dict(sorted(retried.items()))}; {server_errors} server errors in {error_log}"
    )

    mismatches = []
    for entry in plan:
        r = entry["review"]
        db = counted[str(r)]
        told_actions = sum(c.actions[r] for c in clients)
        told_reopened = sum(c.reopened[r] for c in clients)
        told_finalised = sum(c.finalised[r] for c in clients)
        if db["finalised"] != told_finalised:
            mismatches.append(f"review {r}: {db['finalised']} finalisations stored, clients were told {told_finalised}")
        if db["actions"] != told_actions:
            mismatches.append(f"review {r}: {db['actions']} actions in the database, clients were told {told_actions}")
        if db["reopened"] != told_reopened:
            mismatches.append(f"review {r}: {db['reopened']} re-openings stored, clients were told {told_reopened}")
        # Finalise and re-open alternate: one more finalising than re-opening exactly when the review is final.
        if db["finalised"] - db["reopened"] != (1 if db["is_final"] else 0):
            mismatches.append(
                f"review {r}: {db['finalised']} finalisations and {db['reopened']} re-openings, final={db['is_final']}"
            )
        if db["items"] < len(entry["items"]):
            mismatches.append(f"review {r}: {db['items']} review items, expected {len(entry['items'])}")
        for client in clients:
            item = entry["items"][client.index]
            if item in client.last_colour and db["colours"][str(item)] != client.last_colour[item]:
                mismatches.append(
                    f"review item {item}: light {db['colours'][str(item)]!r} in the database, but its only writer "
                    f"(client {client.index}) was last told {client.last_colour[item]!r} was saved"
                )
        print(
            f"    review {r}: {db['actions']} actions, {db['finalised']} finalised, {db['reopened']} re-opened, "
            f"{sum(1 for c in clients if entry['items'][c.index] in c.last_colour)} lights checked"
        )
    audit = counted["audit"]
    for kind, label in (("review_events", "review event"), ("actions", "action")):
        rows, audited = set(audit[kind]), audit[f"{kind}_audited"]
        if len(audited) != len(set(audited)):
            mismatches.append(f"audit: a {label} has more than one 'created' row")
        audited_set = set(audited)
        if rows - audited_set:
            mismatches.append(f"audit: {label}s without their 'created' row: {sorted(rows - audited_set)[:10]}")
        if audited_set - rows:
            mismatches.append(f"audit: 'created' rows of {label}s that do not exist: {sorted(audited_set - rows)[:10]}")
    # One token, one thing made: every token a client counted was used once, and every used token was counted.
    told_tokens = {token: how for client in clients for token, how in client.tokens.items()}
    used = set(audit["submissions"])
    for token in sorted(set(told_tokens) - used):
        mismatches.append(f"submission {token[:8]}: counted ({told_tokens[token]}) but nothing was made with it")
    for token in sorted(used - set(told_tokens)):
        mismatches.append(f"submission {token[:8]}: made something the clients were never told about")
    print(
        f"--- audit: {len(audit['review_events'])} review events and {len(audit['actions'])} actions, each with "
        f"its row: {not any(m.startswith('audit') for m in mismatches)}; {audit['rolled_back']} rolled-back "
        f"attempts logged; {len(audit['submissions'])} submission tokens used"
    )
    if failures or mismatches:
        for line in failures[:30] + mismatches[:30]:
            print(f"FAIL {line}")
        print(f"FAILED: {len(failures)} failed requests, {len(mismatches)} mismatches")
        return 1
    print(
        "OK: every request got its answer (retries included), the database holds exactly what the clients were "
        "told was saved, no retry made a duplicate, and the audit log agrees with the rows"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
