"""Persons' data rights: export everything stored about a person, and erase them everywhere."""

import datetime as dt
import json

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from organisations.models import Person
from tests.factories import make_trajectory
from trajectories import services
from trajectories.models import Review, SupportChange, TeamChange

NAME, EMAIL, PHONE = "Jolien Verbeek-Achterberg", "j.verbeek@example.nl", "010-4567890"


@pytest.fixture
def person_everywhere(trajectory, bewerker, municipality):
    """A person in two trajectories, with contacts, support history, a team membership and their name in notes."""
    s = services.stakeholder_add(
        trajectory=trajectory,
        by=bewerker,
        person_fields={
            "name": NAME,
            "function": "Teamleider",
            "employer": "Wijkteam Noord",
            "email": EMAIL,
            "phone": PHONE,
        },
        side="ontvangend",
        level="lijnmanager",
        influence=4,
        support="neutraal",
        desired_support="ambassadeur",
        notes=f"Bereikbaar via {EMAIL} of {PHONE}",
    )
    services.stakeholder_update(stakeholder=s, by=bewerker, support="steunend", reason=f"Gesprek met {NAME} ging goed")
    services.contact_record(
        stakeholder=s, by=bewerker, date=dt.date(2026, 11, 2), kind="gesprek", note=f"{NAME} wil meedenken"
    )
    member = services.team_member_add(
        trajectory=trajectory,
        by=bewerker,
        stakeholder=s,
        team_role="Voorzitter",
        competencies=["leiderschap"],
        reason=f"{NAME} zit voor",
    )
    services.team_member_leave(member=member, by=bewerker, left_on=timezone.localdate(), reason=f"{NAME} vertrekt")
    services.report_back_record(
        trajectory=trajectory,
        by=bewerker,
        reported_on=dt.date(2026, 11, 3),
        stakeholder=s,
        content=f"Steun van {NAME} niet te herstellen",
    )
    review = services.review_start(
        trajectory=trajectory,
        by=bewerker,
        held_on=timezone.localdate(),
        phases=[trajectory.current_phase],
        other_attendees=f"{NAME}\nWethouder Jansen",
        stakeholders_present=[s],
    )
    # Phase 2 free text where a team may type the name: talks, the agreement, the plan, changes of people.
    candidate = services.candidate_add(
        trajectory=trajectory,
        by=bewerker,
        new_organisation={"name": "Wijkteams Oost", "kind": "anders", "financing": "onbekend"},
    )
    services.talk_record(
        candidate=candidate, by=bewerker, held_on=dt.date(2026, 11, 1), management=f"{NAME} (directeur)"
    )
    services.candidate_choose(candidate=candidate, by=bewerker, rationale=f"{NAME} zegt mensen toe")
    trajectory.refresh_from_db()
    services.agreement_record(
        trajectory=trajectory, by=bewerker, agreed_on=dt.date(2026, 11, 4), parties=f"Gemeente; {NAME}", terms="Samen"
    )
    services.plan_update(
        trajectory=trajectory,
        by=bewerker,
        expected_version=None,
        review_interval="maandelijks",
        kickoff_participants=f"{NAME}, {EMAIL}",
    )
    services.people_change_record(
        trajectory=trajectory,
        by=bewerker,
        side="ontvangend",
        occurred_on=dt.date(2026, 11, 5),
        role="Teamleider",
        description=f"{NAME} gaat weg",
    )
    other = make_trajectory(owner=municipality, by=bewerker, title="Tweede traject")
    services.stakeholder_add(
        trajectory=other,
        by=bewerker,
        person=s.person,
        side="derden",
        level="extern",
        influence=2,
        support="onbekend",
        desired_support="steunend",
    )
    return s.person, review


def test_export_holds_everything_stored_about_the_person(client, beheerder, person_everywhere):
    person, review = person_everywhere
    client.force_login(beheerder)
    response = client.get(reverse("trajectories:person_export", args=[person.organisation_id, person.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["person"]["name"] == NAME
    assert data["person"]["email"] == EMAIL and data["person"]["phone"] == PHONE
    assert data["person"]["kept_by"] == "Gemeente Testdam"
    assert [t["trajectory"] for t in data["trajectories"]] == ["Schuldhulp Vroeg", "Tweede traject"]
    first = data["trajectories"][0]
    assert [(c["from"], c["to"]) for c in first["support_history"]] == [("", "neutraal"), ("neutraal", "steunend")]
    assert first["contacts"][0]["note"] == f"{NAME} wil meedenken"
    assert first["present_at_reviews"] == [review.held_on.isoformat()]
    assert first["report_backs"][0]["content"].startswith("Steun van")
    (membership,) = first["team_memberships"]
    assert membership["role"] == "Voorzitter"
    assert [c["kind"] for c in membership["changes"]] == ["erbij", "eraf"]


def all_text_values():
    """Every value of every text column in every table."""
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))]
        if fields:
            for row in model.objects.values_list(*fields):
                yield from (value for value in row if value)
        json_fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        for row in model.objects.values_list(*json_fields) if json_fields else []:
            yield from (json.dumps(value) for value in row)


def test_erasure_leaves_nothing_of_the_person_in_any_table(client, beheerder, person_everywhere, trajectory):
    person, review = person_everywhere
    assert any(NAME in value for value in all_text_values())  # the check can fail
    client.force_login(beheerder)
    url = reverse("trajectories:person_erase", args=[person.organisation_id, person.pk])
    response = client.post(url, {})
    assertContains(response, "Vink het vakje aan", status_code=400)
    assert client.post(url, {"confirm": "on"}).status_code == 302
    for value in all_text_values():
        for secret in (NAME, EMAIL, PHONE, "Verbeek", "Wijkteam Noord"):
            assert secret not in value, f"{secret!r} still stored: {value!r}"
    person.refresh_from_db()
    assert person.is_erased and person.name == "verwijderde persoon"
    # History rows stay (anonymous), and the trajectory still shows the stakeholder.
    assert SupportChange.objects.filter(stakeholder__person=person).count() == 3  # two trajectories
    assert TeamChange.objects.filter(member__stakeholder__person=person).count() == 2
    assert Review.objects.get(pk=review.pk).other_attendees == "[verwijderde persoon]\nWethouder Jansen"
    page = client.get(reverse("trajectories:stakeholders", args=[trajectory.pk]))
    assertContains(page, "verwijderde persoon")
    assertNotContains(page, NAME)


def test_erased_person_cannot_be_added_again(trajectory, bewerker, person_everywhere):
    person, _review = person_everywhere
    services.person_erase(person=person, by=bewerker)
    third = make_trajectory(owner=trajectory.owner, by=bewerker, title="Derde")
    with pytest.raises(Exception, match="gewist|erased"):
        services.stakeholder_add(
            trajectory=third,
            by=bewerker,
            person=person,
            side="derden",
            level="extern",
            influence=1,
            support="onbekend",
            desired_support="steunend",
        )


def test_only_the_keeping_organisations_beheerders_reach_persons(
    client, person_everywhere, bewerker, outsider, outsider_org
):
    person, _review = person_everywhere
    client.force_login(outsider)
    # Their own organisation's id with someone else's person: not found.
    assert client.get(reverse("trajectories:person_export", args=[outsider_org.pk, person.pk])).status_code == 404
    assert client.get(reverse("organisations:persons", args=[outsider_org.pk])).status_code == 200
    assertNotContains(client.get(reverse("organisations:persons", args=[outsider_org.pk])), NAME)
    client.force_login(bewerker)
    assert client.get(reverse("organisations:persons", args=[person.organisation_id])).status_code == 403
    assert Person.objects.filter(name=NAME).exists()


def test_erasure_replaces_whole_words_only(trajectory, bewerker):
    s = services.stakeholder_add(
        trajectory=trajectory,
        by=bewerker,
        person_fields={"name": "Jan"},
        side="derden",
        level="burger",
        influence=1,
        support="onbekend",
        desired_support="steunend",
        notes="Jan belt in januari terug; JAN weet het.",
    )
    services.person_erase(person=s.person, by=bewerker)
    s.refresh_from_db()
    assert s.notes == "[verwijderde persoon] belt in januari terug; [verwijderde persoon] weet het."
