"""Races between two requests, reproduced with two threads and real transactions (PostgreSQL only)."""

import threading

import pytest
from django.db import connection, transaction

from tests.factories import OrganisationFactory, UserFactory, make_trajectory
from trajectories import services
from trajectories.models import ChecklistItem

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_two_people_filling_an_empty_checklist_at_once_copy_the_template_once():
    owner = OrganisationFactory(name="Gemeente Racedam")
    user = UserFactory(email="racer@racedam.nl")
    trajectory = make_trajectory(owner=owner, by=user, title="Race", start_phase="verkennen")
    assert not ChecklistItem.objects.filter(trajectory=trajectory, phase="borgen").exists()

    first_copied, release = threading.Event(), threading.Event()
    copied = {}

    def first():
        try:
            with transaction.atomic():
                copied["first"] = services.checklist_copy_from_template(trajectory=trajectory, phase="borgen", by=user)
                first_copied.set()
                release.wait(timeout=10)  # hold the transaction open while the second one tries
        finally:
            connection.close()

    def second():
        try:
            first_copied.wait(timeout=10)
            copied["second"] = services.checklist_copy_from_template(trajectory=trajectory, phase="borgen", by=user)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    threads[1].join(timeout=1)  # with the lock, the second waits for the first to commit
    release.set()
    for thread in threads:
        thread.join(timeout=20)

    assert copied["first"] > 0
    assert copied["second"] == 0
    assert ChecklistItem.objects.filter(trajectory=trajectory, phase="borgen").count() == copied["first"]
