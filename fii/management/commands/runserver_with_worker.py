"""`make run`: the development web server and, next to it, the background worker that sends the mail.

One Ctrl-C stops both: the terminal sends it to both processes, and when the web server ends this command
stops the worker as well (also when the worker did not get the signal, for instance under an IDE).
"""

import os
import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV


def _stop(signum, frame):
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Run the development server together with a background worker (manage.py db_worker)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        # Ctrl-C and a plain `kill` end the web server, and with it the worker (see the finally below), also
        # when the shell that started us ignored SIGINT (a background job does).
        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
        if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            # The auto-reloader's child process: the parent already started the worker.
            call_command("runserver", addrport)
            return
        manage = sys.argv[0] if sys.argv[0].endswith("manage.py") else "manage.py"
        worker = subprocess.Popen([sys.executable, manage, "db_worker", "--interval", "1"])  # noqa: S603
        self.stdout.write(f"Background worker started (pid {worker.pid}); mail is sent by it.")
        # The notification scheduler (what is due, and the digests), every five minutes; cron in production.
        scheduler = subprocess.Popen([sys.executable, manage, "send_notifications", "--every", "300"])  # noqa: S603
        self.stdout.write(f"Notification scheduler started (pid {scheduler.pid}).")
        try:
            call_command("runserver", addrport)
        finally:
            for process in (worker, scheduler):
                if process.poll() is None:
                    process.terminate()
            for process in (worker, scheduler):
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
