"""Running the queued background tasks in a test, and a real SMTP server (aiosmtpd) in the test process."""

from __future__ import annotations

import datetime as dt
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.test import TestCase
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_queued_tasks(limit: int = 100) -> int:
    """Run every task that is due, one at a time, the way `manage.py db_worker --batch` does (its own
    Worker.run_task); callbacks that a task leaves for the commit (a retry) are run too. Returns how many ran."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit:
        with TestCase.captureOnCommitCallbacks(execute=True):
            result = DBTaskResult.objects.ready().order_by("run_after", "enqueued_at").first()
            if result is None:
                return ran
            result.claim(worker.worker_id)
            worker.run_task(result)
        ran += 1
    raise AssertionError("tasks keep queuing each other")


class Clock:
    """A fixed, movable clock for django.utils.timezone.now (what the outbox and the task queue read)."""

    def __init__(self, monkeypatch, start: dt.datetime):
        self.now = start
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """What an aiosmtpd server received, as parsed messages."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        message = message_from_bytes(envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, port: int):
        self.port = port
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free port, and Django's SMTP backend pointed at it (not started yet)."""
    server = SmtpServer(free_port())
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        }
    }
    yield server
    server.stop()


def body_of(message, subtype: str = "plain") -> str:
    return message.get_body(preferencelist=(subtype,)).get_content()
