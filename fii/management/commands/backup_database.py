"""Back up the PostgreSQL database to one file in pg_dump's custom format (restore with restore_database)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections


def pg_environment(alias: str = "default") -> tuple[dict[str, str], list[str]]:
    """Environment and connection arguments for pg_dump/pg_restore from Django's database settings."""
    settings = connections[alias].settings_dict
    if connections[alias].vendor != "postgresql":
        raise CommandError("Backups use pg_dump and need PostgreSQL (set DATABASE_URL).")
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            args += [flag, str(settings[key])]
    return env, args


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CommandError(
            f"{name} was not found; install the PostgreSQL client tools (apt-get install postgresql-client)."
        )
    return path


class Command(BaseCommand):
    help = "Write a backup of the database (pg_dump -Fc) to a file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Where to write the backup, e.g. fii-2026-11-25.dump")

    def handle(self, *args, file: Path, **options):
        env, connection_args = pg_environment()
        database = connections["default"].settings_dict["NAME"]
        command = [tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(file), *connection_args, database]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        self.stdout.write(self.style.SUCCESS(f"Backup of {database} written to {file} ({file.stat().st_size} bytes)."))
