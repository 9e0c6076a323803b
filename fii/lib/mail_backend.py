"""Where mail goes on a laptop without an SMTP server: an .eml file per message in EMAIL_FILE_PATH (var/mail/),
which any mail program opens, and a short copy (recipient, subject, plain text) on the worker's console."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django.utils.crypto import get_random_string


class FileAndConsoleBackend(BaseEmailBackend):
    def __init__(self, *args, file_path=None, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.directory = Path(file_path or settings.BASE_DIR / "var" / "mail")
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def send_messages(self, email_messages) -> int:
        if not email_messages:
            return 0
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        with self._lock:
            for message in email_messages:
                name = f"{timezone.now():%Y%m%d-%H%M%S}-{get_random_string(6).lower()}.eml"
                path = self.directory / name
                path.write_bytes(message.message().as_bytes())
                rule = "-" * 79
                self.stream.write(
                    f"{rule}\nMail to {', '.join(message.to)}: {message.subject}\n(saved as {path})\n\n"
                    f"{message.body}\n{rule}\n"
                )
                self.stream.flush()
                sent += 1
        return sent
