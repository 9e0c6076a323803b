"""Retention (AVG): personal data of closed trajectories is anonymised after the organisation's period."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from organisations.models import ERASED_NAME, Person
from tests.factories import make_trajectory
from trajectories import services
from trajectories.models import Contact, Professional, Stakeholder, Trajectory
from trajectories.retention import ANONYMISED

CLOSED_ON = dt.datetime(2024, 1, 15, 12, tzinfo=dt.UTC)


def _close(trajectory, months=12, closed_at=CLOSED_ON):
    trajectory.owner.retention_months = months
    trajectory.owner.save()
    Trajectory.objects.filter(pk=trajectory.pk).update(status="afgerond", closed_at=closed_at)


def _person_data(trajectory, by, name="Wethouder Jansen"):
    stakeholder = services.stakeholder_add(
        trajectory=trajectory,
        by=by,
        person_fields={"name": name, "email": "jansen@testdam.nl", "phone": "0612345678"},
        side="gevend",
        level="wethouder",
        influence=5,
        support="steunend",
        desired_support="ambassadeur",
        notes="Praat graag over voetbal",
    )
    services.stakeholder_update(stakeholder=stakeholder, by=by, notes="Houdt van korte memo's")
    Contact.objects.create(stakeholder=stakeholder, note="Koffie met Jansen")
    professional = services.professional_add(
        trajectory=trajectory, by=by, name="Sanne de Vries", state="geselecteerd", state_since=dt.date(2023, 5, 1)
    )
    return stakeholder, professional


def _run(*args):
    out = StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_expired_trajectory_is_anonymised_history_included(trajectory, bewerker):
    stakeholder, professional = _person_data(trajectory, bewerker)
    _close(trajectory)
    output = _run("--now", "2025-02-01")
    assert "Anonymised 1 trajectories" in output
    stakeholder.refresh_from_db()
    assert stakeholder.notes == ANONYMISED
    assert Contact.objects.get(stakeholder=stakeholder).note == ANONYMISED
    assert Professional.objects.get(pk=professional.pk).name == ANONYMISED
    person = Person.objects.get(pk=stakeholder.person_id)
    assert person.is_erased and person.name == ERASED_NAME and person.email == ""
    history_notes = set(Stakeholder.history_records.filter(id=stakeholder.pk).values_list("notes", flat=True))
    assert history_notes == {ANONYMISED}
    assert set(Professional.history_records.filter(id=professional.pk).values_list("name", flat=True)) == {ANONYMISED}
    assert not Person.history_records.filter(id=person.pk, name="Wethouder Jansen").exists()
    trajectory.refresh_from_db()
    assert trajectory.anonymised_at is not None
    assert trajectory.title == "Schuldhulp Vroeg"  # the content of the trajectory stays


def test_second_run_changes_nothing_and_says_so(trajectory, bewerker):
    _person_data(trajectory, bewerker)
    _close(trajectory)
    _run("--now", "2025-02-01")
    trajectory.refresh_from_db()
    first = trajectory.anonymised_at
    assert "Nothing to anonymise" in _run("--now", "2025-03-01")
    trajectory.refresh_from_db()
    assert trajectory.anonymised_at == first


def test_trajectory_within_its_period_is_untouched(trajectory, bewerker):
    stakeholder, _professional = _person_data(trajectory, bewerker)
    _close(trajectory, months=24)
    assert "Nothing to anonymise" in _run("--now", "2025-02-01")
    stakeholder.refresh_from_db()
    assert stakeholder.notes == "Houdt van korte memo's"


@pytest.mark.parametrize("months", [None])
def test_organisation_without_a_period_keeps_everything(trajectory, bewerker, months):
    stakeholder, _professional = _person_data(trajectory, bewerker)
    _close(trajectory, months=months)
    assert "Nothing to anonymise" in _run("--now", "2040-01-01")


def test_open_trajectory_is_never_anonymised(trajectory, bewerker):
    trajectory.owner.retention_months = 1
    trajectory.owner.save()
    stakeholder, _professional = _person_data(trajectory, bewerker)
    assert "Nothing to anonymise" in _run("--now", "2040-01-01")


def test_dry_run_changes_nothing(trajectory, bewerker):
    stakeholder, _professional = _person_data(trajectory, bewerker)
    _close(trajectory)
    output = _run("--dry-run", "--now", "2025-02-01")
    assert "Dry run" in output
    stakeholder.refresh_from_db()
    assert stakeholder.notes == "Houdt van korte memo's"
    assert not Person.objects.get(pk=stakeholder.person_id).is_erased
    trajectory.refresh_from_db()
    assert trajectory.anonymised_at is None


def test_person_shared_with_a_running_trajectory_stays_intact(trajectory, bewerker, municipality):
    stakeholder, _professional = _person_data(trajectory, bewerker)
    running = make_trajectory(owner=municipality, by=bewerker, title="Nog bezig")
    services.stakeholder_add(
        trajectory=running,
        by=bewerker,
        person=stakeholder.person,
        side="gevend",
        level="wethouder",
        influence=5,
        support="steunend",
        desired_support="steunend",
    )
    _close(trajectory)
    _run("--now", "2025-02-01")
    stakeholder.refresh_from_db()
    assert stakeholder.notes == ANONYMISED
    person = Person.objects.get(pk=stakeholder.person_id)
    assert person.name == "Wethouder Jansen" and not person.is_erased


def test_beheerder_sets_the_retention_period(client, beheerder, municipality):
    client.force_login(beheerder)
    url = reverse("organisations:retention", args=[municipality.pk])
    assert "AVG" in client.get(url).text
    response = client.post(url, {"retention_months": "0", "version": municipality.version})
    assert response.status_code == 400
    assert "tussen 1 en 600" in response.text
    assert client.post(url, {"retention_months": "24", "version": municipality.version}).status_code == 302
    municipality.refresh_from_db()
    assert municipality.retention_months == 24
    assert client.post(url, {"retention_months": "", "version": municipality.version}).status_code == 302
    municipality.refresh_from_db()
    assert municipality.retention_months is None


def test_closed_at_migration_fills_closed_trajectories(trajectory):
    Trajectory.objects.filter(pk=trajectory.pk).update(status="gestopt", closed_at=None)
    from importlib import import_module

    from django.apps import apps as global_apps

    migration = import_module("trajectories.migrations.0010_trajectory_closed_at_from_updated_at")
    migration.fill_closed_at(global_apps, None)
    trajectory.refresh_from_db()
    assert trajectory.closed_at == trajectory.updated_at
    assert timezone.is_aware(trajectory.closed_at)
