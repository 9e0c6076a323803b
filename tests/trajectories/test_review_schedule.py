"""The stored next review (``Trajectory.review_due_on``, trajectories/review_schedule.py) equals what the cadence
computes from the rows after every kind of write, and Mijn week's most urgent and counts read it exactly."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db.models import DateField, F, OuterRef, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from tests.factories import make_trajectory
from trajectories import review_schedule, services
from trajectories.models import PhaseState, Review, Trajectory
from trajectories.my_week import most_urgent, review_counts, trajectories_of_organisations
from trajectories.selectors import add_light_summaries, with_review_summary

# A fixed clock (tests/mailhelpers.py): Monday 7 December 2026, 10:00 in Amsterdam.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

TODAY = dt.date(2026, 12, 7)


def oracle(today: dt.date) -> dict[int, tuple[dt.date, dt.date | None]]:
    """What Mijn week computed before the column: the review base by correlated subqueries (the last review held
    on or before ``today``, else the current phase's start, else the start date), the interval applied as
    Trajectory.next_review_on applies it; and the first review dated after ``today``."""
    held = Review.objects.filter(trajectory=OuterRef("pk"), held_on__lte=today).order_by("-held_on", "-pk")
    coming = Review.objects.filter(trajectory=OuterRef("pk"), held_on__gt=today).order_by("held_on")
    phase_start = PhaseState.objects.filter(trajectory=OuterRef("pk"), phase=OuterRef("current_phase"))
    rows = Trajectory.objects.annotate(
        base=Coalesce(
            Subquery(held.values("held_on")[:1]),
            TruncDate(Subquery(phase_start.values("started_at")[:1])),
            F("start_date"),
            output_field=DateField(),
        ),
        coming=Subquery(coming.values("held_on")[:1]),
    )
    return {t.pk: (Trajectory.ReviewInterval(t.review_interval).after(t.base), t.coming) for t in rows}


def stored() -> dict[int, tuple[dt.date | None, dt.date | None]]:
    return {
        pk: (due, stale)
        for pk, due, stale in Trajectory.objects.values_list("pk", "review_due_on", "review_due_stale_on")
    }


def assert_kept(today: dt.date = TODAY) -> None:
    assert stored() == oracle(today)
    assert review_schedule.differences(today=today) == {}


def assert_mijn_week_agrees(org_ids, today: dt.date) -> None:
    """most_urgent and review_counts give what the cadence of each trajectory decides, on ``today``."""
    mine = trajectories_of_organisations(org_ids)
    active = list(with_review_summary(mine.filter(status="actief"), today=today))
    add_light_summaries(active, today=today)
    by_cadence = sorted((t.cadence.next_review_on, t.pk) for t in active)
    for limit in (1, 2, len(active) + 1):
        assert most_urgent(mine, today=today, limit=limit) == [pk for _d, pk in by_cadence[:limit]], (today, limit)
    until = today + dt.timedelta(days=7)
    late = sum(1 for t in active if t.cadence.is_overdue)
    coming = sum(1 for t in active if not t.cadence.is_overdue and t.cadence.next_review_on <= until)
    assert review_counts(mine, today=today, until=until) == (late, coming), today


def test_a_new_trajectory_counts_from_its_start_phase(municipality, bewerker):
    make_trajectory(owner=municipality, by=bewerker, title="Nieuw")
    assert_kept()


def test_every_review_write_keeps_the_stored_next_review(municipality, bewerker, beheerder):
    t = make_trajectory(owner=municipality, by=bewerker, title="Traject")
    other = make_trajectory(owner=municipality, by=bewerker, title="Ander")
    review = services.review_start(trajectory=t, by=bewerker, held_on=dt.date(2026, 11, 20), phases=["signaleren"])
    assert_kept()
    services.review_update(
        review=review, by=bewerker, expected_version=None, held_on=dt.date(2026, 11, 30), summary="",
        other_attendees="", attendees=[],
    )  # fmt: skip
    assert stored()[t.pk][0] == dt.date(2026, 12, 14)
    assert_kept()
    services.review_finalise(review=review, by=bewerker)
    assert_kept()
    services.review_reopen(review=review, by=beheerder, reason="Vergeten punt")
    assert_kept()
    services.review_finalise(review=review, by=bewerker)
    later = services.review_start(trajectory=t, by=bewerker, held_on=dt.date(2026, 12, 4), phases=["signaleren"])
    assert stored()[t.pk][0] == dt.date(2026, 12, 18)
    later.delete()  # no service deletes a review; the trajectory's deletion takes them along
    review_schedule.sync([t.pk])
    assert_kept()
    assert_mijn_week_agrees([municipality.pk], TODAY)
    assert stored()[other.pk] == oracle(TODAY)[other.pk]


def test_phase_moves_start_date_interval_and_status_keep_it(municipality, bewerker, beheerder):
    t = make_trajectory(owner=municipality, by=bewerker, title="Traject")
    services.trajectory_move(
        trajectory=t, by=bewerker, reason="Verder", to_phase="innoveren", at=timezone.now() - dt.timedelta(days=3)
    )
    assert_kept()
    services.trajectory_move(trajectory=t, by=bewerker, reason="Terug", to_phase="verkennen")  # its old start
    assert_kept()
    t.refresh_from_db()
    services.trajectory_update(
        trajectory=t, by=beheerder, expected_version=t.version, fields={"start_date": dt.date(2026, 1, 5)}
    )
    assert_kept()
    services.plan_update(trajectory=t, by=bewerker, expected_version=None, review_interval="per_kwartaal")
    assert (
        stored()[t.pk][0] == oracle(TODAY)[t.pk][0]
        and Trajectory.objects.get(pk=t.pk).review_interval == "per_kwartaal"
    )
    assert_kept()
    t.refresh_from_db()
    services.trajectory_update(trajectory=t, by=beheerder, expected_version=t.version, fields={"status": "gepauzeerd"})
    assert_kept()
    assert most_urgent(trajectories_of_organisations([municipality.pk]), today=TODAY, limit=5) == []
    t.refresh_from_db()
    services.trajectory_update(trajectory=t, by=beheerder, expected_version=t.version, fields={"status": "actief"})
    assert_kept()
    assert_mijn_week_agrees([municipality.pk], TODAY)


def test_archive_and_restore_keep_it(municipality, beheerder, bewerker):
    t = make_trajectory(owner=municipality, by=bewerker, title="Traject")
    services.trajectory_archive(trajectory=t, by=beheerder, reason="Dubbel")
    assert most_urgent(trajectories_of_organisations([municipality.pk]), today=TODAY, limit=5) == []
    services.trajectory_restore(trajectory=t, by=beheerder)
    assert_kept()
    assert most_urgent(trajectories_of_organisations([municipality.pk]), today=TODAY, limit=5) == [t.pk]


def test_a_review_dated_in_the_future_counts_from_its_own_date(municipality, bewerker):
    """The form refuses a future date; an import or a service caller may bring one. It counts from its day on
    without any write: the stored date is marked stale from then, and the readers compute that row."""
    early, late, plain = (make_trajectory(owner=municipality, by=bewerker, title=n) for n in ("A", "B", "C"))
    services.review_start(trajectory=early, by=bewerker, held_on=dt.date(2026, 11, 1), phases=["signaleren"])
    Review.objects.filter(trajectory=early).update(finalised_at=timezone.now())
    services.review_start(trajectory=early, by=bewerker, held_on=dt.date(2026, 12, 20), phases=["signaleren"])
    services.review_start(trajectory=late, by=bewerker, held_on=dt.date(2027, 1, 10), phases=["signaleren"])
    assert stored()[early.pk] == (dt.date(2026, 11, 15), dt.date(2026, 12, 20))
    assert_kept()
    for day in (TODAY, dt.date(2026, 12, 19), dt.date(2026, 12, 20), dt.date(2027, 1, 9), dt.date(2027, 1, 11)):
        assert_mijn_week_agrees([municipality.pk], day)
    # From 20 December the early trajectory's next review is 3 January, not its stored 15 November.
    assert most_urgent(trajectories_of_organisations([municipality.pk]), today=dt.date(2026, 12, 21), limit=3) == [
        late.pk,
        plain.pk,
        early.pk,
    ]


def test_the_import_stores_it(municipality, bewerker):
    from trajectories.services.transfer import trajectories_export, trajectories_import

    t = make_trajectory(owner=municipality, by=bewerker, title="Uit te voeren")
    services.review_start(trajectory=t, by=bewerker, held_on=dt.date(2026, 11, 23), phases=["signaleren"])
    data = trajectories_export(trajectories=Trajectory.objects.filter(pk=t.pk))
    imported = trajectories_import(data=data, as_copy=True)["trajectories"]
    assert [stored()[c.pk][0] for c in imported] == [dt.date(2026, 12, 7)]
    assert_kept()


def test_the_demo_data_stores_it(demo_data):
    """load_fii_data replays the demo through the services, and sets some review intervals past them."""
    assert Trajectory.objects.exclude(review_interval="tweewekelijks").exists()
    assert review_schedule.differences() == {}
    assert not Trajectory.objects.filter(review_due_on=None).exists()


def test_the_start_date_counts_when_the_phase_has_no_start(municipality, bewerker, beheerder):
    t = make_trajectory(owner=municipality, by=bewerker, title="Traject")
    PhaseState.objects.filter(trajectory=t).update(started_at=None)
    review_schedule.sync([t.pk])
    t.refresh_from_db()
    services.trajectory_update(
        trajectory=t, by=beheerder, expected_version=t.version, fields={"start_date": dt.date(2026, 11, 2)}
    )
    assert stored()[t.pk] == (dt.date(2026, 11, 16), None)
    assert_kept()


def test_the_admin_keeps_it_when_it_changes_or_deletes_a_review_or_a_phase_start(municipality, bewerker, rf):
    from django.contrib import admin

    t = make_trajectory(owner=municipality, by=bewerker, title="Traject")
    first = services.review_start(trajectory=t, by=bewerker, held_on=dt.date(2026, 11, 2), phases=["signaleren"])
    services.review_finalise(review=first, by=bewerker)
    second = services.review_start(trajectory=t, by=bewerker, held_on=dt.date(2026, 11, 30), phases=["signaleren"])
    reviews, request = admin.site._registry[Review], rf.post("/")
    second.held_on = dt.date(2026, 11, 23)
    reviews.save_model(request, second, None, True)
    assert stored()[t.pk][0] == dt.date(2026, 12, 7)
    reviews.delete_model(request, second)
    assert stored()[t.pk][0] == dt.date(2026, 11, 16)
    reviews.delete_queryset(request, Review.objects.filter(pk=first.pk))
    assert_kept()

    class Form:  # what ModelAdmin.save_related reads of the change form
        instance = t

        def save_m2m(self):
            pass

    PhaseState.objects.filter(trajectory=t, phase=t.current_phase).update(
        started_at=timezone.now() - dt.timedelta(days=30)
    )
    admin.site._registry[Trajectory].save_related(request, Form(), [], True)  # as after the phase states' inline
    assert stored()[t.pk][0] == dt.date(2026, 11, 21)
    assert_kept()


def test_a_write_that_bypasses_the_services_is_found_and_repaired(municipality, bewerker, capsys):
    t = make_trajectory(owner=municipality, by=bewerker, title="Traject")
    Trajectory.objects.filter(pk=t.pk).update(review_interval="maandelijks")
    assert review_schedule.differences() == {t.pk: oracle(TODAY)[t.pk]}
    with pytest.raises(CommandError):
        call_command("verify_review_schedule")
    assert f"trajectory {t.pk}: next review 2027-01-07, stale from -" in capsys.readouterr().out
    call_command("verify_review_schedule", "--repair")
    assert_kept()
    call_command("verify_review_schedule")
    assert "Every stored next review follows" in capsys.readouterr().out


def test_a_trajectory_never_stored_is_read_from_its_reviews(municipality, bewerker):
    """A row written past the services (``review_due_on`` empty) is computed by the readers, never left out."""
    first, second = (make_trajectory(owner=municipality, by=bewerker, title=n) for n in ("A", "B"))
    services.review_start(trajectory=second, by=bewerker, held_on=dt.date(2026, 11, 1), phases=["signaleren"])
    Trajectory.objects.filter(pk=second.pk).update(review_due_on=None)
    assert_mijn_week_agrees([municipality.pk], TODAY)
    assert most_urgent(trajectories_of_organisations([municipality.pk]), today=TODAY, limit=1) == [second.pk]


def test_the_most_urgent_cost_two_queries_however_many_trajectories(municipality, bewerker, django_assert_num_queries):
    for n in range(3):
        make_trajectory(owner=municipality, by=bewerker, title=f"T{n}")
    with django_assert_num_queries(2):
        most_urgent(trajectories_of_organisations([municipality.pk]), today=TODAY, limit=2)
    for n in range(12):
        make_trajectory(owner=municipality, by=bewerker, title=f"U{n}")
    with django_assert_num_queries(2):
        most_urgent(trajectories_of_organisations([municipality.pk]), today=TODAY, limit=2)
