"""One list of people per trajectory (issue 18): its contents, every owner and attendee picker that reads it, the
carry-over of attendees, person owners in exports and reports, the ownership balance, and no mail without an account.
"""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook
from pytest_django.asserts import assertContains, assertNotContains

from organisations.models import OutgoingMail, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, make_trajectory
from tests.trajectories.test_exports import actions_file
from tests.trajectories.test_reports import pdf_text
from trajectories import selectors, services
from trajectories.models import Action, Notification
from trajectories.scheduler import send_notifications
from trajectories.selectors_people import attendees_of, trajectory_people

TODAY = timezone.localdate()
NO_ACCOUNT = "(geen account, krijgt geen e-mail)"


def person(trajectory, name, *, influence=5, side="derden", level="wethouder"):
    return services.stakeholder_add(
        trajectory=trajectory,
        by=trajectory.created_by,
        person_fields={"name": name},
        side=side,
        level=level,
        influence=influence,
        support="neutraal",
        desired_support="steunend",
    )


def keys(trajectory, **keep):
    return {option.key for option in trajectory_people(trajectory, **keep)}


def start(trajectory, by, held_on=TODAY, **kwargs):
    return services.review_start(
        trajectory=trajectory, by=by, held_on=held_on, phases=[trajectory.current_phase], **kwargs
    )


# The list ------------------------------------------------------------------------------------------------------


def test_the_list_holds_editors_team_and_key_figures_but_no_lezer_or_anyone_elses_people(
    trajectory, bewerker, beheerder, lezer, outsider, outsider_org, municipality
):
    partner = OrganisationFactory(name="Partner")
    partner_editor = MembershipFactory(user=UserFactory(full_name="Piet Partner"), organisation=partner).user
    trajectory.participants.add(partner)
    key_figure = person(trajectory, "Wethouder Wit")
    minor = person(trajectory, "Zijdelings Betrokken", influence=2)
    member = person(trajectory, "Teamlid Zonder Account", influence=2)
    services.team_member_add(trajectory=trajectory, by=bewerker, stakeholder=member)
    gone = person(trajectory, "Vertrokken Teamlid", influence=2)
    left = services.team_member_add(
        trajectory=trajectory, by=bewerker, stakeholder=gone, joined_on=TODAY - dt.timedelta(days=30)
    )
    services.team_member_leave(member=left, by=bewerker, left_on=TODAY)
    elsewhere = person(make_trajectory(owner=municipality, by=bewerker, title="Ander traject"), "Van Elders")
    foreign = person(make_trajectory(owner=outsider_org, by=outsider, title="Geheim traject"), "Van De Buren")
    erased = person(trajectory, "Gewiste Persoon")
    services.person_erase(person=erased.person, by=beheerder)

    people = trajectory_people(trajectory)
    assert {o.key for o in people} == {
        f"u{bewerker.pk}",
        f"u{beheerder.pk}",
        f"u{partner_editor.pk}",
        f"p{key_figure.pk}",
        f"p{member.pk}",
    }
    assert f"u{lezer.pk}" not in keys(trajectory) and f"u{outsider.pk}" not in keys(trajectory)
    assert not {f"p{minor.pk}", f"p{gone.pk}", f"p{elsewhere.pk}", f"p{foreign.pk}", f"p{erased.pk}"} & keys(trajectory)
    # Accounts first, then persons; a person without an account says so.
    assert [o.has_account for o in people] == [True, True, True, False, False]
    assert next(o for o in people if o.stakeholder == member).label == f"Teamlid Zonder Account {NO_ACCOUNT}"
    assert next(o for o in people if o.user == bewerker).label == bewerker.get_full_name()


def test_the_list_keeps_who_was_chosen_already_but_never_another_trajectorys_person(trajectory, bewerker, lezer):
    elsewhere = person(make_trajectory(owner=trajectory.owner, by=bewerker, title="Ander"), "Van Elders")
    minor = person(trajectory, "Zijdelings", influence=1)
    kept = keys(trajectory, keep_users=[lezer.pk], keep_stakeholders=[minor.pk, elsewhere.pk])
    assert {f"u{lezer.pk}", f"p{minor.pk}"} <= kept
    assert f"p{elsewhere.pk}" not in kept


def test_the_list_costs_two_queries_however_many_people(trajectory, bewerker, django_assert_num_queries):
    for n in range(6):
        person(trajectory, f"Persoon {n}")
        MembershipFactory(organisation=trajectory.owner, role=Role.BEWERKER)
    trajectory.refresh_from_db()
    trajectory.organisation_ids()  # participants are loaded by the page already
    with django_assert_num_queries(3):  # participants, accounts, persons
        assert len(trajectory_people(trajectory)) == 6 + 6 + 1


# Every owner picker ------------------------------------------------------------------------------------------


def test_actions_page_offers_and_saves_a_person_without_an_account(client, trajectory, bewerker, lezer):
    figure = person(trajectory, "Jurist Jansen")
    client.force_login(bewerker)
    url = reverse("trajectories:actions", args=[trajectory.pk])
    page = client.get(url)
    assertContains(page, f'<option value="p{figure.pk}">Jurist Jansen {NO_ACCOUNT}</option>', html=True)
    assertNotContains(page, f'value="u{lezer.pk}"')
    response = client.post(url, {"description": "Inhaaltraining geven", "assignee": f"p{figure.pk}"})
    assert response.status_code == 302
    action = trajectory.actions.get()
    assert (action.owner_person, action.assignee) == (figure, None)
    assertContains(client.get(url), "Jurist Jansen")
    refused = client.post(url, {"description": "Lezer", "assignee": f"u{lezer.pk}"})
    assert refused.status_code == 200 and trajectory.actions.count() == 1
    assertContains(refused, "is-invalid")


def test_action_detail_moves_an_action_between_an_account_and_a_person(client, trajectory, bewerker):
    figure = person(trajectory, "Jurist Jansen")
    action = services.action_create(trajectory=trajectory, by=bewerker, description="Bellen", assignee=bewerker)
    url = reverse("trajectories:action", args=[trajectory.pk, action.pk])
    client.force_login(bewerker)
    assertContains(client.get(url), f'<option value="u{bewerker.pk}" selected>', html=False)
    data = {"description": "Bellen", "assignee": f"p{figure.pk}", "version": action.version, "op": "save"}
    assert client.post(url, data).status_code == 302
    action.refresh_from_db()
    assert (action.assignee, action.owner_person, action.organisation) == (None, figure, None)
    page = client.get(url)
    assertContains(page, f'<option value="p{figure.pk}" selected>', html=False)
    assertContains(page, "geen account, krijgt geen e-mail")
    data = {"description": "Bellen", "assignee": f"u{bewerker.pk}", "version": action.version, "op": "save"}
    assert client.post(url, data).status_code == 302
    action.refresh_from_db()
    assert (action.assignee, action.owner_person, action.organisation) == (bewerker, None, trajectory.owner)


def test_action_detail_keeps_a_person_owner_who_is_no_longer_a_key_figure(client, trajectory, bewerker):
    figure = person(trajectory, "Oud Sleutelfiguur", influence=2)
    action = services.action_create(trajectory=trajectory, by=bewerker, description="Bellen", owner_person=figure)
    client.force_login(bewerker)
    page = client.get(reverse("trajectories:action", args=[trajectory.pk, action.pk]))
    assertContains(page, f'<option value="p{figure.pk}" selected>', html=False)


def test_plan_task_can_be_owned_by_a_team_member_without_an_account(client, trajectory, bewerker):
    member = person(trajectory, "Teamlid Tessa", influence=2, side="ontvangend")
    services.team_member_add(trajectory=trajectory, by=bewerker, stakeholder=member)
    client.force_login(bewerker)
    plan_url = reverse("trajectories:plan", args=[trajectory.pk])
    assertContains(client.get(plan_url), f'value="p{member.pk}"')
    response = client.post(
        reverse("trajectories:plan_task_create", args=[trajectory.pk]),
        {"task-description": "Werkinstructie schrijven", "task-assignee": f"p{member.pk}"},
    )
    assert response.status_code == 302
    assert Action.objects.get(description="Werkinstructie schrijven").owner_person == member
    assertContains(client.get(plan_url), f"Teamlid Tessa ({NO_ACCOUNT[1:-1]})")


def test_meeting_form_offers_the_same_list(client, trajectory, bewerker, lezer):
    member = person(trajectory, "Teamlid Tessa", influence=1)
    services.team_member_add(trajectory=trajectory, by=bewerker, stakeholder=member)
    review = start(trajectory, bewerker)
    client.force_login(bewerker)
    page = client.get(review.get_absolute_url()).content.decode()
    ri = review.items.first()
    for option in trajectory_people(trajectory):
        # Escaped as the template does: generated names may hold an apostrophe (Sten van 't Wel).
        assert f'<option value="{option.key}">{escape(option.label)}</option>' in page
    assert f'value="u{lezer.pk}"' not in page
    assert f'id="a{ri.pk}-assignee"' in page


# Attendees -----------------------------------------------------------------------------------------------------


def test_attendees_are_one_pick_from_the_list_plus_guests(client, trajectory, bewerker, beheerder, lezer):
    figure = person(trajectory, "Wethouder Wit")
    review = start(trajectory, bewerker)
    url = reverse("trajectories:review_edit", args=[trajectory.pk, review.pk])
    client.force_login(bewerker)
    form = client.get(url).content.decode()
    assert 'name="present" value="u' in form and f'name="present" value="p{figure.pk}"' in form
    assert f'value="u{lezer.pk}"' not in form
    assert 'name="attendees"' not in form and 'name="stakeholders_present"' not in form
    response = client.post(
        url,
        {
            "version": review.version,
            "held_on": TODAY.isoformat(),
            "present": [f"u{beheerder.pk}", f"p{figure.pk}"],
            "other_attendees": "Gast Van Buiten",
            "summary": "",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    review.refresh_from_db()
    assert list(review.attendees.all()) == [beheerder]
    assert list(review.stakeholders_present.all()) == [figure]
    assert review.other_attendees == "Gast Van Buiten"
    shown = response.content.decode()
    assert f"{beheerder.get_full_name()}, Wethouder Wit, Gast Van Buiten" in shown
    refused = client.post(
        url, {"version": review.version, "held_on": TODAY.isoformat(), "present": [f"u{lezer.pk}"], "summary": ""}
    )
    assert refused.status_code == 200 and "is-invalid" in refused.content.decode()
    assert list(review.attendees.all()) == [beheerder]


def test_attendees_of_the_last_review_are_carried_over_with_persons_and_guests(client, trajectory, bewerker):
    figure = person(trajectory, "Wethouder Wit")
    member = person(trajectory, "Teamlid Tom", influence=1)
    membership = services.team_member_add(
        trajectory=trajectory, by=bewerker, stakeholder=member, joined_on=TODAY - dt.timedelta(days=40)
    )
    first = start(
        trajectory,
        bewerker,
        held_on=TODAY - dt.timedelta(days=14),
        attendees=[bewerker],
        stakeholders_present=[figure, member],
        other_attendees="Gast Van Buiten",
    )
    services.review_finalise(review=first, by=bewerker)
    services.team_member_leave(member=membership, by=bewerker, left_on=TODAY)  # no longer in the list
    client.force_login(bewerker)
    url = reverse("trajectories:review_start", args=[trajectory.pk])
    form = client.get(url).context["form"]
    assert sorted(form.initial["present"]) == [f"p{figure.pk}", f"u{bewerker.pk}"]
    assert form.initial["other_attendees"] == "Gast Van Buiten"
    body = client.get(url).content.decode()
    for key in (f"u{bewerker.pk}", f"p{figure.pk}"):
        assert re.search(rf'<input[^>]*name="present" value="{key}"[^>]*checked', body), key
    assert f'value="p{member.pk}"' not in body  # left the team: not offered, not ticked
    response = client.post(
        url,
        {
            "held_on": TODAY.isoformat(),
            "phases": [trajectory.current_phase],
            "present": form.initial["present"],
            "other_attendees": form.initial["other_attendees"],
        },
    )
    assert response.status_code == 302
    second = trajectory.reviews.get(finalised_at__isnull=True)
    assert list(second.attendees.all()) == [bewerker]
    assert list(second.stakeholders_present.all()) == [figure]
    assert attendees_of(second) == [bewerker.get_full_name(), "Wethouder Wit", "Gast Van Buiten"]


def test_editing_a_review_keeps_an_attendee_who_is_no_longer_in_the_list(client, trajectory, bewerker, lezer):
    review = start(trajectory, bewerker, attendees=[lezer])
    client.force_login(bewerker)
    url = reverse("trajectories:review_edit", args=[trajectory.pk, review.pk])
    assert f'value="u{lezer.pk}"' in client.get(url).content.decode()
    response = client.post(
        url, {"version": review.version, "held_on": TODAY.isoformat(), "present": [f"u{lezer.pk}"], "summary": "x"}
    )
    assert response.status_code == 302
    assert list(review.attendees.all()) == [lezer]


# Exports and reports -----------------------------------------------------------------------------------------


@pytest.fixture
def person_owned(trajectory, bewerker):
    figure = person(trajectory, "Jurist Jansen")
    review = start(trajectory, bewerker, attendees=[bewerker], stakeholders_present=[figure])
    ri = review.items.first()
    services.action_create(
        trajectory=trajectory, by=bewerker, review=review, item=ri.item, description="Inhaaltraining",
        owner_person=figure, due_on=TODAY + dt.timedelta(days=3),
    )  # fmt: skip
    services.action_create(
        trajectory=trajectory, by=bewerker, review=review, item=ri.item, description="Zaal", assignee=bewerker
    )
    services.review_finalise(review=review, by=bewerker)
    return trajectory


def test_actions_exports_show_person_owners_by_name(client, person_owned, bewerker):
    client.force_login(bewerker)
    csv_text = actions_file(client, "csv").content.decode("utf-8-sig")
    rows = {line.split(";")[1]: line.split(";")[3] for line in csv_text.splitlines()[1:]}
    assert rows == {"Inhaaltraining": "Jurist Jansen", "Zaal": bewerker.get_full_name()}
    sheet = load_workbook(io.BytesIO(actions_file(client, "xlsx").content)).active
    owners = {row[1]: row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert owners == {"Inhaaltraining": "Jurist Jansen", "Zaal": bewerker.get_full_name()}


def test_reports_show_person_owners_and_person_attendees(client, person_owned, lezer, bewerker):
    client.force_login(lezer)
    progress = client.get(reverse("trajectories:progress_report", args=[person_owned.pk])).content.decode()
    assert "Jurist Jansen" in progress.split("Inhaaltraining", 1)[1].split("</tr>", 1)[0]
    team = progress.split('id="team-heading"', 1)[1].split("</section>", 1)[0]
    assert f"{bewerker.get_full_name()}, Jurist Jansen" in team
    pdf = pdf_text(client.get(reverse("trajectories:progress_report_pdf", args=[person_owned.pk])))
    assert "Inhaaltraining" in pdf and "Jurist Jansen" in pdf
    phase = person_owned.current_phase
    html = client.get(reverse("trajectories:phase_report", args=[person_owned.pk, phase])).content.decode()
    assert "Inhaaltraining (Jurist Jansen" in html
    pdf = pdf_text(client.get(reverse("trajectories:phase_report_pdf", args=[person_owned.pk, phase])))
    assert "Inhaaltraining (Jurist Jansen" in pdf


# Ownership balance and mail ----------------------------------------------------------------------------------


def test_ownership_balance_counts_person_owned_tasks_by_their_side(trajectory, bewerker, municipality):
    receiver = OrganisationFactory(name="Ontvanger")
    trajectory.receiving_organisation = receiver
    trajectory.save()
    giving = person(trajectory, "Gever", side="gevend")
    receiving = person(trajectory, "Ontvanger Zonder Account", side="ontvangend")
    third = person(trajectory, "Derde", side="derden")
    for owner in (giving, receiving, receiving, third):
        services.action_create(trajectory=trajectory, by=bewerker, description="Taak", owner_person=owner)
    services.action_create(trajectory=trajectory, by=bewerker, description="Taak", assignee=bewerker)
    services.action_create(trajectory=trajectory, by=bewerker, description="Niemand")
    balance = selectors.ownership_balance(trajectory)
    assert (balance.giving, balance.receiving, balance.others, balance.unassigned) == (2, 2, 1, 1)


def test_a_person_without_an_account_gets_no_notification_and_no_mail(clock, trajectory, bewerker, beheerder):
    figure = person(trajectory, "Jurist Jansen")
    figure.person.email = "jurist@example.nl"  # even with a work address: no account, no mail
    figure.person.save()
    due = timezone.localdate(clock.now) + dt.timedelta(days=1)
    action = services.action_create(
        trajectory=trajectory, by=beheerder, description="Inhaaltraining", owner_person=figure, due_on=due
    )
    overdue = services.action_create(
        trajectory=trajectory, by=beheerder, description="Te laat", owner_person=figure, due_on=due - dt.timedelta(3)
    )
    assert not Notification.objects.filter(object_id__in=[action.pk, overdue.pk]).exists()
    send_notifications(now=clock.now)
    send_notifications(now=clock.now + dt.timedelta(days=1))
    assert not Notification.objects.filter(object_id__in=[action.pk, overdue.pk], kind__startswith="action").exists()
    assert not OutgoingMail.objects.filter(to__icontains="jurist@example.nl").exists()
    # The same action with an account as owner is announced: the test would notice if nothing were sent at all.
    services.action_update(
        action=action, by=beheerder, expected_version=None, description="Inhaaltraining", assignee=bewerker, due_on=due
    )
    assert Notification.objects.filter(object_id=action.pk, recipient=bewerker).exists()


# Query budgets stay flat ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("people", [1, 12])
def test_pages_with_owner_pickers_stay_within_their_budgets(
    client, trajectory, bewerker, django_assert_max_num_queries, people
):
    for n in range(people):
        figure = person(trajectory, f"Persoon {n:02d}")
        services.action_create(trajectory=trajectory, by=bewerker, description=f"Taak {n}", owner_person=figure)
    review = start(trajectory, bewerker, stakeholders_present=list(trajectory.stakeholders.all()))
    client.force_login(bewerker)
    with django_assert_max_num_queries(12):
        assert client.get(review.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("trajectories:actions", args=[trajectory.pk])).status_code == 200
    action = trajectory.actions.first()
    with django_assert_max_num_queries(12):
        assert client.get(reverse("trajectories:action", args=[trajectory.pk, action.pk])).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("trajectories:plan", args=[trajectory.pk])).status_code == 200
