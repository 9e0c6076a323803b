"""The visibility table (trajectories/visibility.py): kept right by every change of who takes part, filled by
its data migration, checked by verify_visibility, and the one lookup of every list of a user's trajectories."""

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organisations.jobs import run_job
from organisations.models import Job, Membership, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, make_trajectory
from trajectories import jobs as trajectory_jobs
from trajectories import services, visibility
from trajectories.access import visible_trajectories
from trajectories.models import Action, CalendarToken, Trajectory, Visibility
from trajectories.services.archive import trajectory_archive, trajectory_restore
from trajectories.services.transfer import trajectories_export, trajectories_import
from trajectories.services.verkennen import candidate_add, candidate_choose

pytestmark = pytest.mark.django_db


def rows(trajectory) -> dict[int, str]:
    return dict(Visibility.objects.filter(trajectory=trajectory).values_list("organisation_id", "relation"))


def assert_table_follows_the_source():
    assert visibility.differences() == ({}, {}, {})


def test_a_new_trajectory_has_a_row_for_each_organisation_taking_part(municipality, beheerder):
    receiving, partner = OrganisationFactory(name="Welzijn Oost"), OrganisationFactory(name="Bibliotheek")
    trajectory = make_trajectory(
        owner=municipality, by=beheerder, receiving_organisation=receiving, participants=[partner]
    )
    assert rows(trajectory) == {municipality.pk: "owner", receiving.pk: "receiving", partner.pk: "participant"}


def test_changing_receiving_organisation_and_participants_moves_the_rows(municipality, beheerder):
    old, new, partner = (OrganisationFactory(name=n) for n in ("Oud", "Nieuw", "Partner"))
    trajectory = make_trajectory(owner=municipality, by=beheerder, receiving_organisation=old)
    trajectory = Trajectory.objects.get(pk=trajectory.pk)
    services.trajectory_update(
        trajectory=trajectory,
        by=beheerder,
        expected_version=trajectory.version,
        fields={"receiving_organisation": new},
        participants=[partner, old],
    )
    assert rows(trajectory) == {
        municipality.pk: "owner",
        new.pk: "receiving",
        partner.pk: "participant",
        old.pk: "participant",
    }
    trajectory.participants.remove(old)
    assert old.pk not in rows(trajectory)
    trajectory.participants.clear()
    assert rows(trajectory) == {municipality.pk: "owner", new.pk: "receiving"}


def test_an_organisation_both_receiving_and_participating_has_one_row_that_says_receiving(municipality, beheerder):
    receiving = OrganisationFactory(name="Welzijn Oost")
    trajectory = make_trajectory(
        owner=municipality, by=beheerder, receiving_organisation=receiving, participants=[receiving]
    )
    assert rows(trajectory) == {municipality.pk: "owner", receiving.pk: "receiving"}
    trajectory = Trajectory.objects.get(pk=trajectory.pk)
    trajectory.receiving_organisation = None
    trajectory.save()
    assert rows(trajectory) == {municipality.pk: "owner", receiving.pk: "participant"}


def test_participation_changed_from_the_organisation_side_is_followed(municipality, beheerder):
    partner = OrganisationFactory(name="Partner")
    first, second = (make_trajectory(owner=municipality, by=beheerder, title=t) for t in ("Een", "Twee"))
    partner.participating_trajectories.add(first, second)
    assert partner.pk in rows(first) and partner.pk in rows(second)
    partner.participating_trajectories.remove(first)
    assert partner.pk not in rows(first) and partner.pk in rows(second)
    partner.participating_trajectories.clear()
    assert partner.pk not in rows(second)
    assert_table_follows_the_source()


def test_choosing_the_receiving_organisation_in_2b_gives_it_a_row(municipality, beheerder):
    trajectory = make_trajectory(owner=municipality, by=beheerder)
    receiving = OrganisationFactory(name="Welzijn Oost")
    candidate = candidate_add(trajectory=trajectory, by=beheerder, organisation=receiving)
    candidate_choose(candidate=candidate, by=beheerder, rationale="Past het best bij de vraag.")
    assert rows(trajectory)[receiving.pk] == "receiving"
    member = UserFactory(email="lid@welzijn.example")
    MembershipFactory(user=member, organisation=receiving, role=Role.LEZER)
    assert list(visible_trajectories(member)) == [trajectory]


def test_archiving_keeps_the_rows_and_lists_leave_the_trajectory_out(municipality, beheerder):
    trajectory = make_trajectory(owner=municipality, by=beheerder)
    before = rows(trajectory)
    trajectory_archive(trajectory=trajectory, by=beheerder, reason="Gestopt")
    assert rows(trajectory) == before
    assert not visible_trajectories(beheerder).exists()
    assert list(visible_trajectories(beheerder, archived=True)) == [trajectory]
    trajectory_restore(trajectory=Trajectory.objects.get(pk=trajectory.pk), by=beheerder)
    assert list(visible_trajectories(beheerder)) == [trajectory]


def test_deleting_a_trajectory_deletes_its_rows(municipality, beheerder):
    trajectory = make_trajectory(owner=municipality, by=beheerder, participants=[OrganisationFactory(name="P")])
    pk = trajectory.pk
    trajectory.delete()
    assert not Visibility.objects.filter(trajectory_id=pk).exists()


def test_an_imported_trajectory_gets_its_rows(municipality, beheerder):
    partner = OrganisationFactory(name="Partner")
    trajectory = make_trajectory(owner=municipality, by=beheerder, participants=[partner])
    data = trajectories_export(trajectories=Trajectory.objects.filter(pk=trajectory.pk))
    result = trajectories_import(data=data, as_copy=True)
    (copy,) = Trajectory.objects.exclude(pk=trajectory.pk)
    assert len(result["trajectories"]) == 1
    assert rows(copy) == {municipality.pk: "owner", partner.pk: "participant"}
    assert_table_follows_the_source()


def test_verify_visibility_finds_a_write_that_bypassed_the_receivers_and_repairs_it(municipality, beheerder, capsys):
    other = OrganisationFactory(name="Elders")
    trajectory = make_trajectory(owner=municipality, by=beheerder)
    call_command("verify_visibility")
    assert "follows" in capsys.readouterr().out
    Trajectory.objects.filter(pk=trajectory.pk).update(receiving_organisation=other)  # no signal
    with pytest.raises(CommandError, match="1 rows differ"):
        call_command("verify_visibility")
    assert f"missing: organisation {other.pk}, trajectory {trajectory.pk} (receiving)" in capsys.readouterr().out
    call_command("verify_visibility", "--repair")
    assert_table_follows_the_source()


def test_the_data_migration_fills_the_table_for_existing_trajectories(demo_data):
    expected = visibility.expected()
    assert len(expected) > Trajectory.objects.count()  # receiving and participating organisations too
    Visibility.objects.all().delete()
    migration = importlib.import_module("trajectories.migrations.0025_i21_visibility")
    migration.fill(django_apps, connection.schema_editor())
    assert_table_follows_the_source()


def test_the_demo_data_is_in_the_table(demo_data):
    assert Visibility.objects.exists()
    assert_table_follows_the_source()


# The lists use the table: their queries do not depend on other organisations' trajectories -------------------


def _other_organisations_trajectories(count: int) -> None:
    elsewhere = OrganisationFactory(name=f"Elders {Trajectory.objects.count()}")
    partner = OrganisationFactory(name=f"Partner {Trajectory.objects.count()}")
    for n in range(count):
        make_trajectory(owner=elsewhere, title=f"Elders {n}", receiving_organisation=partner, participants=[partner])


def _statements(client, url) -> list[str]:
    cache.clear()  # each page as on its first view: the cached parts would hide the listing's queries
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in queries.captured_queries]


def _job_statements(user) -> list[str]:
    """The actions export runs as a job (issue 21): its queries, run the way the worker runs it."""
    job = trajectory_jobs.actions_export_start(user=user, fmt="csv", state="open", mine=False)
    with CaptureQueriesContext(connection) as queries:
        run_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    return [q["sql"] for q in queries.captured_queries]


def test_lists_of_a_users_trajectories_read_the_table_with_the_same_queries_however_many_others_exist(
    client, municipality, bewerker
):
    trajectory = make_trajectory(owner=municipality, by=bewerker)
    Action.objects.create(
        trajectory=trajectory,
        description="Bellen",
        assignee=bewerker,
        organisation=municipality,
        due_on=timezone.localdate() + dt.timedelta(days=2),
        created_by=bewerker,
    )
    token = CalendarToken.objects.create(user=bewerker).token
    client.force_login(bewerker)
    urls = [
        reverse("trajectories:portfolio"),
        reverse("trajectories:portfolio") + f"?organisation={municipality.pk}",
        reverse("trajectories:my_actions"),
        reverse("trajectories:my_week"),
        reverse("trajectories:calendar_feed", args=[token]),
        reverse("trajectories:portfolio_export", args=["csv"]),
        reverse("trajectories:portfolio_report", args=[municipality.pk]),
    ]
    _other_organisations_trajectories(1)
    few = {url: _statements(client, url) for url in urls}
    few["actions export job"] = _job_statements(bewerker)
    _other_organisations_trajectories(6)
    many = {url: _statements(client, url) for url in urls}
    many["actions export job"] = _job_statements(bewerker)
    for url in [*urls, "actions export job"]:
        assert len(many[url]) == len(few[url]), url
        listing = [sql for sql in many[url] if "trajectories_visibility" in sql]
        assert listing, f"{url} does not read the visibility table"
        assert not any("trajectories_trajectory_participants" in sql for sql in listing), url


def test_a_member_of_an_organisation_without_trajectories_sees_none_of_the_others(client, municipality, outsider):
    _other_organisations_trajectories(2)
    assert not visible_trajectories(outsider).exists()
    assert Membership.objects.filter(user=outsider).exists()
