"""Benchmark the progress report PDF of a large trajectory, against WeasyPrint alone on the same HTML.

Run from the project root (uses a throw-away SQLite database, never the developer's):

    .venv/bin/python bench/report_pdf.py [--reviews 26] [--items 40] [--stakeholders 30] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
PHASE = "implementeren"
TEAM = ["Petra de Vries", "Jamal El Amrani", "Sanne Bakker", "Ruud Jansen", "Ayşe Yılmaz"]
NOTES = {"groen": "Loopt volgens plan.", "oranje": "Aandacht nodig, eigenaar belt.", "rood": "Loopt vast, escaleren."}


def setup_django(db_path: str) -> None:
    """Point the settings at the temporary database before Django reads them."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "fii.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def seed(reviews: int, items: int, stakeholders: int):
    from django.db import transaction
    from django.utils import timezone

    from organisations.models import Membership, Organisation, User
    from trajectories import services
    from trajectories.models import ChecklistItem

    rng = random.Random(2026)  # the same data on every run
    start = timezone.localdate() - dt.timedelta(days=max(365, 14 * reviews))  # a year, or more for more reviews

    def at(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))

    with transaction.atomic():
        org = Organisation.objects.create(name="Gemeente Benchdam", kind=Organisation.Kind.GEMEENTE)
        user = User.objects.create_user(email="beheerder@bench.invalid", password="bench", full_name="Bea Heerder")
        Membership.objects.create(user=user, organisation=org, role="beheerder")
        team = [user] + [User.objects.create_user(email=f"t{i}@bench.invalid", full_name=n) for i, n in enumerate(TEAM)]
        Membership.objects.bulk_create(Membership(user=u, organisation=org, role="bewerker") for u in team[1:])
        trajectory = services.trajectory_create(
            owner=org, by=user, title="Schuldhulp Vroeg Eropaf (benchmark)", has_commissioner=True,
            receiving_identified=False, start_phase=PHASE, start_date=start, at=at(start),
        )  # fmt: skip
        checklist = ChecklistItem.objects.filter(trajectory=trajectory, phase=PHASE, retired_at__isnull=True)
        for n in range(checklist.count() + 1, items + 1):  # on top of the template's items
            services.checklist_item_add(owner=trajectory, phase=PHASE, text=f"Checklistpunt {n}: borging", by=user)
        items = checklist.count()
        others = "\n".join(f"Belanghebbende {n} (gemeente, wijkteam of partner)" for n in range(1, stakeholders + 1))
        open_actions, closed = [], 0
        for k in range(reviews):
            held_on = start + dt.timedelta(days=7 + 14 * k)
            when = at(held_on)
            review = services.review_start(trajectory=trajectory, by=user, held_on=held_on, phases=[PHASE], at=when)
            review_items = list(review.items.select_related("item"))
            weights = [6, 3, 1 if k % 3 else 0]  # every third review nothing is red
            for ri in review_items:
                colour = rng.choices(["groen", "oranje", "rood"], weights)[0]
                note = f"Bespreking {k + 1}: {NOTES[colour]}"
                services.review_item_set(review_item=ri, by=user, colour=colour, note=note, at=when)
            while len(open_actions) > 3:  # the older actions get done, a few stay open
                action = open_actions.pop(0)
                services.action_close(action=action, by=user, note="Gedaan.", expected_version=None, at=when)
                closed += 1
            for ri in rng.sample(review_items, 2):
                open_actions.append(services.action_create(
                    trajectory=trajectory, by=user, review=review, item=ri.item, assignee=rng.choice(team),
                    description=f"Actie bij {ri.text.split(':')[0].lower()}", due_on=held_on + dt.timedelta(21),
                    at=when,
                ))  # fmt: skip
            summary = f"Bespreking {k + 1} van {reviews}: voortgang besproken, acties verdeeld."
            services.review_update(
                review=review, by=user, expected_version=None, held_on=held_on, summary=summary,
                other_attendees=others, attendees=team,
            )  # fmt: skip
            services.review_finalise(review=review, by=user, at=when)
    counts = f"{items} {PHASE} items, {reviews} reviews ({reviews * items} lights and notes), "
    counts += f"{2 * reviews} actions ({closed} closed), {len(team)} team members"
    return trajectory, user, start, counts


def pdf_pages(pdf: bytes) -> tuple[int, str, str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    return len(reader.pages), " ".join(texts), texts[-1]


def run(args) -> None:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from fii.lib.pdf import render_pdf
    from trajectories.views import reports as views

    began = time.perf_counter()
    trajectory, user, start, counts = seed(args.reviews, args.items, args.stakeholders)
    print(f"Seeded {counts} in {time.perf_counter() - began:.1f} s.")
    print(
        f"Stakeholders: not in the data model yet, so not seeded; each review's free-text 'other attendees'"
        f" holds {args.stakeholders} names instead (the report prints those of the last review)."
    )

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    period = {"van": start.isoformat(), "tot": timezone.localdate().isoformat()}
    pdf_url = reverse("trajectories:progress_report_pdf", args=[trajectory.pk])
    html_url = reverse("trajectories:progress_report", args=[trajectory.pk])

    def get(url: str) -> bytes:
        response = client.get(url, period)
        assert response.status_code == 200, (url, response.status_code)
        return response.content

    # Warm-up (imports, fonts, template loading), which also gives the query count and the saved HTML.
    reset_queries()  # the query log holds at most 9000 entries; seeding filled it, and a full log counts 0
    with CaptureQueriesContext(connection) as queries:
        pdf = get(pdf_url)
    html = get(html_url).decode()
    pages, text, last_page = pdf_pages(pdf)
    assert trajectory.title in text, "the trajectory's title is missing from the PDF text"
    assert f"pagina {pages} van {pages}" in last_page, f"the last page does not say 'pagina {pages} van {pages}'"
    assert pdf_pages(render_pdf(html))[0] == pages, "WeasyPrint alone gives another page count"

    timings = {"endpoint": [], "html": [], "weasyprint": [], "inside": []}

    def render_pdf_timed(page: str) -> bytes:  # the view's own call, timed inside the request
        began = time.perf_counter()
        result = render_pdf(page)
        timings["inside"].append(time.perf_counter() - began)
        return result

    jobs = {"endpoint": lambda: get(pdf_url), "html": lambda: get(html_url), "weasyprint": lambda: render_pdf(html)}
    with mock.patch.object(views, "render_pdf", render_pdf_timed):
        for n in range(args.repeat):  # interleaved and rotated, so a noisy neighbour hurts all alike
            for name in [*jobs][n % 3 :] + [*jobs][: n % 3]:
                gc.collect()
                began = time.perf_counter()
                jobs[name]()
                timings[name].append(time.perf_counter() - began)
    timings["ours"] = [total - inside for total, inside in zip(timings["endpoint"], timings["inside"], strict=True)]
    median = {name: statistics.median(times) for name, times in timings.items()}

    print(f"PDF: {pages} pages, {len(pdf) / 1024:.0f} KiB, {len(queries)} SQL queries for the PDF request;")
    print(f"     the text holds the title and the last page says 'pagina {pages} van {pages}'.")
    print(f"Median of {args.repeat} runs each, after one warm-up:")
    print(f"  (a) PDF endpoint (queries + template + WeasyPrint)  {median['endpoint']:7.3f} s")
    print(f"  (b) HTML endpoint only                              {median['html']:7.3f} s")
    print(f"  (c) WeasyPrint alone, render_pdf() on HTML of (b)   {median['weasyprint']:7.3f} s")
    print(f"      render_pdf() inside (a), timed in the view      {median['inside']:7.3f} s")
    print(f"  our code in (a): (a) minus render_pdf() inside it   {median['ours']:7.3f} s")
    print(f"  endpoint ÷ WeasyPrint alone  {median['endpoint'] / median['weasyprint']:.2f}")
    print(f"  HTML only ÷ endpoint         {median['html'] / median['endpoint']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=26, help="biweekly reviews, the last a week ago (26)")
    parser.add_argument("--items", type=int, default=40, help="Implementeren checklist items, template included (40)")
    parser.add_argument("--stakeholders", type=int, default=30, help="names in 'other attendees' (30)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each measurement (5)")
    args = parser.parse_args()

    fd, db_path = tempfile.mkstemp(prefix="fii-bench-", suffix=".sqlite3")
    os.close(fd)
    try:
        setup_django(db_path)
        run(args)
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(db_path + suffix).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
