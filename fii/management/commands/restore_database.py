"""Restore a backup made by backup_database into an empty PostgreSQL database, and compare row counts."""

from __future__ import annotations

import subprocess
from pathlib import Path

import psycopg
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from .backup_database import pg_environment, tool


def row_counts(conninfo: str) -> dict[str, int]:
    """Rows per table in the public schema."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        return {table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}


def conninfo_for(database: str) -> str:
    settings = connections["default"].settings_dict
    parts = {
        "dbname": database,
        "host": settings.get("HOST"),
        "port": settings.get("PORT"),
        "user": settings.get("USER"),
    }
    if settings.get("PASSWORD"):
        parts["password"] = settings["PASSWORD"]
    return " ".join(f"{key}={value}" for key, value in parts.items() if value)


class Command(BaseCommand):
    help = (
        "Restore a pg_dump custom-format backup into TARGET (which must exist and be empty), then compare the "
        "row counts of every table with the database of DATABASE_URL (the restore drill)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--target", required=True, help="Name of an empty database to restore into.")
        parser.add_argument(
            "--compare", action="store_true", help="Compare row counts with the current database (a drill)."
        )

    def handle(self, *args, file: Path, target: str, compare: bool, **options):
        if not file.exists():
            raise CommandError(f"No backup at {file}.")
        env, connection_args = pg_environment()
        if row_counts(conninfo_for(target)):
            raise CommandError(f"Database {target} is not empty; restore only into an empty database.")
        command = [tool("pg_restore"), "--no-owner", "--exit-on-error", "--dbname", target, *connection_args, str(file)]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
        restored = row_counts(conninfo_for(target))
        self.stdout.write(f"Restored {len(restored)} tables, {sum(restored.values())} rows into {target}.")
        if compare:
            source = row_counts(conninfo_for(connections["default"].settings_dict["NAME"]))
            differences = {
                t: (source.get(t), restored.get(t))
                for t in source.keys() | restored.keys()
                if source.get(t) != restored.get(t)
            }
            if differences:
                raise CommandError(f"Row counts differ (source, restored): {differences}")
            self.stdout.write(self.style.SUCCESS(f"Drill passed: {len(source)} tables, row counts identical."))
