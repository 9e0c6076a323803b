"""Benchmark the JSON export of one organisation's trajectories: queries and seconds, before and after issue 21.

Run from the project root; it seeds a throw-away SQLite database of its own (``seed_scale``), never the
developer's, with the largest size, and moves every seeded trajectory to one organisation; a smaller size
exports the first trajectories of it:

    .venv/bin/python bench/export.py [--sizes 50 500] [--before 646098f] [--repeat 1] [--lists-only] [--import]

``--before`` names a commit whose ``trajectories/services/transfer.py`` is loaded next to the current one (the
exporter before issue 21: one query per object it follows); ``--before ''`` measures only the current code.
Both write the same bytes (checked). ``--import`` imports each file back as a copy (rolled back afterwards) and
counts its statements. Prints one line per size and exporter, and the machine load.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(db_path: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "fii.settings"
    os.environ.setdefault("MEDIA_ROOT", str(Path(db_path).parent / "media"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def load_before(revision: str):
    source = subprocess.run(
        ["git", "show", f"{revision}:trajectories/services/transfer.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp(prefix="fii-bench-export-")) / "transfer_before.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("trajectories.services.transfer_before", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def measure(label: str, chunks_of, trajectories, repeat: int) -> tuple[str, str]:
    from django.db import connection

    best, queries, text, size = float("inf"), 0, "", 0
    for _ in range(repeat):
        counted = [0]

        def count(execute, sql, params, many, context, counted=counted):
            counted[0] += 1  # every statement (connection.queries keeps only the last 9,000)
            return execute(sql, params, many, context)

        began = time.perf_counter()
        with tempfile.TemporaryFile("w+", encoding="utf-8") as handle, connection.execute_wrapper(count):
            for chunk in chunks_of(trajectories):
                handle.write(chunk)
            seconds = time.perf_counter() - began
            size = handle.tell()
            handle.seek(0)
            text = handle.read()
        queries = counted[0]
        best = min(best, seconds)
    line = f"  {label:<22} {queries:>7,} queries  {best:7.2f} s  {size / 1e6:7.1f} MB"
    return line, text


def import_back(text: str) -> str:
    """Import the exported file again as a copy (the import job's service), counting every statement; rolled
    back at the end, so the next size starts from the same database."""
    import json

    from django.db import connection, transaction

    from trajectories.services import transfer

    counted = [0]

    def count(execute, sql, params, many, context):
        counted[0] += 1
        return execute(sql, params, many, context)

    data = json.loads(text)
    began = time.perf_counter()
    with transaction.atomic(), connection.execute_wrapper(count):
        result = transfer.trajectories_import(data=data, as_copy=True)
        seconds = time.perf_counter() - began
        transaction.set_rollback(True)
    imported = len(result["trajectories"])
    per = counted[0] // imported
    return f"  {'import as a copy':<22} {counted[0]:>7,} queries  {seconds:7.2f} s  ({per:,} a trajectory)"


def lists(owner: int) -> None:
    """The list exports that stay direct downloads: the portfolio and all actions, as CSV and XLSX."""
    from django.db import connection, reset_queries

    from trajectories import exports, selectors
    from trajectories.models import Action, Trajectory
    from trajectories.selectors_outcomes import with_outcome_counts

    def timed(label, make):
        reset_queries()
        began = time.perf_counter()
        headers, rows = make()
        table = time.perf_counter() - began
        for fmt in ("csv", "xlsx"):
            began = time.perf_counter()
            size = len(exports.as_csv(headers, rows) if fmt == "csv" else exports.as_xlsx(headers, rows, title="x"))
            seconds = table + time.perf_counter() - began
            print(f"  {label} {fmt:<4} {len(rows):>7,} rows {len(connection.queries):>4} queries {seconds:6.2f} s"
                  f" {size / 1e6:5.1f} MB")  # fmt: skip

    from django.conf import settings

    settings.DEBUG = True
    trajectories = Trajectory.objects.filter(owner_id=owner).select_related("owner", "receiving_organisation")
    print("List exports of all these trajectories (direct downloads):")
    summaries = with_outcome_counts(selectors.with_review_summary(trajectories))
    timed("portfolio", lambda: exports.portfolio_table(summaries))
    actions = Action.objects.filter(trajectory__owner_id=owner).select_related(
        "trajectory", "assignee", "owner_person__person", "item"
    )
    timed("all actions", lambda: exports.actions_table(actions))
    settings.DEBUG = False
    actions_job(actions)
    settings.DEBUG = False


def actions_job(actions) -> None:
    """All actions as the background job writes them (issue 21): read in chunks with ``iterator()`` and written
    as they come, next to the whole list built in memory as the request did; seconds, then (a second pass,
    under tracemalloc, which slows it) the peak of Python's memory."""
    import tracemalloc

    from fii.lib.spreadsheets import csv_chunks, xlsx_chunks
    from trajectories import exports
    from trajectories.jobs import READ_CHUNK

    def in_request(fmt):
        headers, rows = exports.actions_table(actions)
        yield exports.as_csv(headers, rows) if fmt == "csv" else exports.as_xlsx(headers, rows, title="x")

    def as_job(fmt):
        rows = exports.action_rows(actions.iterator(chunk_size=READ_CHUNK))
        headers, widths = exports.actions_headers(), exports.ACTIONS_WIDTHS
        return csv_chunks(headers, rows) if fmt == "csv" else xlsx_chunks(headers, rows, title="x", widths=widths)

    count = actions.count()
    print(f"All {count:,} actions, in the request (before) and as the job writes them (after); load "
          f"{os.getloadavg()[0]:.2f}:")  # fmt: skip
    for fmt in ("csv", "xlsx"):
        for label, make in (("in request", in_request), ("job", as_job)):
            began = time.perf_counter()
            with tempfile.TemporaryFile() as handle:
                for chunk in make(fmt):
                    handle.write(chunk)
                size = handle.tell()
            seconds = time.perf_counter() - began
            tracemalloc.start()
            with tempfile.TemporaryFile() as handle:
                for chunk in make(fmt):
                    handle.write(chunk)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            print(f"  actions {fmt:<4} {label:<10} {seconds:6.2f} s  {size / 1e6:5.1f} MB file  "
                  f"peak {peak / 1e6:6.1f} MB (load {os.getloadavg()[0]:.2f})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 500])
    parser.add_argument("--before", default="646098f", help="commit of the exporter before issue 21 ('' skips)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--import", dest="import_", action="store_true", help="also import each file back (a copy)")
    parser.add_argument("--lists-only", action="store_true", help="seed the largest size, time only the list exports")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="fii-bench-export-") as tmp:
        setup_django(str(Path(tmp) / "bench.sqlite3"))
        from django.core.management import call_command
        from django.db import connection

        from trajectories.models import Trajectory
        from trajectories.services import transfer

        before = load_before(args.before) if args.before else None
        print(f"JSON export of one organisation on {connection.vendor}; load {os.getloadavg()[0]:.2f}")
        began = time.perf_counter()
        call_command("seed_scale", size=str(max(args.sizes)), verbosity=0, stdout=io.StringIO())
        owner = Trajectory.objects.order_by("pk").values_list("owner_id", flat=True).first()
        # One organisation gives them all (this database is ours); it cannot also be the receiving one.
        Trajectory.objects.filter(receiving_organisation_id=owner).update(receiving_organisation=None)
        Trajectory.objects.update(owner_id=owner)
        print(f"Seeded {max(args.sizes)} trajectories in {time.perf_counter() - began:.0f} s.")
        for size in [] if args.lists_only else sorted(args.sizes):
            first = list(Trajectory.objects.order_by("pk").values_list("pk", flat=True)[:size])
            print(f"{size} trajectories:")
            trajectories = Trajectory.objects.filter(owner_id=owner, pk__in=first)
            line, after_text = measure(
                "after (issue 21)",
                lambda qs: transfer.trajectories_export_chunks(trajectories=qs),
                trajectories,
                args.repeat,
            )
            print(line)
            if args.import_:
                print(import_back(after_text))
            if before is not None:
                line, before_text = measure(
                    f"before ({args.before})",
                    lambda qs: [before.trajectories_export_json(trajectories=qs)],
                    trajectories,
                    args.repeat,
                )
                print(line)
                print(f"  same bytes: {before_text == after_text}")
        lists(owner)
        print(f"load after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    main()
