"""Invitations (organisations/invitations.py), with a fixed clock: accept, expiry, revoke, reuse, existing
accounts, no enumeration, and the first beheerder of an organisation without members."""

import datetime as dt
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from organisations.models import AuditEvent, Invitation, Membership, OutgoingMail, Role, User
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dutch():
    """A request to an /en/ page leaves English active in the test's thread; every test starts in Dutch."""
    translation.activate("nl")
    yield
    translation.activate("nl")


STRONG = "Koffie-op-het-stadhuis-42"


def link_of(invitation_pk: int) -> str:
    """The link in the newest mail of this invitation, as the invitee reads it."""
    mail = OutgoingMail.objects.filter(key__startswith=f"invitation:{invitation_pk}:").order_by("-pk").first()
    (url,) = set(re.findall(r"https?://\S+/uitnodiging/[\w-]+/", mail.text))
    return url


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def invite(client, organisation, email, role="bewerker"):
    return client.post(reverse("organisations:detail", args=[organisation.pk]), {"email": email, "role": role})


@pytest.fixture
def manager(client, beheerder, clock):
    """The municipality's beheerder, logged in on the fixed clock (a session from before it would be expired)."""
    client.force_login(beheerder)
    return client


def the_message(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_invitation_of_a_new_address_creates_nothing_until_accepted(manager, municipality, clock, trajectory):
    response = invite(manager, municipality, "Nieuw@Testdam.nl")
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("nieuw@testdam.nl", Role.BEWERKER)
    assert invitation.expires_at == clock.now + dt.timedelta(days=7)
    assert not User.objects.filter(email="nieuw@testdam.nl").exists()
    mail = OutgoingMail.objects.get()
    assert mail.to == "nieuw@testdam.nl"
    assert mail.subject == "Uitnodiging voor Gemeente Testdam in FII-trajecten"
    assert "kies uw naam en wachtwoord" in mail.text.lower()
    assert link_of(invitation.pk) in mail.html

    manager.logout()
    url = path_of(link_of(invitation.pk))
    assert manager.get(url).status_code == 200
    response = manager.post(url, {"full_name": "Noor Nieuw", "password1": STRONG, "password2": STRONG})
    assert response.status_code == 302 and response["Location"] == reverse("trajectories:portfolio")
    user = User.objects.get(email="nieuw@testdam.nl")
    assert user.full_name == "Noor Nieuw" and user.check_password(STRONG)
    assert Membership.objects.get(user=user).role == Role.BEWERKER
    invitation.refresh_from_db()
    assert invitation.accepted_at == clock.now and invitation.accepted_by == user
    # Logged in as the new member: the organisation's trajectories are on the home page.
    assert trajectory.title in manager.get(reverse("trajectories:portfolio")).content.decode()


def test_weak_password_is_refused_at_the_field_keeps_the_name_and_creates_nothing(manager, municipality):
    invite(manager, municipality, "nieuw@testdam.nl")
    manager.logout()
    url = path_of(link_of(Invitation.objects.get().pk))
    response = manager.post(url, {"full_name": "Noor Nieuw", "password1": "12345678", "password2": "12345678"})
    assert response.status_code == 400
    errors = response.context["form"].errors["password2"]
    assert any("te kort" in e for e in errors) and any("alleen cijfers" in e for e in errors)
    assert 'value="Noor Nieuw"' in response.content.decode()
    mismatch = manager.post(url, {"full_name": "Noor", "password1": STRONG, "password2": STRONG + "x"})
    assert "komen niet overeen" in mismatch.context["form"].errors["password2"][0]
    assert not User.objects.filter(email="nieuw@testdam.nl").exists()
    assert Invitation.objects.get().accepted_at is None


def test_expired_link_says_so_and_does_nothing(manager, municipality, clock):
    invite(manager, municipality, "nieuw@testdam.nl")
    manager.logout()
    url = path_of(link_of(Invitation.objects.get().pk))
    clock.advance(days=7, seconds=1)
    response = manager.post(url, {"full_name": "Noor", "password1": STRONG, "password2": STRONG})
    assert response.status_code == 410
    assert "verlopen" in response.content.decode()
    assert not User.objects.filter(email="nieuw@testdam.nl").exists()


def test_link_works_once(manager, municipality):
    invite(manager, municipality, "nieuw@testdam.nl")
    manager.logout()
    url = path_of(link_of(Invitation.objects.get().pk))
    manager.post(url, {"full_name": "Noor", "password1": STRONG, "password2": STRONG})
    manager.logout()
    response = manager.get(url)
    assert response.status_code == 410
    assert "al gebruikt" in response.content.decode()


def test_revoked_link_no_longer_works_and_only_own_beheerders_revoke(manager, municipality, client, outsider):
    invite(manager, municipality, "nieuw@testdam.nl")
    invitation = Invitation.objects.get()
    url = path_of(link_of(invitation.pk))
    revoke = reverse("organisations:invitation_revoke", args=[municipality.pk, invitation.pk])
    manager.force_login(outsider)
    assert manager.post(revoke).status_code == 404
    other = reverse("organisations:invitation_revoke", args=[outsider.memberships.get().organisation_id, invitation.pk])
    assert manager.post(other).status_code == 404  # an invitation of another organisation does not exist there
    manager.force_login(municipality.memberships.get(role="beheerder").user)
    assert manager.post(revoke).status_code == 302
    manager.logout()
    response = manager.get(url)
    assert response.status_code == 410 and "ingetrokken" in response.content.decode()


def test_resend_makes_a_new_link_and_extends_the_validity(manager, municipality, clock, beheerder):
    invite(manager, municipality, "nieuw@testdam.nl")
    invitation = Invitation.objects.get()
    old = path_of(link_of(invitation.pk))
    clock.advance(days=6)
    manager.force_login(beheerder)  # a new working day, a new session
    assert (
        manager.post(reverse("organisations:invitation_resend", args=[municipality.pk, invitation.pk])).status_code
        == 302
    )
    invitation.refresh_from_db()
    assert invitation.expires_at == clock.now + dt.timedelta(days=7)
    assert OutgoingMail.objects.count() == 2
    new = path_of(link_of(invitation.pk))
    assert new != old
    manager.logout()
    assert manager.get(old).status_code == 404
    clock.advance(days=3)
    assert manager.get(new).status_code == 200


def test_beheerder_sees_the_same_answer_whether_or_not_the_address_has_an_account(manager, municipality):
    UserFactory(email="bestaand@elders.nl", full_name="Bea Bestaand")
    answers = []
    for email in ("bestaand@elders.nl", "nieuw@elders.nl"):
        response = invite(manager, municipality, email)
        page = manager.get(response["Location"])
        answers.append((response.status_code, the_message(response).replace(email, "X")))
        assert "Bea Bestaand" not in page.content.decode()
    assert answers[0] == answers[1]
    # The difference is only in the mail, which goes to the owner of the address.
    assert set(OutgoingMail.objects.values_list("to", flat=True)) == {"bestaand@elders.nl", "nieuw@elders.nl"}


def test_existing_account_must_accept_and_nothing_changes_before(manager, municipality, outsider, trajectory, client):
    invite(manager, municipality, outsider.email, role="lezer")
    invitation = Invitation.objects.get()
    assert not Membership.objects.filter(user=outsider, organisation=municipality).exists()
    mail = OutgoingMail.objects.get()
    assert "U hebt al een account" in mail.text
    url = path_of(link_of(invitation.pk))
    manager.logout()
    response = manager.get(url)
    assert "Log in om te antwoorden" in response.content.decode()
    assert "?next=" in response.content.decode()
    manager.force_login(UserFactory(email="iemand@anders.nl"))
    assert "maar u bent ingelogd als iemand@anders.nl" in manager.get(url).content.decode()
    assert manager.post(url, {"answer": "accept"}).status_code == 200  # the wrong account cannot accept
    assert not Membership.objects.filter(organisation=municipality, user__email="iemand@anders.nl").exists()
    manager.force_login(outsider)
    assert "Accepteren" in manager.get(url).content.decode()
    assert trajectory.title not in manager.get(reverse("trajectories:portfolio")).content.decode()
    manager.post(url, {"answer": "accept"})
    assert Membership.objects.get(user=outsider, organisation=municipality).role == Role.LEZER
    assert trajectory.title in manager.get(reverse("trajectories:portfolio")).content.decode()


def test_existing_account_may_decline(manager, municipality, outsider):
    invite(manager, municipality, outsider.email)
    invitation = Invitation.objects.get()
    manager.force_login(outsider)
    manager.post(path_of(link_of(invitation.pk)), {"answer": "decline"})
    invitation.refresh_from_db()
    assert invitation.declined_at is not None
    assert not Membership.objects.filter(user=outsider, organisation=municipality).exists()


def test_bad_addresses_and_members_get_a_dutch_message_at_the_field(manager, municipality, lezer):
    response = invite(manager, municipality, "geen-adres")
    assert response.status_code == 400
    assert "geldig e-mailadres" in response.context["invite_form"].errors["email"][0]
    assert 'value="geen-adres"' in response.content.decode()
    response = invite(manager, municipality, lezer.email.upper())
    assert response.status_code == 400
    assert "al lid" in " ".join(response.context["invite_form"].errors["email"])
    assert not Invitation.objects.exists() and not OutgoingMail.objects.exists()


def test_inviting_again_renews_the_open_invitation(manager, municipality):
    invite(manager, municipality, "nieuw@testdam.nl", role="lezer")
    invite(manager, municipality, "nieuw@testdam.nl", role="beheerder")
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.send_count) == (Role.BEHEERDER, 2)


def test_only_beheerders_invite(client, bewerker, municipality):
    client.force_login(bewerker)
    assert invite(client, municipality, "nieuw@testdam.nl").status_code == 403
    assert not Invitation.objects.exists()


def test_open_invitations_are_listed_for_beheerders_only(
    manager, municipality, client, lezer, django_assert_max_num_queries
):
    for n in range(5):
        invite(manager, municipality, f"collega{n}@testdam.nl")
    url = reverse("organisations:detail", args=[municipality.pk])
    with django_assert_max_num_queries(12):
        page = manager.get(url).content.decode()
    assert all(f"collega{n}@testdam.nl" in page for n in range(5))
    assert "Opnieuw versturen" in page and "Intrekken" in page
    client.force_login(lezer)
    assert "collega0@testdam.nl" not in client.get(url).content.decode()


# The first beheerder of an organisation without members --------------------------------------------


@pytest.fixture
def welzijn(trajectory):
    organisation = OrganisationFactory(name="Welzijn Noord")
    trajectory.receiving_organisation = organisation
    trajectory.save()
    return organisation


def first_url(trajectory, organisation):
    return reverse("trajectories:first_beheerder_invite", args=[trajectory.pk, organisation.pk])


def test_giving_beheerder_invites_the_first_beheerder_and_it_is_audited(manager, trajectory, welzijn, beheerder):
    assert (
        "Welzijn Noord"
        in manager.get(reverse("trajectories:organisation_access", args=[trajectory.pk])).content.decode()
    )
    response = manager.post(first_url(trajectory, welzijn), {"email": "directeur@welzijn.nl"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.organisation, invitation.role, invitation.on_behalf_of) == (
        welzijn,
        Role.BEHEERDER,
        trajectory.owner,
    )
    access = manager.get(reverse("trajectories:organisation_access", args=[trajectory.pk])).content.decode()
    assert "Uitgenodigd: directeur@welzijn.nl" in access
    mail = OutgoingMail.objects.get()
    assert mail.subject == f'Uitnodiging: beheerder van Welzijn Noord voor het traject "{trajectory.title}"'
    event = AuditEvent.objects.get(action=AuditEvent.Action.PERMISSION, object_type="organisations.Invitation")
    assert (event.organisation, event.actor, event.result) == (trajectory.owner, beheerder, "success")
    manager.logout()
    manager.post(
        path_of(link_of(invitation.pk)), {"full_name": "Dirk Directeur", "password1": STRONG, "password2": STRONG}
    )
    assert Membership.objects.get(organisation=welzijn).role == Role.BEHEERDER
    # The new beheerder sees the trajectory their organisation receives.
    assert trajectory.title in manager.get(reverse("trajectories:portfolio")).content.decode()


def test_nobody_invites_a_first_beheerder_into_an_organisation_with_members(manager, trajectory, welzijn):
    MembershipFactory(organisation=welzijn, role=Role.LEZER)
    response = manager.post(first_url(trajectory, welzijn), {"email": "directeur@welzijn.nl"})
    assert response.status_code == 400
    assert "al leden" in response.content.decode()
    assert not Invitation.objects.exists()


def test_first_beheerder_link_fails_when_someone_else_became_member_meanwhile(manager, trajectory, welzijn):
    manager.post(first_url(trajectory, welzijn), {"email": "directeur@welzijn.nl"})
    MembershipFactory(organisation=welzijn, role=Role.BEHEERDER)
    manager.logout()
    response = manager.post(
        path_of(link_of(Invitation.objects.get().pk)), {"full_name": "D", "password1": STRONG, "password2": STRONG}
    )
    assert response.status_code == 400
    assert "inmiddels leden" in response.content.decode()
    assert not User.objects.filter(email="directeur@welzijn.nl").exists()


@pytest.mark.parametrize("persona", ["bewerker", "lezer"])
def test_only_beheerders_of_the_giving_organisation_invite_a_first_beheerder(
    client, request, persona, trajectory, welzijn
):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(first_url(trajectory, welzijn), {"email": "d@welzijn.nl"}).status_code == 403
    assert not Invitation.objects.exists()


def test_a_participants_beheerder_cannot_invite_into_another_participant(
    client, trajectory, welzijn, outsider, outsider_org
):
    trajectory.participants.add(outsider_org)
    client.force_login(outsider)  # beheerder of a participating organisation, not of the giving one
    assert client.post(first_url(trajectory, welzijn), {"email": "d@welzijn.nl"}).status_code == 403
    assert not Invitation.objects.exists()


def test_an_organisation_outside_the_trajectory_is_404(manager, trajectory):
    stranger = OrganisationFactory(name="Niet Betrokken")
    assert manager.post(first_url(trajectory, stranger), {"email": "d@x.nl"}).status_code == 404
    assert manager.post(first_url(trajectory, trajectory.owner), {"email": "d@x.nl"}).status_code == 404
    assert not Invitation.objects.exists()


def test_invitation_accept_page_works_in_english(manager, municipality):
    invite(manager, municipality, "nieuw@testdam.nl")
    manager.logout()
    url = path_of(link_of(Invitation.objects.get().pk))
    assert "Create account and join" in manager.get("/en" + url).content.decode()


def test_the_new_password_logs_in(client, manager, municipality):
    invite(manager, municipality, "nieuw@testdam.nl")
    manager.logout()
    manager.post(
        path_of(link_of(Invitation.objects.get().pk)), {"full_name": "N", "password1": STRONG, "password2": STRONG}
    )
    manager.logout()
    response = manager.post(reverse("login"), {"username": "nieuw@testdam.nl", "password": STRONG})
    assert response.status_code == 302 and response["Location"] == reverse("trajectories:my_week")


def test_accepting_on_the_english_page_makes_an_english_account(manager, municipality):
    invite(manager, municipality, "nieuw@testdam.nl")
    manager.logout()
    url = "/en" + path_of(link_of(Invitation.objects.get().pk))
    manager.post(url, {"full_name": "New Colleague", "password1": STRONG, "password2": STRONG})
    assert User.objects.get(email="nieuw@testdam.nl").language == "en"


def test_accepting_on_the_dutch_page_keeps_dutch(manager, municipality):
    invite(manager, municipality, "nieuw@testdam.nl")
    manager.logout()
    manager.post(
        path_of(link_of(Invitation.objects.get().pk)), {"full_name": "N", "password1": STRONG, "password2": STRONG}
    )
    assert User.objects.get(email="nieuw@testdam.nl").language == "nl"
