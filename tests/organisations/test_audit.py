"""The audit log: what the real views record, that it survives rollbacks, that it cannot be changed,
and the beheerder's page with its filters and exports."""

import csv
import io

import pytest
from django.contrib.admin.sites import site as admin_site
from django.db import DatabaseError, connection, transaction
from django.db.models.signals import post_delete, post_save
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from organisations import audit
from organisations.audit import NOT_AUDITED
from organisations.models import AuditEvent, AuditLogImmutable, Membership, Organisation, Role
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, make_trajectory
from trajectories import services
from trajectories.models import ReviewItem

Action = AuditEvent.Action
Result = AuditEvent.Result


def events(**filters):
    return list(AuditEvent.objects.filter(**filters).order_by("pk"))


def one_event(**filters):
    found = events(**filters)
    assert len(found) == 1, found
    return found[0]


def open_review_item(trajectory, by):
    review = services.review_start(
        trajectory=trajectory, by=by, held_on=timezone.localdate(), phases=[trajectory.current_phase]
    )
    return review, review.items.first()


def audit_url(org):
    return reverse("organisations:audit_log", args=[org.pk])


# --- Logins --------------------------------------------------------------------------------------------


def test_a_login_is_recorded_with_user_ip_and_path(client, bewerker):
    response = client.post(reverse("login"), {"username": bewerker.email, "password": PASSWORD})
    assert response.status_code == 302
    event = one_event(action=Action.LOGIN)
    assert (event.actor, event.actor_email, event.result) == (bewerker, bewerker.email, Result.SUCCESS)
    assert event.ip_address == "127.0.0.1"
    assert (event.method, event.path) == ("POST", reverse("login"))
    assert event.organisation is None
    assert event.object_label == f"User #{bewerker.pk}"


def test_a_failed_login_is_recorded_as_failed_for_the_account_it_named(client, bewerker):
    client.post(reverse("login"), {"username": bewerker.email, "password": "fout-wachtwoord"})
    event = one_event(action=Action.LOGIN_FAILED)
    assert (event.actor, event.result) == (bewerker, Result.FAILED)
    assert not events(action=Action.LOGIN)


def test_a_failed_login_for_an_unknown_address_keeps_the_address_but_never_other_text(client, db):
    client.post(reverse("login"), {"username": "niemand@example.org", "password": "geheim-wachtwoord"})
    client.post(reverse("login"), {"username": "mijn-wachtwoord-per-ongeluk", "password": "x"})
    first, second = events(action=Action.LOGIN_FAILED)
    assert (first.actor, first.actor_email) == (None, "niemand@example.org")
    assert second.actor_email == ""


def test_logout_is_recorded(client, bewerker):
    client.force_login(bewerker)
    client.post(reverse("logout"))
    event = one_event(action=Action.LOGOUT)
    assert event.actor == bewerker
    assert event.method == "POST"


def test_a_lockout_is_recorded_as_refused(client, bewerker):
    wrong = {"username": bewerker.email, "password": "fout-wachtwoord"}
    for _ in range(5):
        client.post(reverse("login"), wrong)
    event = one_event(action=Action.LOCKOUT)
    assert (event.actor, event.result) == (bewerker, Result.REFUSED)
    assert len(events(action=Action.LOGIN_FAILED)) == 5


def test_the_forwarded_address_counts_only_behind_a_trusted_proxy(client, bewerker, settings):
    data = {"username": bewerker.email, "password": "fout-wachtwoord"}
    client.post(reverse("login"), data, HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.1")
    settings.FII_TRUST_X_FORWARDED_FOR = True
    client.post(reverse("login"), data, HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.1")
    untrusted, trusted = events(action=Action.LOGIN_FAILED)
    assert untrusted.ip_address == "127.0.0.1"
    assert trusted.ip_address == "203.0.113.9"


# --- Changes by the real views -------------------------------------------------------------------------


def test_a_trajectory_edit_records_the_changed_field_names_not_the_values(client, bewerker, trajectory):
    client.force_login(bewerker)
    response = client.post(
        reverse("trajectories:edit", args=[trajectory.pk]),
        {
            "title": "Schuldhulp Later",
            "start_date": "2026-01-01",
            "status": "actief",
            "review_interval": "tweewekelijks",
            "version": trajectory.version,
        },
    )
    assert response.status_code == 302
    event = one_event(action=Action.UPDATE, object_type="trajectories.Trajectory")
    assert "title" in event.changed_fields and "start_date" in event.changed_fields
    assert event.organisation == trajectory.owner
    assert (event.actor, event.method, event.result) == (bewerker, "POST", Result.SUCCESS)
    assert "Schuldhulp Vroeg" not in str(event.changed_fields)


def test_a_review_light_set_by_htmx_is_recorded(client, bewerker, trajectory):
    review, item = open_review_item(trajectory, bewerker)
    client.force_login(bewerker)
    response = client.post(
        reverse("trajectories:review_item", args=[trajectory.pk, review.pk, item.pk]),
        {"colour": "rood"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    event = one_event(action=Action.UPDATE, object_type="trajectories.ReviewItem")
    assert event.object_id == str(item.pk)
    assert event.object_label == f"ReviewItem #{item.pk}"
    assert "colour" in event.changed_fields
    assert event.organisation == trajectory.owner
    assert event.actor == bewerker


def test_a_request_writes_its_events_with_one_insert(client, bewerker, trajectory):
    review, item = open_review_item(trajectory, bewerker)
    client.force_login(bewerker)
    url = reverse("trajectories:review_item", args=[trajectory.pk, review.pk, item.pk])
    with CaptureQueriesContext(connection) as queries:
        client.post(url, {"colour": "groen", "note": "Loopt"}, headers={"HX-Request": "true"})
    inserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "organisations_auditevent"')]
    assert len(inserts) == 1


def test_creating_and_deleting_through_a_service_is_recorded_with_the_owner(bewerker, trajectory):
    milestone = services.milestone_save(trajectory=trajectory, by=bewerker, title="Start", due_on=timezone.localdate())
    created = one_event(action=Action.CREATE, object_type="trajectories.Milestone")
    assert created.organisation == trajectory.owner
    milestone.delete()
    deleted = one_event(action=Action.DELETE, object_type="trajectories.Milestone")
    assert deleted.object_id == str(created.object_id)


def test_labels_never_hold_a_persons_name(client, beheerder, bewerker, trajectory):
    stakeholder = services.stakeholder_add(
        trajectory=trajectory,
        by=bewerker,
        person_fields={"name": "Fenna Wethouder", "email": "fenna@example.nl"},
        side="derden",
        level="wethouder",
        influence=5,
        support="neutraal",
        desired_support="steunend",
    )
    client.force_login(beheerder)
    client.post(
        reverse("trajectories:person_erase", args=[trajectory.owner_id, stakeholder.person_id]), {"confirm": "on"}
    )
    assert events(object_type="trajectories.Stakeholder")[0].object_label == f"Stakeholder #{stakeholder.pk}"
    assert one_event(action=Action.ERASE).object_label == f"Person #{stakeholder.person_id}"
    assert not AuditEvent.objects.filter(object_label__icontains="Fenna").exists()
    assert not AuditEvent.objects.filter(detail__icontains="Fenna").exists()


def test_every_domain_model_has_the_generic_hooks():
    from django.apps import apps

    for app in ("organisations", "trajectories"):
        for model in apps.get_app_config(app).get_models():
            if model is AuditEvent or model.__name__.startswith("Historical"):
                continue  # history copies are written with the row whose own event says it all
            if model._meta.label in NOT_AUDITED:
                assert not post_save.has_listeners(model), model
                continue  # the outbox: a delivery queue, audited where a mail is made
            assert post_save.has_listeners(model) and post_delete.has_listeners(model), model
    assert not post_save.has_listeners(AuditEvent)


# --- Exports and PDFs ----------------------------------------------------------------------------------


def test_a_report_pdf_is_recorded(client, lezer, trajectory):
    client.force_login(lezer)
    response = client.get(reverse("trajectories:progress_report_pdf", args=[trajectory.pk]))
    assert response.status_code == 200
    event = one_event(action=Action.PDF)
    assert (event.object_type, event.object_id) == ("trajectories.Trajectory", str(trajectory.pk))
    assert (event.actor, event.organisation, event.detail) == (lezer, trajectory.owner, "progress")


def test_the_html_report_is_not_an_export(client, lezer, trajectory):
    client.force_login(lezer)
    client.get(reverse("trajectories:progress_report", args=[trajectory.pk]))
    assert not events(action=Action.PDF)


def test_a_person_export_is_recorded_without_the_name(client, beheerder, bewerker, trajectory):
    stakeholder = services.stakeholder_add(
        trajectory=trajectory,
        by=bewerker,
        person_fields={"name": "Fenna Wethouder"},
        side="derden",
        level="wethouder",
        influence=5,
        support="neutraal",
        desired_support="steunend",
    )
    client.force_login(beheerder)
    response = client.get(reverse("trajectories:person_export", args=[trajectory.owner_id, stakeholder.person_id]))
    assert response.status_code == 200
    event = one_event(action=Action.EXPORT)
    assert event.object_label == f"Person #{stakeholder.person_id}"
    assert (event.actor, event.organisation, event.detail) == (beheerder, trajectory.owner, "json")


def test_spreadsheet_exports_are_recorded_per_organisation_in_the_file(client, beheerder, trajectory):
    client.force_login(beheerder)
    client.get(reverse("trajectories:portfolio_export", args=["xlsx"]))
    event = one_event(action=Action.EXPORT)
    assert (event.object_type, event.organisation, event.detail) == (
        "trajectories.Trajectory",
        trajectory.owner,
        "xlsx",
    )


def test_a_calendar_feed_is_recorded_for_the_tokens_user(client, lezer, trajectory):
    from trajectories.models import CalendarToken

    token = CalendarToken.objects.get_or_create(user=lezer)[0].token
    assert client.get(reverse("trajectories:calendar_feed", args=[token])).status_code == 200
    event = one_event(action=Action.EXPORT, detail="ics")
    assert (event.actor, event.organisation) == (lezer, trajectory.owner)


# --- Permission changes --------------------------------------------------------------------------------


def test_membership_role_change_and_removal_are_permission_changes(client, beheerder, lezer, municipality):
    membership = Membership.objects.get(user=lezer, organisation=municipality)
    client.force_login(beheerder)
    url = reverse("organisations:member_update", args=[municipality.pk, membership.pk])
    client.post(url, {"role": Role.BEWERKER})
    client.post(url, {"action": "remove"})
    changed, removed = events(action=Action.PERMISSION, actor=beheerder)
    assert changed.changed_fields == ["role"]
    assert changed.detail == f"user #{lezer.pk}: bewerker"
    assert (changed.actor, changed.organisation, changed.result) == (beheerder, municipality, Result.SUCCESS)
    assert removed.detail == f"user #{lezer.pk}: removed"


def test_adding_a_member_is_a_permission_change(client, beheerder, municipality):
    """Since invitations (issue 17) a membership starts when the invitee accepts: that is the permission change."""
    from organisations.models import Invitation
    from tests.organisations.test_invitations import link_of, path_of

    newcomer = UserFactory(email="nieuw@testdam.nl")
    client.force_login(beheerder)
    client.post(reverse("organisations:detail", args=[municipality.pk]), {"email": newcomer.email, "role": "lezer"})
    assert not Membership.objects.filter(user=newcomer).exists()
    client.force_login(newcomer)
    client.post(path_of(link_of(Invitation.objects.get().pk)), {"answer": "accept"})
    event = one_event(action=Action.PERMISSION, detail=f"user #{newcomer.pk}: lezer")
    assert event.organisation == municipality


def test_a_refused_demotion_of_the_last_beheerder_is_recorded_as_refused(client, beheerder, municipality):
    membership = Membership.objects.get(user=beheerder, organisation=municipality)
    client.force_login(beheerder)
    client.post(reverse("organisations:member_update", args=[municipality.pk, membership.pk]), {"role": "lezer"})
    event = one_event(action=Action.PERMISSION, actor=beheerder)
    assert event.result == Result.REFUSED
    assert Membership.objects.get(pk=membership.pk).role == Role.BEHEERDER


def test_deactivating_a_user_is_a_permission_change_for_each_of_their_organisations(bewerker, municipality):
    MembershipFactory(user=bewerker, organisation=OrganisationFactory(name="Welzijn Zuid"))
    bewerker.is_active = False
    bewerker.save()
    found = events(action=Action.PERMISSION, object_type="organisations.User")
    assert {e.organisation.name for e in found} == {"Gemeente Testdam", "Welzijn Zuid"}
    assert all(e.changed_fields == ["is_active", "session_epoch"] for e in found)


# --- Rollback survival ---------------------------------------------------------------------------------


def _failing_change():
    with transaction.atomic():
        Organisation.objects.create(name="Nooit Bewaard")
        raise RuntimeError("the service fails after its write")


def test_an_event_inside_a_rolled_back_block_is_kept_as_rolled_back(db):
    with audit.collecting(), pytest.raises(RuntimeError):
        _failing_change()
    assert not Organisation.objects.filter(name="Nooit Bewaard").exists()
    event = one_event(object_type="organisations.Organisation")
    assert (event.action, event.result, event.object_label) == (Action.CREATE, Result.ROLLED_BACK, "Nooit Bewaard")


@pytest.mark.django_db(transaction=True)
def test_rollback_survival_with_real_transactions():
    with audit.collecting(), pytest.raises(RuntimeError):
        _failing_change()
    with audit.collecting(), transaction.atomic():
        Organisation.objects.create(name="Wel Bewaard")
    assert not Organisation.objects.filter(name="Nooit Bewaard").exists()
    assert one_event(object_label="Nooit Bewaard").result == Result.ROLLED_BACK
    assert one_event(object_label="Wel Bewaard").result == Result.SUCCESS


@pytest.mark.django_db(transaction=True)
def test_a_view_whose_service_fails_still_leaves_its_audit_row(client, monkeypatch):
    org = OrganisationFactory(name="Gemeente Testdam")
    bewerker = MembershipFactory(organisation=org, role=Role.BEWERKER, user=UserFactory(email="b@testdam.nl")).user
    trajectory = make_trajectory(owner=org, by=bewerker)
    review, item = open_review_item(trajectory, bewerker)

    def fail(review):
        raise RuntimeError("light could not be derived")

    monkeypatch.setattr("trajectories.services.reviews._refresh_overall_light", fail)
    client.force_login(bewerker)
    client.raise_request_exception = False
    response = client.post(
        reverse("trajectories:review_item", args=[trajectory.pk, review.pk, item.pk]),
        {"colour": "rood"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 500
    assert ReviewItem.objects.get(pk=item.pk).colour == ""
    event = one_event(action=Action.UPDATE, object_type="trajectories.ReviewItem")
    assert (event.result, event.actor, event.organisation) == (Result.ROLLED_BACK, bewerker, org)


# --- Audit with the change (issue 16, finding 6) ---------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_changed_row_only_the_rolled_back_attempt():
    org = OrganisationFactory(name="Gemeente Vast")
    with audit.collecting(), pytest.raises(RuntimeError), transaction.atomic():
        org.name = "Gemeente Nooit"
        org.save()
        # Inside the transaction the row is there already, with the change.
        assert AuditEvent.objects.filter(object_id=str(org.pk), action=Action.UPDATE).exists()
        raise RuntimeError("the service fails after its write")
    org.refresh_from_db()
    assert org.name == "Gemeente Vast"
    assert not AuditEvent.objects.filter(object_id=str(org.pk), action=Action.UPDATE, result=Result.SUCCESS).exists()
    assert one_event(object_id=str(org.pk), action=Action.UPDATE).result == Result.ROLLED_BACK


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_keeps_its_row_when_the_connection_fails_after_the_commit(client, monkeypatch):
    org = OrganisationFactory(name="Gemeente Testdam")
    bewerker = MembershipFactory(organisation=org, role=Role.BEWERKER, user=UserFactory(email="b@testdam.nl")).user
    trajectory = make_trajectory(owner=org, by=bewerker)

    def dropped(*args, **kwargs):
        raise DatabaseError("server closed the connection unexpectedly")

    # Everything the request would write after the view's transaction committed now fails.
    monkeypatch.setattr(AuditEvent.objects, "bulk_create", dropped)
    client.force_login(bewerker)
    client.raise_request_exception = False
    client.post(
        reverse("trajectories:milestone_create", args=[trajectory.pk]), {"title": "Kick-off", "due_on": "2026-12-01"}
    )
    milestone = trajectory.milestones.get(title="Kick-off")
    event = one_event(action=Action.CREATE, object_type="trajectories.Milestone")
    assert (event.object_id, event.result, event.actor) == (str(milestone.pk), Result.SUCCESS, bewerker)


@pytest.mark.django_db(transaction=True)
def test_a_change_whose_audit_row_cannot_be_written_does_not_stand(client, monkeypatch):
    """A failure between the change and its audit row takes the change with it, even where the service saves
    one row without a transaction of its own (the request's transaction holds both)."""
    org = OrganisationFactory(name="Gemeente Testdam")
    bewerker = MembershipFactory(organisation=org, role=Role.BEWERKER, user=UserFactory(email="b@testdam.nl")).user
    trajectory = make_trajectory(owner=org, by=bewerker)
    real_save = AuditEvent.save

    def fail_for_milestones(event, *args, **kwargs):
        if event.object_type == "trajectories.Milestone":
            raise DatabaseError("connection lost before the audit row")
        return real_save(event, *args, **kwargs)

    monkeypatch.setattr(AuditEvent, "save", fail_for_milestones)
    client.force_login(bewerker)
    client.raise_request_exception = False
    response = client.post(
        reverse("trajectories:milestone_create", args=[trajectory.pk]), {"title": "Kick-off", "due_on": "2026-12-01"}
    )
    assert response.status_code == 500
    assert not trajectory.milestones.exists()
    assert not AuditEvent.objects.filter(object_type="trajectories.Milestone", result=Result.SUCCESS).exists()
    assert one_event(object_type="trajectories.Milestone").result == Result.ROLLED_BACK


# --- Immutability --------------------------------------------------------------------------------------


def test_events_cannot_be_changed_or_deleted(db):
    event = audit.record(Action.EXPORT, object_type="organisations.Organisation")
    event.detail = "anders"
    with pytest.raises(AuditLogImmutable):
        event.save()
    with pytest.raises(AuditLogImmutable):
        event.delete()
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(detail="anders")
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


def test_removing_an_account_keeps_its_entries_with_the_address(bewerker):
    event = audit.record(Action.LOGIN, obj=bewerker, organisation=None, actor=bewerker)
    bewerker.delete()
    kept = AuditEvent.objects.get(pk=event.pk)
    assert (kept.actor_id, kept.actor_email) == (event.actor_id, "bewerker@testdam.nl")


def test_the_admin_is_read_only(admin_client, rf, admin_user):
    audit.record(Action.EXPORT, object_type="organisations.Organisation")
    model_admin = admin_site._registry[AuditEvent]
    request = rf.get("/")
    request.user = admin_user
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert admin_client.get(reverse("admin:organisations_auditevent_changelist")).status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_raw_update_and_delete(db):
    event = audit.record(Action.EXPORT, object_type="organisations.Organisation")
    refused = [
        "UPDATE organisations_auditevent SET detail = 'x' WHERE id = %s",
        "DELETE FROM organisations_auditevent WHERE id = %s",
    ]
    for sql in refused:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, detail="").exists()


# --- The beheerder's page ------------------------------------------------------------------------------


@pytest.fixture
def logged(municipality, outsider_org, beheerder, bewerker, outsider):
    """Events of both organisations, and a login of a member and of an outsider."""
    audit.record(Action.EXPORT, object_type="trajectories.Trajectory", organisation=municipality, actor=bewerker)
    audit.record(Action.DELETE, object_type="trajectories.Milestone", label="Geheim Elders", organisation=outsider_org)
    audit.record(Action.LOGIN, obj=bewerker, organisation=None, actor=bewerker)
    audit.record(Action.LOGIN, obj=outsider, organisation=None, actor=outsider)


def test_beheerder_sees_only_their_organisations_events_and_members_logins(client, beheerder, bewerker, logged):
    client.force_login(beheerder)
    response = client.get(reverse("organisations:audit_log", args=[beheerder.memberships.get().organisation_id]))
    assert response.status_code == 200
    shown = list(response.context["page"].object_list)
    assert {(e.action, e.actor_email) for e in shown} >= {("export", bewerker.email), ("login", bewerker.email)}
    assertNotContains(response, "Geheim Elders")
    assertNotContains(response, "beheerder@elders.nl")
    assertContains(response, "<caption")
    assertContains(response, 'scope="col"')


def test_the_organisation_page_links_to_the_audit_log_for_beheerders_only(client, beheerder, lezer, municipality):
    url = reverse("organisations:audit_log", args=[municipality.pk])
    client.force_login(beheerder)
    assertContains(client.get(reverse("organisations:detail", args=[municipality.pk])), url)
    client.force_login(lezer)
    assertNotContains(client.get(reverse("organisations:detail", args=[municipality.pk])), url)


def test_filters_by_action_user_type_and_period(client, beheerder, bewerker, municipality, logged):
    client.force_login(beheerder)
    url = reverse("organisations:audit_log", args=[municipality.pk])

    def shown(**query):
        return [(e.action, e.object_type) for e in client.get(url, query).context["page"].object_list]

    assert shown(action="export") == [("export", "trajectories.Trajectory")]
    assert shown(user=bewerker.pk, object_type="organisations.User") == [("login", "organisations.User")]
    today = timezone.localdate()
    assert len(shown(van=today.isoformat(), tot=today.isoformat(), user=bewerker.pk)) == 2
    assert shown(van=(today + timezone.timedelta(days=1)).isoformat()) == []


def test_an_invalid_period_is_reported_next_to_the_field_and_kept(client, beheerder, municipality, logged):
    client.force_login(beheerder)
    response = client.get(audit_url(municipality), {"van": "2026-05-02", "tot": "2026-05-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["tot"] == ["Het einde van de periode ligt vóór het begin."]
    assertContains(response, 'value="2026-05-01"')


def test_newest_first_fifty_to_a_page_within_the_query_budget(
    client, beheerder, municipality, django_assert_max_num_queries
):
    AuditEvent.objects.bulk_create(
        AuditEvent(action=Action.UPDATE, object_type="trajectories.Action", object_id=str(n), organisation=municipality)
        for n in range(60)
    )
    client.force_login(beheerder)
    with django_assert_max_num_queries(12):
        response = client.get(audit_url(municipality), {"object_type": "trajectories.Action"})
    page = response.context["page"]
    assert len(page.object_list) == 50 and page.paginator.count == 60
    assert page.object_list[0].object_id == "59"
    with django_assert_max_num_queries(12):
        response = client.get(audit_url(municipality), {"object_type": "trajectories.Action", "page": 2})
    assert len(response.context["page"].object_list) == 10
    assertContains(response, "?object_type=trajectories.Action&amp;page=1")


def test_the_page_itself_writes_no_audit_event(client, beheerder, municipality):
    client.force_login(beheerder)
    before = AuditEvent.objects.count()
    client.get(audit_url(municipality))
    assert AuditEvent.objects.count() == before


def test_csv_export_holds_the_filtered_events_and_is_itself_recorded(client, beheerder, bewerker, municipality, logged):
    client.force_login(beheerder)
    url = reverse("organisations:audit_log_export", args=[municipality.pk, "csv"])
    response = client.get(url, {"action": "export"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store, private"  # private: every logged-in answer (issue 16)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Wanneer", "Gebruiker", "Actie"]
    assert len(rows) == 2
    assert rows[1][1:4] == [bewerker.email, "Geëxporteerd", "Traject"]
    exported = AuditEvent.objects.filter(object_type="organisations.AuditEvent").get()
    assert (exported.actor, exported.organisation, exported.detail) == (beheerder, municipality, "csv")


def test_xlsx_export_opens_with_openpyxl(client, beheerder, municipality, logged):
    from openpyxl import load_workbook

    client.force_login(beheerder)
    url = reverse("organisations:audit_log_export", args=[municipality.pk, "xlsx"])
    response = client.get(url, {"action": "login", "object_type": "organisations.User"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=1, column=1).value == "Wanneer"
    emails = {sheet.cell(row=n, column=2).value for n in range(2, sheet.max_row + 1)}
    assert emails == {"beheerder@testdam.nl", "bewerker@testdam.nl"}  # members' logins, not the outsider's


def test_export_of_an_unknown_format_is_404(client, beheerder, municipality):
    client.force_login(beheerder)
    assert client.get(reverse("organisations:audit_log_export", args=[municipality.pk, "pdf"])).status_code == 404


def test_outsider_cannot_read_or_export_another_organisations_log(client, outsider, municipality, logged):
    client.force_login(outsider)
    assert client.get(audit_url(municipality)).status_code == 404
    assert client.get(reverse("organisations:audit_log_export", args=[municipality.pk, "csv"])).status_code == 404
