"""Reaching people in the browser: a beheerder invites a new colleague, who follows the link from the mail
(received by a real SMTP server), sets a password and sees the organisation's trajectories; and a
"Wachtwoord vergeten?" round trip. The background worker's job is done by running the queued tasks."""

import re

from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.mailhelpers import body_of, run_queued_tasks

from .helpers import goto, submit

NEW_PASSWORD = "Stoplicht-groen-2027!"


def link_in(message, marker: str) -> str:
    """The path of the link in the mail's plain text (its host is FII_BASE_URL, not the test server)."""
    (url,) = set(re.findall(rf"https?://\S+/{marker}/\S+/", body_of(message, "plain")))
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_beheerder_invites_a_new_colleague_who_joins_through_the_mail(
    login_as, beheerder, municipality, trajectory, smtp_server, new_context, problems
):
    smtp_server.start()
    page = login_as(beheerder)
    goto(page, f"/organisaties/{municipality.pk}/")
    page.locator("#id_email").fill("nieuwe.collega@testdam.nl")
    page.locator("#id_role").select_option("bewerker")
    with page.expect_navigation():
        page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.locator(".alert-success, [role=status], .messages").first).to_contain_text(
        "Uitnodiging verstuurd naar nieuwe.collega@testdam.nl"
    )
    expect(page.locator("#invitations-heading + div table")).to_contain_text("nieuwe.collega@testdam.nl")

    assert run_queued_tasks() == 1
    (message,) = smtp_server.inbox.messages
    assert message["To"] == "nieuwe.collega@testdam.nl"
    assert "Gemeente Testdam" in message["Subject"]

    context = new_context()
    problems.watch(context)
    invitee = context.new_page()
    goto(invitee, link_in(message, "uitnodiging"))
    expect(invitee.locator("h1")).to_contain_text("Gemeente Testdam")
    invitee.locator("#id_full_name").fill("Nadia Nieuw")
    invitee.locator("#id_password1").fill(NEW_PASSWORD)
    invitee.locator("#id_password2").fill(NEW_PASSWORD)
    submit(invitee)
    assert (
        invitee.url.removeprefix(problems.origin) == "/portefeuille/"
    )  # a new member first sees the organisation's trajectories
    expect(invitee.locator("main")).to_contain_text(trajectory.title)
    expect(invitee.locator(".site-nav__user")).to_have_text("Nadia Nieuw")


def test_forgotten_password_round_trip(lezer, smtp_server, new_context, problems):
    smtp_server.start()
    context = new_context()
    context.set_default_timeout(10_000)
    problems.watch(context)
    page = context.new_page()
    goto(page, "/inloggen/")
    with page.expect_navigation():
        page.get_by_role("link", name="Wachtwoord vergeten?").click()
    page.locator("#id_email").fill(lezer.email)
    submit(page)
    expect(page.locator("h1")).to_have_text("Controleer uw e-mail")

    assert run_queued_tasks() == 1
    (message,) = smtp_server.inbox.messages
    assert message["Subject"] == "Kies een nieuw wachtwoord voor FII-trajecten"
    goto(page, link_in(message, "wachtwoord-herstellen"))
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    submit(page)
    expect(page.locator("h1")).to_have_text("Wachtwoord opgeslagen")

    goto(page, "/inloggen/")
    page.locator("#id_username").fill(lezer.email)
    page.locator("#id_password").fill(PASSWORD)  # the old password no longer works
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("e-mailadres")
    assert page.url.endswith("/inloggen/")
    page.locator("#id_password").fill(NEW_PASSWORD)
    submit(page)
    assert page.url.removeprefix(problems.origin) == "/"


def test_invitation_and_password_pages_pass_axe(login_as, beheerder, municipality, trajectory, new_context, problems):
    from django.urls import reverse

    from organisations.models import Organisation
    from tests.organisations.test_invitations import link_of, path_of

    from .test_accessibility import axe_violations, describe, fail_on

    welzijn = Organisation.objects.create(name="Welzijn Noord")
    trajectory.participants.add(welzijn)
    page = login_as(beheerder)
    found: list[str] = []
    goto(page, f"/organisaties/{municipality.pk}/")
    page.locator("#id_email").fill("geen-adres")
    problems.expect_status(f"/organisaties/{municipality.pk}/", 400)
    with page.expect_navigation():
        page.get_by_role("button", name="Uitnodiging versturen").click()
    found += describe("invite form with an error", axe_violations(page))
    page.locator("#id_email").fill("nieuw@testdam.nl")
    with page.expect_navigation():
        page.get_by_role("button", name="Uitnodiging versturen").click()
    found += describe("organisation page with an open invitation", axe_violations(page))
    for path in (
        reverse("trajectories:organisation_access", args=[trajectory.pk]),
        reverse("trajectories:first_beheerder_invite", args=[trajectory.pk, welzijn.pk]),
        reverse("account:overview"),
        reverse("account:password_change"),
    ):
        goto(page, path)
        found += describe(path, axe_violations(page))
    anonymous = new_context().new_page()
    problems.watch(anonymous.context)
    from organisations.models import Invitation

    for path in (
        path_of(link_of(Invitation.objects.get(email="nieuw@testdam.nl").pk)),
        reverse("password_reset"),
        reverse("password_reset_done"),
        reverse("password_reset_confirm", args=["MQ", "abc-123"]),
        reverse("password_reset_complete"),
    ):
        goto(anonymous, path)
        found += describe(path, axe_violations(anonymous))
    fail_on(found, 11)
