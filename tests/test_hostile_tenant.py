"""Issue 16: an auditor's hostile tenant and hostile input, each scenario as a test that now fails to leak.

Personas: Gemeente Testdam (beheerder, bewerker, lezer; owner of the trajectory), Gemeente Elders (the
"outsider" beheerder, plus a bewerker made here) that is added to Testdam's trajectory and later removed.
"""

import pytest
from django.urls import reverse

from organisations.models import Notice, Organisation, Person, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, make_trajectory
from trajectories import services
from trajectories.models import Stakeholder

STAKEHOLDER_POST = {"side": "derden", "level": "wethouder", "influence": "5", "support": "neutraal"}


@pytest.fixture
def elders_bewerker(outsider_org):
    return MembershipFactory(
        user=UserFactory(email="bewerker@elders.nl"), organisation=outsider_org, role=Role.BEWERKER
    ).user


@pytest.fixture
def wethouder(trajectory, bewerker):
    """Testdam's wethouder, in Testdam's register (kept by Testdam)."""
    return services.stakeholder_add(
        trajectory=trajectory,
        by=bewerker,
        person_fields={"name": "Wethouder Willemijn", "function": "Wethouder", "email": "w@testdam.nl"},
        side="gevend",
        level="wethouder",
        influence=5,
        support="steunend",
        desired_support="ambassadeur",
    ).person


@pytest.fixture
def elders_trajectory(outsider_org, elders_bewerker):
    return make_trajectory(owner=outsider_org, by=elders_bewerker, title="Elders Eigen Traject")


def _link(client, trajectory, person):
    return client.post(
        reverse("trajectories:stakeholder_add", args=[trajectory.pk]),
        {**STAKEHOLDER_POST, "person": person.pk, "desired_support": "steunend"},
    )


# Finding 1: persons belong to the organisation that keeps them ------------------------------------


def test_outsider_cannot_link_a_person_of_an_organisation_it_shares_nothing_with(
    client, wethouder, elders_trajectory, elders_bewerker
):
    client.force_login(elders_bewerker)
    response = _link(client, elders_trajectory, wethouder)
    assert response.status_code == 400
    assert not Stakeholder.objects.filter(trajectory=elders_trajectory).exists()
    page = client.get(reverse("trajectories:stakeholder_add", args=[elders_trajectory.pk])).content.decode()
    assert "Wethouder Willemijn" not in page


def test_issue_scenario_the_link_becomes_an_own_copy_when_the_sharing_ends(
    client, trajectory, wethouder, elders_trajectory, elders_bewerker, beheerder, outsider_org
):
    services.trajectory_participant_add(trajectory=trajectory, by=beheerder, organisation=outsider_org)
    client.force_login(elders_bewerker)
    # While both take part in Testdam's trajectory, Elders may link the wethouder into its own trajectory.
    assert _link(client, elders_trajectory, wethouder).status_code == 302
    link = Stakeholder.objects.get(trajectory=elders_trajectory)
    assert link.person == wethouder

    # Elders edits its register row, but cannot change Testdam's person record.
    edit = reverse("trajectories:stakeholder_edit", args=[elders_trajectory.pk, link.pk])
    page = client.get(edit).content.decode()
    assert 'name="name"' not in page
    assert "Gemeente Testdam" in page  # who keeps the details is said
    data = {**STAKEHOLDER_POST, "desired_support": "steunend", "name": "Gekaapt", "notes": "x", "version": link.version}
    response = client.post(edit, data)
    assert response.status_code == 302
    wethouder.refresh_from_db()
    assert wethouder.name == "Wethouder Willemijn"

    # The sharing ends: the link turns into Elders' own, separately kept record.
    client.force_login(beheerder)
    url = reverse("trajectories:participant_remove", args=[trajectory.pk, outsider_org.pk])
    assert client.post(url).status_code == 302
    link.refresh_from_db()
    assert link.person != wethouder
    assert link.person.organisation == outsider_org
    assert link.person.name == "Wethouder Willemijn"
    assert list(wethouder.stakeholder_roles.values_list("trajectory_id", flat=True)) == [trajectory.pk]

    # Testdam's later changes and its erasure no longer reach Elders' copy, and the reverse holds too.
    services.person_erase(person=wethouder, by=beheerder)
    link.person.refresh_from_db()
    assert link.person.name == "Wethouder Willemijn"
    export = services.person_export(person=wethouder)
    assert [row["trajectory"] for row in export["trajectories"]] == [trajectory.title]
    # And Elders cannot link Testdam's person again.
    client.force_login(elders_bewerker)
    other = make_trajectory(owner=outsider_org, by=elders_bewerker, title="Nog Een")
    assert wethouder not in services.linkable_persons(trajectory=other, user=elders_bewerker)


def test_erasure_by_the_keeper_reaches_a_link_while_it_is_shared(
    trajectory, wethouder, elders_trajectory, elders_bewerker, beheerder, outsider_org
):
    services.trajectory_participant_add(trajectory=trajectory, by=beheerder, organisation=outsider_org)
    link = services.stakeholder_add(
        trajectory=elders_trajectory,
        by=elders_bewerker,
        person=wethouder,
        side="derden",
        level="wethouder",
        influence=4,
        support="neutraal",
        desired_support="steunend",
    )
    services.person_erase(person=wethouder, by=beheerder)
    link.refresh_from_db()
    assert link.person.is_erased
    # Ending the sharing afterwards keeps the erasure: the copy is anonymous too.
    services.trajectory_participant_remove(trajectory=trajectory, by=beheerder, organisation=outsider_org)
    link.refresh_from_db()
    assert link.person.organisation == outsider_org
    assert link.person.is_erased


def test_service_refuses_a_person_outside_the_sharing(trajectory, wethouder, elders_trajectory, elders_bewerker):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.stakeholder_add(
            trajectory=elders_trajectory,
            by=elders_bewerker,
            person=wethouder,
            side="derden",
            level="wethouder",
            influence=4,
            support="neutraal",
            desired_support="steunend",
        )


def test_service_refuses_person_details_from_another_organisations_member(
    trajectory, wethouder, beheerder, outsider_org, outsider
):
    from django.core.exceptions import PermissionDenied

    services.trajectory_participant_add(trajectory=trajectory, by=beheerder, organisation=outsider_org)
    stakeholder = wethouder.stakeholder_roles.get()
    with pytest.raises(PermissionDenied):
        services.stakeholder_update(stakeholder=stakeholder, by=outsider, person_fields={"name": "Gekaapt"})
    wethouder.refresh_from_db()
    assert wethouder.name == "Wethouder Willemijn"


def test_keeping_organisation_still_edits_its_person(client, trajectory, wethouder, bewerker):
    client.force_login(bewerker)
    stakeholder = wethouder.stakeholder_roles.get()
    edit = reverse("trajectories:stakeholder_edit", args=[trajectory.pk, stakeholder.pk])
    data = {**STAKEHOLDER_POST, "support": "steunend", "desired_support": "ambassadeur", "name": "W. Willemijn"}
    data.update(version=stakeholder.version, person_version=wethouder.version)
    assert client.post(edit, data).status_code == 302
    wethouder.refresh_from_db()
    assert wethouder.name == "W. Willemijn"


# Finding 2: who takes part is the owner's decision -------------------------------------------------


def test_edit_form_no_longer_offers_organisations(client, trajectory, bewerker, outsider_org):
    client.force_login(bewerker)
    page = client.get(reverse("trajectories:edit", args=[trajectory.pk])).content.decode()
    assert "Gemeente Elders" not in page
    assert 'name="participants"' not in page
    assert 'name="receiving_organisation"' not in page
    data = {
        "title": "Schuldhulp Vroeg",
        "start_date": "2026-01-01",
        "status": "actief",
        "review_interval": trajectory.review_interval,
        "version": trajectory.version,
        "participants": [outsider_org.pk],
        "receiving_organisation": outsider_org.pk,
    }
    assert client.post(reverse("trajectories:edit", args=[trajectory.pk]), data).status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.organisation_ids() == {trajectory.owner_id}


ROLES = ["lezer", "bewerker", "beheerder"]


@pytest.mark.parametrize("side", ["owner", "receiving", "participant"])
@pytest.mark.parametrize("role", ROLES)
def test_only_beheerders_of_the_giving_organisation_add_participants(client, trajectory, side, role):
    """Every role in every kind of organisation taking part, against the add and remove actions."""
    org = trajectory.owner if side == "owner" else OrganisationFactory(name=f"Organisatie {side}")
    if side == "receiving":
        trajectory.receiving_organisation = org
        trajectory.save()
    elif side == "participant":
        trajectory.participants.add(org)
    user = MembershipFactory(user=UserFactory(email=f"{role}-{side}@example.nl"), organisation=org, role=role).user
    target = OrganisationFactory(name="Gemeente Doelstad")
    client.force_login(user)
    add = client.post(reverse("trajectories:participant_add", args=[trajectory.pk]), {"organisation": target.pk})
    allowed = side == "owner" and role == "beheerder"
    assert add.status_code == (302 if allowed else 403)
    assert trajectory.participants.filter(pk=target.pk).exists() == allowed
    assert Notice.objects.filter(organisation=target).exists() == allowed
    remove_org = OrganisationFactory(name="Gemeente Wegstad")
    trajectory.participants.add(remove_org)
    remove = client.post(reverse("trajectories:participant_remove", args=[trajectory.pk, remove_org.pk]))
    assert remove.status_code == (302 if allowed else 403)
    assert trajectory.participants.filter(pk=remove_org.pk).exists() != allowed


def test_outsider_gets_404_on_the_organisations_page(client, trajectory, outsider):
    client.force_login(outsider)
    assert client.get(reverse("trajectories:organisations", args=[trajectory.pk])).status_code == 404
    response = client.post(reverse("trajectories:participant_add", args=[trajectory.pk]), {"organisation": 1})
    assert response.status_code == 404


def test_picker_searches_by_name_and_never_lists_every_tenant(client, trajectory, beheerder):
    OrganisationFactory(name="Gemeente Zoekstad")
    OrganisationFactory(name="Stichting Geheim")
    client.force_login(beheerder)
    url = reverse("trajectories:organisations", args=[trajectory.pk])
    assert "Zoekstad" not in client.get(url).content.decode()
    short = client.get(url, {"q": "Zo"}).content.decode()
    assert "Zoekstad" not in short
    assert "Typ ten minste 3 letters" in short
    found = client.get(url, {"q": "zoek"}).content.decode()
    assert "Gemeente Zoekstad" in found
    assert "Stichting Geheim" not in found
    # The same search as an htmx request answers with the results only.
    partial = client.get(url, {"q": "zoek"}, headers={"HX-Request": "true"}).content.decode()
    assert "Gemeente Zoekstad" in partial
    assert "<html" not in partial


def test_added_organisations_beheerders_are_told(client, trajectory, beheerder, outsider, outsider_org):
    client.force_login(beheerder)
    client.post(reverse("trajectories:participant_add", args=[trajectory.pk]), {"organisation": outsider_org.pk})
    notice = Notice.objects.get(organisation=outsider_org)
    assert notice.subject == trajectory.title
    assert notice.by_organisation == "Gemeente Testdam"
    client.force_login(outsider)
    page = client.get(reverse("trajectories:portfolio")).content.decode()
    assert "Gemeente Testdam heeft Gemeente Elders als deelnemende organisatie toegevoegd" in page
    assert reverse("trajectories:detail", args=[trajectory.pk]) in page


def test_choosing_the_receiving_organisation_needs_the_owners_beheerder_and_tells_it(
    client, trajectory, bewerker, beheerder
):
    receiving = OrganisationFactory(name="Welzijn Ontvangt")
    candidate = services.candidate_add(trajectory=trajectory, by=bewerker, organisation=receiving)
    url = reverse("trajectories:candidate_choose", args=[trajectory.pk, candidate.pk])
    client.force_login(bewerker)
    assert client.post(url, {"rationale": "Past"}).status_code == 403
    client.force_login(beheerder)
    assert client.post(url, {"rationale": "Past"}).status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.receiving_organisation == receiving
    assert Notice.objects.filter(organisation=receiving, kind=Notice.Kind.RECEIVING_CHOSEN).exists()


def test_a_receiving_organisations_bewerker_cannot_add_another_municipality(client, trajectory, outsider_org):
    trajectory.receiving_organisation = outsider_org
    trajectory.save()
    user = MembershipFactory(user=UserFactory(email="b@elders.nl"), organisation=outsider_org, role="beheerder").user
    third = Organisation.objects.create(name="Gemeente Derde")
    client.force_login(user)
    response = client.post(reverse("trajectories:participant_add", args=[trajectory.pk]), {"organisation": third.pk})
    assert response.status_code == 403
    assert not trajectory.participants.exists()
    assert Person.objects.count() == 0


# Finding 7: no 500 from input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/agenda/a%00.ics", "/trajecten/%00/", "/?q=a%00b", "/?x%01=1", "/inloggen/?next=%0d%0a"]
)
def test_nul_and_control_characters_in_the_url_answer_400(client, bewerker, path):
    client.force_login(bewerker)
    response = client.get(path)
    assert response.status_code == 400
    assert "stuurtekens" in response.content.decode()


def test_nul_in_a_form_value_answers_400_and_changes_nothing(client, trajectory, beheerder, bewerker):
    client.force_login(beheerder)
    membership = bewerker.memberships.get()
    url = reverse("organisations:member_update", args=[trajectory.owner_id, membership.pk])
    response = client.post(url, {"role": "lezer\x00"})
    assert response.status_code == 400
    membership.refresh_from_db()
    assert membership.role == Role.BEWERKER
    response = client.post(
        reverse("trajectories:edit", args=[trajectory.pk]), {"title": "Gekaapt\x0b", "status": "actief"}
    )
    assert response.status_code == 400
    trajectory.refresh_from_db()
    assert trajectory.title == "Schuldhulp Vroeg"


def test_line_breaks_and_tabs_in_a_textarea_are_still_welcome(client, trajectory, bewerker):
    client.force_login(bewerker)
    url = reverse("trajectories:subphase_edit", args=[trajectory.pk, "2a"])
    response = client.post(url, {"status": "bezig", "notes": "Regel één\r\n\tRegel twee", "version": 1})
    assert response.status_code in (200, 302)
    assert trajectory.subphase_states.get(subphase="2a").notes.startswith("Regel één")


def test_calendar_feed_survives_any_title(client, trajectory, bewerker):
    from icalendar import Calendar

    from trajectories.models import CalendarToken

    trajectory.title = ("Vroeg\r\nX-INJECTED:ja\rDESCRIPTION:x\n" + "lang " * 40)[:200]  # the title's own limit
    trajectory.save()
    client.force_login(bewerker)
    token = CalendarToken.objects.get_or_create(user=bewerker)[0].token
    client.logout()
    response = client.get(reverse("trajectories:calendar_feed", args=[token]))
    assert response.status_code == 200
    body = response.content.decode()
    assert not any(line.startswith(("X-INJECTED", "DESCRIPTION:x")) for line in body.splitlines())
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert events
    summary = str(events[0]["SUMMARY"])
    assert "\n" not in summary and "\r" not in summary
    assert len(summary) <= 240


# Finding 8: hardening --------------------------------------------------------------------------------


def test_logged_in_pages_are_not_stored_and_permissions_policy_is_sent(client, trajectory, lezer):
    anonymous = client.get(reverse("login"))
    assert "camera=()" in anonymous["Permissions-Policy"]
    client.force_login(lezer)
    for url in (reverse("trajectories:portfolio"), trajectory.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        cache_control = response["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control
        assert "camera=()" in response["Permissions-Policy"]


def test_healthz_answers_a_probe_by_ip_address(client, settings, db):
    settings.ALLOWED_HOSTS = ["fii.gemeente.example.nl"]
    response = client.get("/healthz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    # Every other page keeps the host check.
    assert client.get(reverse("login"), HTTP_HOST="10.0.0.7").status_code == 400


def test_password_spraying_from_one_address_is_throttled(client, settings, db):
    settings.FII_LOGIN_FAILURES_PER_IP = 6
    for n in range(6):
        UserFactory(email=f"medewerker{n}@testdam.nl")
    login = reverse("login")
    for n in range(6):  # one wrong password per account: never five for one account
        client.post(login, {"username": f"medewerker{n}@testdam.nl", "password": "Zomer2026!"})
    # The address is locked out now, also for an account it never tried.
    user = UserFactory(email="nieuw@testdam.nl")
    user.set_password("correct-horse-battery")
    user.save()
    response = client.post(login, {"username": "nieuw@testdam.nl", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_one_account_is_still_locked_after_five_failures(client, db):
    UserFactory(email="doelwit@testdam.nl")
    for _ in range(5):
        client.post(reverse("login"), {"username": "doelwit@testdam.nl", "password": "fout"})
    response = client.post(reverse("login"), {"username": "doelwit@testdam.nl", "password": "fout"})
    assert response.status_code == 429
    # Another account from the same address is not locked by that alone.
    other = client.post(reverse("login"), {"username": "ander@testdam.nl", "password": "fout"})
    assert other.status_code == 200


def test_demo_data_needs_development_or_an_explicit_flag(settings, db):
    import io

    from django.core.management import CommandError, call_command

    from trajectories.models import Trajectory

    settings.FII_DEMO_DATA = False
    with pytest.raises(CommandError):
        call_command("load_fii_data", stdout=io.StringIO())
    assert not Trajectory.objects.exists()


def _production(extra):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "-production-like-secret-key-with-enough-entropy-9f8e7d6c5b4a",
        "ALLOWED_HOSTS": "fii.gemeente.example.nl",
        **extra,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.LANGUAGE_COOKIE_NAME, s.FII_DEMO_DATA)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parent.parent,
        env={**env, "DJANGO_SETTINGS_MODULE": "fii.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_uses_host_prefixed_cookies_and_no_demo_data():
    result = _production({})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["__Host-sessionid", "__Host-csrftoken", "__Host-django_language", "False"]


@pytest.mark.parametrize("hosts", ["*", "*.example.nl", "fii.example.nl,*"])
def test_production_refuses_a_wildcard_allowed_hosts(hosts):
    result = _production({"ALLOWED_HOSTS": hosts})
    assert result.returncode != 0
    assert "wildcard" in result.stderr


def test_gunicorn_sends_no_server_banner():
    import runpy
    from pathlib import Path

    from gunicorn.http import wsgi

    original = wsgi.Response.default_headers
    try:
        runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
        response = object.__new__(wsgi.Response)
        response.req = type("Req", (), {"version": (1, 1)})()
        response.status = "200 OK"
        response.version = wsgi.SERVER
        response.upgrade = False
        response.chunked = False
        response.should_close = lambda: False
        headers = response.default_headers()
        assert headers[0].startswith("HTTP/1.1 200")
        assert not [h for h in headers if h.lower().startswith("server:")]
    finally:
        wsgi.Response.default_headers = original


# Finding 3: limits on every free text, and reports that cannot outlast their worker ------------------


def test_every_free_text_field_has_a_limit():
    from django.apps import apps
    from django.db import models

    unlimited = [
        f"{model.__name__}.{field.name}"
        for app in ("organisations", "trajectories")
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and field.max_length is None
    ]
    assert not unlimited, f"Give these text fields a max_length (fii/lib/limits.py): {unlimited}"


def test_too_long_text_is_refused_at_the_field_in_dutch_and_kept(client, trajectory, bewerker):
    from fii.lib.limits import LONG_TEXT, TEXT

    client.force_login(bewerker)
    goal = "doel " * (LONG_TEXT // 5) + "x"
    response = client.post(
        reverse("trajectories:assignment_edit", args=[trajectory.pk]),
        {"goal": goal, "is_realistic": "ja", "is_ambitious": "ja"},
    )
    assert response.status_code in (200, 400)
    page = response.content.decode()
    assert "niet meer dan" in page and "tekens" in page
    assert goal.strip()[:200] in page  # the input is kept
    trajectory.assignment.refresh_from_db()
    assert trajectory.assignment.goal == ""
    response = client.post(
        reverse("trajectories:transition", args=[trajectory.pk]), {"to_phase": "borgen", "reason": "r" * (TEXT + 1)}
    )
    assert response.status_code in (200, 400)
    assert "niet meer dan" in response.content.decode()
    trajectory.refresh_from_db()
    assert trajectory.current_phase == "verkennen"


def test_a_report_pdf_too_large_for_the_worker_gets_a_dutch_page(client, trajectory, lezer, settings):
    settings.FII_PDF_MAX_HTML_BYTES = 2_000
    client.force_login(lezer)
    response = client.get(reverse("trajectories:phase_report_pdf", args=[trajectory.pk, "verkennen"]))
    assert response.status_code == 413
    page = response.content.decode()
    assert "te groot" in page
    assert reverse("trajectories:phase_report", args=[trajectory.pk, "verkennen"]) in page


def test_a_row_without_its_author_says_unknown(client, trajectory, beheerder):
    """Finding 5: authors an import could not match stay empty and read "onbekend", like the import's answer."""
    from django.utils import timezone

    from organisations.templatetags.authors import author
    from trajectories.models import Trajectory

    Trajectory.objects.filter(pk=trajectory.pk).update(archived_at=timezone.now(), archived_by=None)
    client.force_login(beheerder)
    page = client.get(reverse("trajectories:archive_list")).content.decode()
    assert trajectory.title in page
    assert "<td>onbekend</td>" in page
    assert author(beheerder) == beheerder.get_full_name()
